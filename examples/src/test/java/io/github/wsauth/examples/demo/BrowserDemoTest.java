package io.github.wsauth.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.CredentialSource;

/**
 * The demo in a real headless Chromium: the page gets a token per method and every browser method ends as
 * docs/DEMO.md says. Skipped locally without Chromium; fails in CI without it.
 */
class BrowserDemoTest {
  private static Demo demo;
  private static HeadlessChromium chromium;

  @BeforeAll
  static void start() throws IOException {
    demo = Demo.start(DemoConfig.builder().ephemeralPorts().build());
  }

  /** Each test is skipped with the reason when Chromium is missing locally; in CI ({@code CI=true}) it fails. */
  @BeforeEach
  void browser() throws IOException {
    if (chromium == null) {
      chromium = HeadlessChromium.startOrSkip();
    }
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (chromium != null) {
        chromium.close();
      }
    } finally {
      if (demo != null) {
        demo.close();
      }
    }
  }

  @Test
  void demoPage_submittedUsername_everyBrowserMethodEndsAsDocumented() throws IOException {
    ChromeDriver driver = chromium.driver();
    int userInfoBefore = demo.authLog().events(AuthMethod.USER_INFO).size();
    driver.get(demo.appUri().toString());
    WebElement user = driver.findElement(By.id("user"));
    user.clear();
    user.sendKeys("alice");
    driver.findElement(By.id("go")).click();
    waitUntilDone(driver);

    Map<String, String> status = new LinkedHashMap<>();
    Map<String, String> line = new LinkedHashMap<>();
    for (WebElement li : driver.findElements(By.cssSelector("#methods li[data-method]"))) {
      status.put(li.getAttribute("data-method"), li.getAttribute("data-status"));
      line.put(li.getAttribute("data-method"), li.findElement(By.className("line")).getText());
    }
    assertThat(status).containsOnlyKeys("first-message", "query-param", "cookie", "user-info", "subprotocol");
    for (String method : new String[] {"first-message", "query-param", "cookie", "subprotocol"}) {
      assertThat(status.get(method)).as(method + ": " + line.get(method)).isEqualTo("ok");
      assertThat(line.get(method)).contains("Hello alice!").contains("1000");
    }
    assertThat(line.get("subprotocol")).contains("subprotocol \"hello\"");
    // What Chromium does with ws://user:token@host/ (recorded in docs/DEMO.md): it does not send the user info
    // up front; it sends the handshake without credentials, gets 401 with the Basic challenge, and retries once
    // with Authorization: Basic built from the percent-decoded user info. The 401 consumes nothing.
    assertThat(status.get("user-info")).as("user-info: " + line.get("user-info")).isEqualTo("ok");
    List<AuthEvent> all = demo.authLog().events(AuthMethod.USER_INFO);
    List<AuthEvent> userInfo = all.subList(userInfoBefore, all.size());
    assertThat(userInfo).hasSize(2);
    assertThat(userInfo.get(0).accepted()).isFalse();
    assertThat(userInfo.get(0).code()).isEqualTo(401);
    assertThat(userInfo.get(0).source()).isEmpty();
    assertThat(userInfo.get(1).accepted()).isTrue();
    assertThat(userInfo.get(1).source()).contains(CredentialSource.AUTHORIZATION_BASIC);
    assertThat(userInfo.get(1).subject()).contains("alice");

    saveScreenshot(driver);
  }

  /**
   * Cross-site WebSocket hijacking: the browser holds a valid credential cookie for the cookie server (set
   * through the bridge by the app's page), and a page of another origin opens a WebSocket to that server. The
   * browser attaches the cookie (same site: localhost), the server refuses the Origin with 403 before it looks at
   * the cookie, so the token is not even used up: the app's own page connects with it afterwards.
   */
  @Test
  void foreignOriginPage_withTheCookieInTheBrowser_getsHandshake403() throws Exception {
    ChromeDriver driver = chromium.driver();
    driver.get(demo.appUri().resolve("/demo?user=bob").toString());
    waitUntilDone(driver);
    Object set = driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
        + "fetchToken().then(t => wsauth.setCookie(arguments[0], t.token, t.expires_in))"
        + "  .then(() => done('set'), e => done('failed: ' + e.message));",
        "http://localhost:" + demo.port(AuthMethod.COOKIE) + DemoServers.COOKIE_BRIDGE_PATH);
    assertThat(set).isEqualTo("set");

    HttpServer foreign = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    String page = "<!doctype html><title>not the demo</title><body data-result=\"\"><script>"
        + "let opened = false;"
        + "const ws = new WebSocket('ws://localhost:" + demo.port(AuthMethod.COOKIE) + "/');"
        + "ws.onopen = () => { opened = true; };"
        + "ws.onmessage = (e) => { document.body.dataset.message = e.data; };"
        + "ws.onclose = (e) => { document.body.dataset.result = (opened ? 'opened ' : 'refused ') + e.code; };"
        + "</script></body>";
    foreign.createContext("/", exchange -> {
      byte[] body = page.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (exchange) {
        exchange.getResponseBody().write(body);
      }
    });
    foreign.start();
    try {
      String foreignOrigin = "http://localhost:" + foreign.getAddress().getPort();
      driver.get(foreignOrigin + "/");
      new WebDriverWait(driver, Duration.ofSeconds(15))
          .until(d -> !d.findElement(By.tagName("body")).getAttribute("data-result").isEmpty());
      assertThat(driver.findElement(By.tagName("body")).getAttribute("data-result")).isEqualTo("refused 1006");
      assertThat(driver.findElement(By.tagName("body")).getAttribute("data-message")).isNull();
    } finally {
      foreign.stop(0);
    }
    AuthEvent refused = demo.authLog().last(AuthMethod.COOKIE).orElseThrow();
    assertThat(refused.accepted()).isFalse();
    assertThat(refused.code()).isEqualTo(403);
    assertThat(refused.reason()).isEqualTo("origin not allowed");

    // The refused attempt did not burn the token: the app's own page connects with the same cookie.
    driver.get(demo.appUri().resolve("/demo.css").toString());
    Object outcome = driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
        + "const ws = new WebSocket(arguments[0]);"
        + "ws.onmessage = (e) => { ws.send('Goodbye bob.'); done(e.data); };"
        + "ws.onclose = (e) => done('closed ' + e.code);",
        demo.serverUri(AuthMethod.COOKIE).toString());
    assertThat(outcome).isEqualTo("Hello bob!");
  }

  /** The page's failure lines: what the browser saw, plus what the server answered (browsers hide the status). */
  @Test
  void demoPage_replayedToken_readableFailureLines() {
    ChromeDriver driver = chromium.driver();
    driver.get(demo.appUri().resolve("/demo?user=erin").toString());
    waitUntilDone(driver);
    String script = "const done = arguments[arguments.length - 1];"
        + "const config = arguments[0];"
        + "const attempt = (id, open) => converse(id, open()).then(ok => 'ok: ' + ok, e => e.message);"
        + "(async () => {"
        + "  const q = (await fetchToken()).token;"
        + "  const open = () => wsauth.connectWithQueryParameter(config['query-param'], q);"
        + "  const f = (await fetchToken()).token;"
        + "  const first = () => wsauth.connectWithFirstMessage(config['first-message'], f, { format: 'json' });"
        + "  return [await attempt('query-param', open), await attempt('query-param', open),"
        + "          await attempt('first-message', first), await attempt('first-message', first)];"
        + "})().then(done, e => done(['script failed: ' + e.message]));";
    @SuppressWarnings("unchecked")
    List<String> lines = (List<String>) driver.executeAsyncScript(script, Map.of(
        "query-param", demo.serverUri(AuthMethod.QUERY_PARAM).toString(),
        "first-message", demo.serverUri(AuthMethod.FIRST_MESSAGE).toString()));
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("ok: ");
    assertThat(lines.get(1))
        .isEqualTo("handshake refused (close 1006): the server answered HTTP 401 (token already used)");
    assertThat(lines.get(2)).startsWith("ok: ");
    assertThat(lines.get(3)).isEqualTo("closed with 1008: token already used");
  }

  static void waitUntilDone(ChromeDriver driver) {
    // The form submission navigates: wait for the test page, then for its runs; elements of the page being left
    // go stale meanwhile.
    new WebDriverWait(driver, Duration.ofSeconds(30))
        .ignoring(StaleElementReferenceException.class)
        .until(d -> d.getCurrentUrl().contains("/demo?")
            && "true".equals(d.findElement(By.tagName("body")).getAttribute("data-done")));
  }

  /**
   * Saves the page to {@code examples/target/demo.png}; with {@code -Ddemo.screenshot=<path>} also there (the
   * committed {@code docs/demo.png} is refreshed that way, so a plain {@code mvn verify} leaves the tree clean).
   */
  private static void saveScreenshot(ChromeDriver driver) throws IOException {
    Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
    Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    Path target = base.resolve("target/demo.png");
    Files.createDirectories(target.getParent());
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
    String extra = System.getProperty("demo.screenshot");
    if (extra != null && !extra.isEmpty()) {
      Path p = Path.of(extra);
      Path out = p.isAbsolute() ? p : base.getParent().resolve(p);
      Files.createDirectories(out.getParent());
      Files.copy(shot, out, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
