package io.github.wsauth.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code WsAuthCookieBridgeServlet} over real sockets on a servlet container: the same answers as Netty's
 * {@code CookieBridgeHandlerTest} (both render core's {@code CookieBridge}), and the cookie it sets then
 * authenticates a WebSocket upgrade through {@code WsAuthFilter}. Subclasses say which container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class CookieBridgeScenarios {
  private Fixture fixture;
  private ServerHarness harness;
  private int port;

  /** The container under test. */
  protected abstract ServerHarness harness();

  @BeforeAll
  void startServer() throws Exception {
    fixture = Fixture.create();
    harness = harness();
    port = harness.start(fixture.deployment());
  }

  @AfterAll
  void stopServer() throws Exception {
    harness.stop();
  }

  private String self() {
    return "http://localhost:" + port;
  }

  private RawClient.Response http(String method, String target, String body, String... headerLines)
      throws IOException {
    StringBuilder b = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost:" + port
        + "\r\nConnection: close\r\n");
    for (String line : headerLines) {
      b.append(line).append("\r\n");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if ("POST".equals(method)) {
      b.append("Content-Length: ").append(bytes.length).append("\r\n");
    }
    b.append("\r\n");
    try (RawClient c = RawClient.connect(port)) {
      c.write(b.toString().getBytes(StandardCharsets.ISO_8859_1), bytes);
      return c.readResponse();
    }
  }

  private RawClient.Response post(String token, String... headerLines) throws IOException {
    return http("POST", "/wsauth/cookie", token, headerLines);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = io.github.wsauth.Identity.class.getResourceAsStream("/META-INF/resources/wsauth/" + name)) {
      return in.readAllBytes();
    }
  }

  @Test
  void cookie_sameOriginPost_setsAnHttpOnlyCookieWithTheConfiguredAttributes() throws IOException {
    String t = fixture.issuer.issue("ivan").value();
    RawClient.Response r = post(t, "Origin: " + self(), "Content-Type: text/plain;charset=UTF-8",
        "X-WsAuth-Max-Age: 30", "Sec-Fetch-Site: same-origin");
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.header("Set-Cookie"))
        .isEqualTo(Fixture.COOKIE + "=" + t + "; Path=/hs; Max-Age=30; HttpOnly; SameSite=Strict");
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
  }

  @Test
  void probeThenCheck_fromTheParent_answersPresenceWithCors() throws IOException {
    String probe = "0123456789abcdef0123456789abcdef";
    RawClient.Response set = http("POST", "/wsauth/probe", probe, "Origin: " + self(),
        "Content-Type: text/plain;charset=UTF-8", "X-WsAuth-Max-Age: 30", "Sec-Fetch-Site: same-origin");
    assertThat(set.status()).isEqualTo(204);
    assertThat(set.header("Set-Cookie"))
        .isEqualTo(Fixture.COOKIE + "_probe=" + probe + "; Path=/wsauth/check; Max-Age=30; HttpOnly; SameSite=Strict");
    RawClient.Response present = http("GET", "/wsauth/check?probe=" + probe, "", "Origin: " + Fixture.ORIGIN,
        "Cookie: " + Fixture.COOKIE + "_probe=" + probe);
    assertThat(present.status() + " " + present.body()).isEqualTo("200 present\n");
    assertThat(present.header("Access-Control-Allow-Origin")).isEqualTo(Fixture.ORIGIN);
    assertThat(present.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    RawClient.Response absent = http("GET", "/wsauth/check?probe=" + probe, "", "Origin: " + Fixture.ORIGIN);
    assertThat(absent.status() + " " + absent.body()).isEqualTo("200 absent\n");
    RawClient.Response foreign = http("GET", "/wsauth/check?probe=" + probe, "", "Origin: https://evil.example",
        "Cookie: " + Fixture.COOKIE + "_probe=" + probe);
    assertThat(foreign.status() + " " + foreign.body()).isEqualTo("403 origin not allowed\n");
    assertThat(foreign.header("Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void chipsBridge_setsPartitionedCookiesAndAnswersTheCheck() throws IOException {
    String t = fixture.issuer.issue("ivan").value();
    String[] same = {"Origin: " + self(), "Content-Type: text/plain;charset=UTF-8", "X-WsAuth-Max-Age: 30",
        "Sec-Fetch-Site: same-origin"};
    RawClient.Response cookie = http("POST", "/chips/cookie", t, same);
    assertThat(cookie.status()).isEqualTo(204);
    assertThat(cookie.header("Set-Cookie")).isEqualTo(
        Fixture.COOKIE + "=" + t + "; Path=/hs; Max-Age=30; HttpOnly; SameSite=None; Secure; Partitioned");
    RawClient.Response probe = http("POST", "/chips/probe", "abc123", same);
    assertThat(probe.header("Set-Cookie")).isEqualTo(
        Fixture.COOKIE + "_probe=abc123; Path=/chips/check; Max-Age=30; HttpOnly; SameSite=None; Secure; Partitioned");
    RawClient.Response check = http("GET", "/chips/check?probe=abc123", "", "Origin: " + Fixture.ORIGIN,
        "Cookie: " + Fixture.COOKIE + "_probe=abc123");
    assertThat(check.status() + " " + check.body()).isEqualTo("200 present\n");
  }

  @Test
  void cookie_maxAge_isCappedByTheConfig() throws IOException {
    RawClient.Response r = post("abc", "Origin: " + self(), "Content-Type: text/plain", "X-WsAuth-Max-Age: 99999");
    assertThat(r.status()).isEqualTo(204);
    assertThat(r.header("Set-Cookie")).contains("; Max-Age=120;");
  }

  @Test
  void cookie_crossSitePost_is403AndSetsNothing() throws IOException {
    RawClient.Response r = post("abc", "Origin: https://evil.example", "Content-Type: text/plain",
        "X-WsAuth-Max-Age: 30");
    assertThat(r.status() + " " + r.body()).isEqualTo("403 origin not allowed\n");
    assertThat(r.header("Set-Cookie")).isNull();
  }

  @Test
  void cookie_wrongSecFetchSite_is403AndSetsNothing() throws IOException {
    RawClient.Response r = post("abc", "Origin: " + self(), "Content-Type: text/plain", "X-WsAuth-Max-Age: 30",
        "Sec-Fetch-Site: cross-site");
    assertThat(r.status() + " " + r.body()).isEqualTo("403 origin not allowed\n");
    assertThat(r.header("Set-Cookie")).isNull();
  }

  @Test
  void cookie_badInput_is4xx() throws IOException {
    assertThat(post("abc", "Origin: " + self(), "Content-Type: application/json", "X-WsAuth-Max-Age: 30").status())
        .isEqualTo(415);
    assertThat(post("a b", "Origin: " + self(), "Content-Type: text/plain", "X-WsAuth-Max-Age: 30").body())
        .isEqualTo("malformed token\n");
    assertThat(post("abc", "Origin: " + self(), "Content-Type: text/plain").body()).isEqualTo("max age required\n");
    assertThat(post("a".repeat(5000), "Origin: " + self(), "Content-Type: text/plain", "X-WsAuth-Max-Age: 30")
        .status()).isEqualTo(413);
    assertThat(post("a".repeat(4097), "Origin: " + self(), "Content-Type: text/plain", "X-WsAuth-Max-Age: 30")
        .status()).as("one byte over the body cap").isEqualTo(413);
    RawClient.Response atCap = post("a".repeat(4096), "Origin: " + self(), "Content-Type: text/plain",
        "X-WsAuth-Max-Age: 30");
    assertThat(atCap.status()).as("the body cap, exactly").isEqualTo(204);
    assertThat(atCap.header("Set-Cookie")).contains("a".repeat(4096));
  }

  @Test
  void page_isServedWithFrameAncestorsPinnedToTheParent() throws IOException {
    RawClient.Response r = http("GET", "/wsauth/cookie-bridge.html?parent=" + Fixture.ORIGIN, "");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Content-Security-Policy")).isEqualTo("default-src 'none'; script-src 'self'; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors " + Fixture.ORIGIN);
    // Tomcat re-serialises Content-Type without the space: the same media type and charset.
    assertThat(r.header("Content-Type").replace(" ", "")).isEqualToIgnoringCase("text/html;charset=utf-8");
    assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(r.body()).isEqualTo(new String(resource("cookie-bridge.html"), StandardCharsets.UTF_8));
  }

  @Test
  void page_foreignParent_is403() throws IOException {
    RawClient.Response r = http("GET", "/wsauth/cookie-bridge.html?parent=https://evil.example", "");
    assertThat(r.status() + " " + r.body()).isEqualTo("403 parent origin not allowed\n");
  }

  @Test
  void scripts_areServedAsJavaScript_andOthers404_wrongMethod405() throws IOException {
    for (String name : new String[] {"cookie-bridge.js", "wsauth.js"}) {
      RawClient.Response r = http("GET", "/wsauth/" + name, "");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("Content-Type").replace(" ", "")).isEqualToIgnoringCase("text/javascript;charset=utf-8");
      assertThat(r.body()).isEqualTo(new String(resource(name), StandardCharsets.UTF_8));
    }
    assertThat(http("GET", "/wsauth/other.txt", "").status()).isEqualTo(404);
    RawClient.Response r = http("GET", "/wsauth/cookie", "");
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("Allow")).isEqualTo("POST");
  }

  @Test
  void theCookieItSets_thenAuthenticatesAWebSocketUpgradeThroughTheFilter() throws Exception {
    String t = fixture.issuer.issue("judy").value();
    RawClient.Response set = post(t, "Origin: " + self(), "Content-Type: text/plain", "X-WsAuth-Max-Age: 30");
    String cookie = set.header("Set-Cookie").split(";", 2)[0];
    JdkClient.Conn c = JdkClient.connect(java.net.URI.create("ws://localhost:" + port + "/hs/annotated"),
        b -> b.header("Cookie", cookie).header("Origin", Fixture.ORIGIN));
    assertThat(c.next()).isEqualTo("hello subject=judy source=COOKIE protocol=-");
    c.close();
  }
}
