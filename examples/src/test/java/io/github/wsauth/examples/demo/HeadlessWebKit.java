package io.github.wsauth.examples.demo;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * WebKitGTK, Safari's engine, driven through Debian's {@code WebKitWebDriver} (package {@code webkit2gtk-driver},
 * W3C WebDriver classic over HTTP) with the JDK's HTTP client; its {@code MiniBrowser} needs a display, so the
 * driver runs under {@code xvfb-run} (package {@code xvfb}). Installed in CI by {@code .ci/webkit.sh}.
 */
final class HeadlessWebKit implements HeadlessBrowser {
  static final String MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final URI session;
  private final String version;

  private HeadlessWebKit(Process process, URI session, String version) {
    this.process = process;
    this.session = session;
    this.version = version;
  }

  /** Why WebKitGTK cannot run here, or null if it can. */
  static String missing() {
    File driver = HeadlessBrowser.executable("WEBKIT_WEBDRIVER_BIN", "/usr/bin/WebKitWebDriver");
    File xvfb = HeadlessBrowser.executable("XVFB_RUN_BIN", "/usr/bin/xvfb-run");
    File browser = new File(MINIBROWSER);
    if (driver == null || xvfb == null || !browser.canExecute()) {
      return "WebKitGTK needs the Debian packages webkit2gtk-driver and xvfb (run .ci/webkit.sh as root); found"
          + " WebKitWebDriver=" + driver + ", xvfb-run=" + xvfb + ", MiniBrowser=" + browser.canExecute();
    }
    return null;
  }

  static HeadlessWebKit start(boolean acceptInsecureCerts) throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort(); // WebKitWebDriver takes a port, not 0: a free one, just released
    }
    Process process = new ProcessBuilder(
        HeadlessBrowser.executable("XVFB_RUN_BIN", "/usr/bin/xvfb-run").getPath(), "-a", "-s",
        "-screen 0 1280x1024x24",
        HeadlessBrowser.executable("WEBKIT_WEBDRIVER_BIN", "/usr/bin/WebKitWebDriver").getPath(), "-p",
        Integer.toString(port))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    URI base = URI.create("http://127.0.0.1:" + port + "/");
    try {
      JsonObject caps = new JsonObject().put("capabilities", new JsonObject().put("alwaysMatch", new JsonObject()
          .put("acceptInsecureCerts", acceptInsecureCerts)
          .put("webkitgtk:browserOptions", new JsonObject().put("binary", MINIBROWSER)
              .put("args", new JsonArray().add("--automation")))));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        try {
          JsonObject value = send("POST", base.resolve("session"), caps);
          return new HeadlessWebKit(process, base.resolve("session/" + value.getString("sessionId") + "/"),
              "WebKitGTK " + value.getJsonObject("capabilities").getString("browserVersion"));
        } catch (java.net.ConnectException e) {
          if (System.nanoTime() > end || !process.isAlive()) {
            throw new IOException("WebKitWebDriver did not start on port " + port, e);
          }
          Thread.sleep(100); // polling the driver's port while it starts
        }
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      stop(process);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof IOException io ? io : new IOException("webkit: did not start: " + e, e);
    }
  }

  private static JsonObject send(String method, URI uri, JsonObject body) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body.encode()));
    HttpResponse<String> r;
    try {
      r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    JsonObject answer = new JsonObject(r.body());
    Object value = answer.getValue("value");
    if (r.statusCode() != 200) {
      JsonObject error = value instanceof JsonObject o ? o : new JsonObject();
      throw new IOException("webkit: " + method + " " + uri.getPath() + " failed: " + r.statusCode() + " "
          + error.getString("error") + ": " + error.getString("message"));
    }
    return value instanceof JsonObject o ? o : new JsonObject().put("value", value);
  }

  @Override
  public Kind kind() {
    return Kind.WEBKIT;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public void open(String url) throws IOException {
    send("POST", session.resolve("url"), new JsonObject().put("url", url));
  }

  @Override
  public String call(String body, String... args) throws IOException {
    String script = "const done = arguments[arguments.length - 1];"
        + "const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);"
        + "(async (...args) => {" + body + "\n})(...args)"
        + ".then(v => done({ok: String(v)}), e => done({error: String(e && e.message || e)}));";
    JsonArray arguments = new JsonArray();
    for (String a : args) {
      arguments.add(a);
    }
    JsonObject out = send("POST", session.resolve("execute/async"),
        new JsonObject().put("script", script).put("args", arguments));
    Object v = out.containsKey("ok") || out.containsKey("error") ? out : out.getValue("value");
    if (v instanceof JsonObject o && o.containsKey("ok")) {
      return o.getString("ok");
    }
    throw new IOException("webkit: script failed: " + (v instanceof JsonObject o ? o.getValue("error") : v));
  }

  @Override
  public byte[] screenshot() throws IOException {
    return Base64.getDecoder().decode(send("GET", session.resolve("screenshot"), null).getString("value"));
  }

  @Override
  public void close() throws IOException {
    try {
      send("DELETE", session, null);
    } finally {
      stop(process);
    }
  }

  /** Ends xvfb-run, its Xvfb and the driver (the browser is the driver's child). */
  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
