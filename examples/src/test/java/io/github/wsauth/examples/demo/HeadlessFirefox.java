package io.github.wsauth.examples.demo;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A real headless Firefox (Debian's {@code firefox-esr}, installed in CI by {@code .ci/firefox.sh}) driven over
 * WebDriver BiDi with the JDK's WebSocket client: no geckodriver (not packaged in Debian), no new dependency.
 *
 * <p>The browser runs on a throwaway profile whose {@code user.js} pins Total Cookie Protection on ({@code
 * network.cookie.cookieBehavior = 5}, what Firefox users get), so the tests see what users see, and turns off
 * first-run pages, telemetry and background updates. The BiDi endpoint is read from the browser's stderr
 * ({@code WebDriver BiDi listening on ws://127.0.0.1:<port>}: {@code --remote-debugging-port=0} picks a free one).
 */
final class HeadlessFirefox implements HeadlessBrowser {
  private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final String PREFS = String.join("\n",
      "user_pref(\"network.cookie.cookieBehavior\", 5);",
      "user_pref(\"browser.shell.checkDefaultBrowser\", false);",
      "user_pref(\"browser.startup.homepage_override.mstone\", \"ignore\");",
      "user_pref(\"browser.startup.page\", 0);",
      "user_pref(\"browser.aboutwelcome.enabled\", false);",
      "user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);",
      "user_pref(\"datareporting.healthreport.uploadEnabled\", false);",
      "user_pref(\"toolkit.telemetry.enabled\", false);",
      "user_pref(\"toolkit.telemetry.reportingpolicy.firstRun\", false);",
      "user_pref(\"app.update.disabledForTesting\", true);",
      "user_pref(\"app.normandy.enabled\", false);",
      "user_pref(\"extensions.update.enabled\", false);",
      "user_pref(\"browser.safebrowsing.malware.enabled\", false);",
      "user_pref(\"browser.safebrowsing.phishing.enabled\", false);",
      "user_pref(\"network.captive-portal-service.enabled\", false);",
      "user_pref(\"network.connectivity-service.enabled\", false);",
      "user_pref(\"services.settings.server\", \"http://127.0.0.1:9/\");",
      "user_pref(\"network.proxy.type\", 0);",
      "");

  private final Process process;
  private final Path profile;
  private final WebSocket bidi;
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final String context;
  private final String version;

  private HeadlessFirefox(Process process, Path profile, URI endpoint, boolean acceptInsecureCerts)
      throws IOException {
    this.process = process;
    this.profile = profile;
    try {
      this.bidi = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
          .buildAsync(endpoint.resolve("/session"), new Listener()).get(15, TimeUnit.SECONDS);
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IOException("firefox: cannot connect to WebDriver BiDi at " + endpoint, e);
    }
    JsonObject session = send("session.new", new JsonObject().put("capabilities", new JsonObject()
        .put("alwaysMatch", new JsonObject().put("acceptInsecureCerts", acceptInsecureCerts))));
    JsonObject caps = session.getJsonObject("capabilities");
    this.version = "Firefox " + caps.getString("browserVersion") + (browser().getName().endsWith("-esr") ? " ESR" : "");
    JsonArray contexts = send("browsingContext.getTree", new JsonObject()).getJsonArray("contexts");
    this.context = contexts.getJsonObject(0).getString("context");
  }

  /** Why Firefox cannot run here, or null if it can. */
  static String missing() {
    File browser = browser();
    return browser == null
        ? "headless Firefox needs the Debian package firefox-esr (run .ci/firefox.sh as root); found none" : null;
  }

  private static File browser() {
    return HeadlessBrowser.executable("FIREFOX_BIN", "/usr/bin/firefox-esr", "/usr/bin/firefox");
  }

  static HeadlessFirefox start(boolean acceptInsecureCerts) throws IOException {
    Path profile = Files.createTempDirectory("wsauth-firefox-");
    Files.writeString(profile.resolve("user.js"), PREFS);
    ProcessBuilder pb = new ProcessBuilder(browser().getPath(), "--headless", "--no-remote",
        "--remote-debugging-port=0", "--profile", profile.toString(), "--width=1100", "--height=900", "about:blank");
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("MOZ_CRASHREPORTER_DISABLE", "1");
    Process process = pb.start();
    CompletableFuture<URI> endpoint = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader err = new BufferedReader(
          new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = err.readLine()) != null) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            endpoint.complete(URI.create(m.group(1)));
          }
          // Keep draining: a full pipe would block the browser.
        }
      } catch (IOException e) {
        endpoint.completeExceptionally(e);
      }
      endpoint.completeExceptionally(new IOException("firefox exited before announcing WebDriver BiDi"));
    }, "firefox-stderr");
    reader.setDaemon(true);
    reader.start();
    try {
      return new HeadlessFirefox(process, profile, endpoint.get(60, TimeUnit.SECONDS), acceptInsecureCerts);
    } catch (InterruptedException | ExecutionException | TimeoutException | IOException | RuntimeException e) {
      process.destroyForcibly();
      HeadlessBrowser.delete(profile);
      throw e instanceof IOException io ? io : new IOException("firefox: did not start: " + e, e);
    }
  }

  @Override
  public Kind kind() {
    return Kind.FIREFOX;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public void open(String url) throws IOException {
    send("browsingContext.navigate", new JsonObject().put("context", context).put("url", url)
        .put("wait", "complete"));
  }

  @Override
  public String call(String body, String... args) throws IOException {
    JsonArray arguments = new JsonArray();
    for (String a : args) {
      arguments.add(new JsonObject().put("type", "string").put("value", a));
    }
    JsonObject params = new JsonObject()
        .put("functionDeclaration", "async (...args) => {" + body + "\n}")
        .put("arguments", arguments)
        .put("target", new JsonObject().put("context", context))
        .put("awaitPromise", true)
        .put("resultOwnership", "none");
    JsonObject result = send("script.callFunction", params);
    if ("exception".equals(result.getString("type"))) {
      JsonObject details = result.getJsonObject("exceptionDetails");
      throw new IOException("firefox: script failed: " + (details == null ? result : details.getString("text")));
    }
    JsonObject value = result.getJsonObject("result");
    Object v = value.getValue("value");
    return "null".equals(value.getString("type")) || "undefined".equals(value.getString("type"))
        ? String.valueOf((Object) null) : String.valueOf(v);
  }

  @Override
  public byte[] screenshot() throws IOException {
    String data = send("browsingContext.captureScreenshot", new JsonObject().put("context", context))
        .getString("data");
    return Base64.getDecoder().decode(data);
  }

  private JsonObject send(String method, JsonObject params) throws IOException {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    pending.put(id, answer);
    String command = new JsonObject().put("id", id).put("method", method).put("params", params).encode();
    try {
      synchronized (bidi) {
        bidi.sendText(command, true).get(10, TimeUnit.SECONDS);
      }
      JsonObject message = answer.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if ("error".equals(message.getString("type"))) {
        throw new IOException("firefox: " + method + " failed: " + message.getString("error") + ": "
            + message.getString("message"));
      }
      return message.getJsonObject("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("firefox: " + method + " got no answer: " + e, e);
    } finally {
      pending.remove(id);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      try {
        send("browser.close", new JsonObject());
      } catch (IOException e) {
        // The connection may drop before the answer: the process is ended below either way.
      }
      bidi.abort();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      HeadlessBrowser.delete(profile);
    }
  }

  /** Collects (possibly fragmented) text messages and completes the command they answer. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        JsonObject message = new JsonObject(text.toString());
        text.setLength(0);
        Integer id = message.getInteger("id");
        if (id != null) {
          CompletableFuture<JsonObject> f = pending.get(id);
          if (f != null) {
            f.complete(message);
          }
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      pending.values().forEach(f -> f.completeExceptionally(error));
    }
  }
}
