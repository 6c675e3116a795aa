package io.github.wsauth.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.CookieBridge;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.netty.NettyWsAuth;
import io.github.wsauth.netty.WsAuthConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * The cookie bridge in real browsers, same site and across sites: an application page on {@code localhost}
 * (same site as the WebSocket server, another port) or on {@code 127.0.0.1} (another site), and the bridge and
 * WebSocket server (Netty) on {@code localhost}. {@code wsauth.setCookie()} resolves only when the browser will
 * send the cookie, and then the WebSocket is authenticated by it; when the browser drops or withholds it
 * ({@code SameSite=Strict} across sites) it rejects with the reason and no WebSocket is tried. CHIPS mode
 * ({@code SameSite=None; Secure; Partitioned}) works across sites.
 */
class BrowserCookieBridgeTest {
  private static final Map<HeadlessBrowser.Kind, HeadlessBrowser> BROWSERS = new EnumMap<>(HeadlessBrowser.Kind.class);
  private static final java.util.concurrent.atomic.AtomicInteger CASES = new java.util.concurrent.atomic.AtomicInteger();
  private static final DemoTokens TOKENS = new DemoTokens(Clock.systemUTC(), TokenPolicy.defaults(), "http://localhost");
  static final String DROPPED = "wsauth cookie bridge: the browser will not send the cookie to http://localhost:%d"
      + " from this page (it dropped or withholds it: third-party cookie blocking or SameSite=Strict across sites);"
      + " for a page on another site use the bridge's partitioned (CHIPS) mode";

  @AfterAll
  static void stop() throws IOException {
    try {
      for (HeadlessBrowser b : BROWSERS.values()) {
        b.close();
      }
    } finally {
      BROWSERS.clear();
    }
  }

  /** How the bridge sets the cookie. */
  enum Mode {
    /** {@code HttpOnly; SameSite=Strict}, the default. */
    STRICT("SameSite=Strict"),
    /** {@code HttpOnly; SameSite=Strict; Secure} ({@code alwaysSecureCookie}), on {@code http://localhost}. */
    STRICT_SECURE("SameSite=Strict; Secure"),
    /** CHIPS: {@code HttpOnly; SameSite=None; Secure; Partitioned}. */
    CHIPS("CHIPS (SameSite=None; Secure; Partitioned)");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  /**
   * Every browser, page host and mode, with what the browser does (measured): Chromium and Firefox send the CHIPS
   * cookie across sites; WebKitGTK keeps no {@code Secure} cookie from {@code http://localhost} (so no CHIPS
   * cookie there either), and {@code setCookie()} says so.
   */
  static Stream<Arguments> setups() {
    Stream.Builder<Arguments> all = Stream.builder();
    for (HeadlessBrowser.Kind kind : HeadlessBrowser.Kind.values()) {
      boolean webkit = kind == HeadlessBrowser.Kind.WEBKIT;
      all.add(Arguments.of(kind, "localhost", Mode.STRICT, "ok"));
      all.add(Arguments.of(kind, "localhost", Mode.STRICT_SECURE, webkit ? "rejected" : "ok"));
      all.add(Arguments.of(kind, "localhost", Mode.CHIPS, webkit ? "rejected" : "ok"));
      all.add(Arguments.of(kind, "127.0.0.1", Mode.CHIPS, webkit ? "rejected" : "ok"));
      all.add(Arguments.of(kind, "127.0.0.1", Mode.STRICT, "rejected"));
    }
    return all.build();
  }

  @ParameterizedTest(name = "{0}: page on {1}, {2} -> {3}")
  @MethodSource("setups")
  void setCookie_thenConnect(HeadlessBrowser.Kind kind, String pageHost, Mode mode, String expected)
      throws Exception {
    HeadlessBrowser browser = BrowserDemoTest.browser(kind, BROWSERS);
    AuthLog log = new AuthLog();
    // A cookie name of its own per case: the browser keeps the earlier cases' cookies (other partitions too).
    String cookieName = "wsauth" + CASES.incrementAndGet();
    HttpServer page = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    String pageOrigin = "http://" + pageHost + ":" + page.getAddress().getPort();
    WsAuthConfig wsauth = WsAuthConfig.builder()
        .websocketPath(NettyServers.PATH)
        .handshake(HandshakeAuthenticator.builder()
            .extractor(CredentialExtractor.cookie(cookieName))
            .verifier(TOKENS.verifier())
            .originPolicy(OriginPolicy.allowOnly(pageOrigin))
            .listener(log.listener(AuthMethod.COOKIE))
            .build())
        .cookieBridge(CookieBridge.builder()
            .cookieName(cookieName)
            .parentOrigin(pageOrigin)
            .partitionedCookie(mode == Mode.CHIPS)
            .alwaysSecureCookie(mode == Mode.STRICT_SECURE)
            .build())
        .build();
    try (NettyDemoServer server = NettyDemoServer.start(AuthMethod.COOKIE, 0, p -> p
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(8192))
        .addLast(NettyWsAuth.cookieBridgeHandler(wsauth))
        .addLast(NettyWsAuth.upgradeHandler(wsauth))
        .addLast(new WebSocketServerProtocolHandler(wsauth.protocolConfig())))) {
      String wsOrigin = "http://localhost:" + server.port();
      byte[] html = ("<!doctype html><title>app on " + pageHost + "</title><body>"
          + "<script src=\"" + wsOrigin + "/wsauth/wsauth.js\"></script></body>").getBytes(StandardCharsets.UTF_8);
      page.createContext("/", exchange -> {
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, html.length);
        try (exchange) {
          exchange.getResponseBody().write(html);
        }
      });
      page.start();
      browser.open(pageOrigin + "/");
      browser.waitUntil("window.wsauth", Duration.ofSeconds(10));
      String token = TOKENS.issue("cora", DemoTokens.Kind.OPAQUE).value();
      String outcome = browser.call("try { await wsauth.setCookie(args[0], args[1], 30); }"
          + " catch (e) { return 'rejected: ' + e.message; }"
          + "return await new Promise(done => {"
          + "  const ws = new WebSocket(args[2]);"
          + "  let said = '';"
          + "  ws.onmessage = (e) => { said = e.data; ws.send('Goodbye cora.'); };"
          + "  ws.onclose = (e) => done('set; ' + said + ' ' + e.code); });",
          wsOrigin + "/wsauth/cookie-bridge.html", token, "ws://localhost:" + server.port() + "/");
      List<AuthEvent> events = log.events(AuthMethod.COOKIE);
      BrowserMatrix.recordLine(browser, "cookie bridge, page on " + pageHost + " (WebSocket on localhost), "
          + mode.label, outcome.startsWith("set; Hello") ? "ok"
              : outcome.startsWith("rejected: wsauth cookie bridge: the browser will not send the cookie")
                  ? "setCookie() rejected: the browser will not send the cookie" : outcome);
      if ("ok".equals(expected)) {
        assertThat(outcome).as(browser.version()).isEqualTo("set; Hello cora! 1000");
        assertThat(events).hasSize(1);
        assertThat(events.get(0).accepted()).isTrue();
      } else {
        assertThat(outcome).as(browser.version()).isEqualTo("rejected: " + String.format(DROPPED, server.port()));
        assertThat(events).as("no WebSocket was tried").isEmpty();
      }
    } finally {
      page.stop(0);
    }
  }
}
