package io.github.wsauth.netty;

import static io.github.wsauth.netty.RawHttp.request;
import static io.github.wsauth.netty.RawHttp.upgrade;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Issue 13 items 2, 3, 7 and 9 on a real server over raw sockets: every upgrade is authenticated by its own
 * request, undecodable requests are refused, invalid handshakes use no token up, absolute-form targets are
 * answered. Each negative case carries a valid, unused token, so only the check under test can refuse it.
 */
@ExtendWith(LeakDetection.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HandshakeSocketTest {
  private static final String EVIL = "Origin: https://evil.example";
  private static final String APP = "Origin: " + TestTokens.APP_ORIGIN;

  private final TestTokens tokens = new TestTokens();
  private WsAuthConfig config;
  private TestServer server;

  @BeforeAll
  void start() throws InterruptedException {
    config = WsAuthConfig.builder().websocketPath("/ws").handshake(tokens.handshake().build())
        .clock(tokens.clock).build();
    server = TestServer.start(config, TestServer.Mode.UPGRADE);
  }

  @AfterAll
  void stop() throws InterruptedException {
    server.close();
  }

  /** Upgrades with {@code token} as a Bearer header and returns the greeting. */
  private String upgradesWith(String token) throws Exception {
    try (RawHttp c = RawHttp.connect(server.port())) {
      RawHttp.Response r = c.send(upgrade("/ws", "Authorization: Bearer " + token)).read();
      assertThat(r.status()).isEqualTo(101);
      return c.readTextFrame();
    }
  }

  private static void assertRefusedAndClosed(RawHttp c, RawHttp.Response r, int status) throws Exception {
    assertThat(r).as("an answer, not a hang").isNotNull();
    assertThat(r.status()).isEqualTo(status);
    assertThat(r.header("Connection")).isEqualTo("close");
    assertThat(c.closedByServer()).as("closed after the refusal").isTrue();
  }

  // --- item 7: the handshake is validated before any token is used ---

  static Stream<Arguments> invalidHandshakes() {
    return Stream.of(
        Arguments.of("no Sec-WebSocket-Key", request("GET", "/ws?token=%s", "HTTP/1.1", "Host: 127.0.0.1",
            "Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13") + "\r\n",
            400, "not a WebSocket handshake: invalid Sec-WebSocket-Key\n"),
        Arguments.of("version 99", upgrade("/ws?token=%s").replace("Version: 13", "Version: 99"),
            426, "unsupported WebSocket version\n"),
        Arguments.of("POST", upgrade("/ws?token=%s").replace("GET ", "POST ").replace("\r\n\r\n",
            "\r\nContent-Length: 0\r\n\r\n"), 405, "not a WebSocket handshake: method must be GET\n"),
        Arguments.of("HTTP/1.0", upgrade("/ws?token=%s").replace("HTTP/1.1", "HTTP/1.0"),
            400, "not a WebSocket handshake: HTTP/1.1 required\n"),
        Arguments.of("Upgrade as a list (Netty's handshaker refuses it)",
            upgrade("/ws?token=%s").replace("Upgrade: websocket", "Upgrade: h2c, websocket"),
            400, "not a WebSocket handshake: missing Upgrade: websocket\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidHandshakes")
  void invalidHandshake_isRefusedWithItsStatusAndTheTokenStillWorks(String name, String template, int status,
      String body) throws Exception {
    String token = tokens.issue("alice");
    try (RawHttp c = RawHttp.connect(server.port())) {
      RawHttp.Response r = c.send(String.format(template, token)).read();
      assertRefusedAndClosed(c, r, status);
      assertThat(r.body()).isEqualTo(body);
      if (status == 426) {
        assertThat(r.header("Sec-WebSocket-Version")).isEqualTo("13");
      }
      if (status == 405) {
        assertThat(r.header("Allow")).isEqualTo("GET");
      }
    }
    assertThat(tokens.store.isUnused(token)).as("nothing consumed").isTrue();
    assertThat(upgradesWith(token)).isEqualTo("hello alice AUTHORIZATION_BEARER -");
  }

  @Test
  void queryToken_theApplicationsHandshakeCompleteShowsItMasked() throws Exception {
    String token = tokens.issue("bob");
    try (RawHttp c = RawHttp.connect(server.port())) {
      assertThat(c.send(upgrade("/ws?room=r1&token=" + token, APP)).read().status()).isEqualTo(101);
      assertThat(c.readTextFrame()).isEqualTo("hello bob QUERY_PARAMETER -");
    }
    assertThat(server.handshakeUris).contains("/ws?room=r1&token=***").noneMatch(uri -> uri.contains(token));
  }

  @Test
  void upgradeToAnotherPath_isPassedOnUntouchedAndUsesNoToken() throws Exception {
    String token = tokens.issue("bob");
    try (RawHttp c = RawHttp.connect(server.port())) {
      RawHttp.Response r = c.send(upgrade("/other?token=" + token)).read();
      assertThat(r.status()).as("the application's answer").isEqualTo(404);
    }
    assertThat(tokens.store.isUnused(token)).isTrue();
    assertThat(upgradesWith(token)).isEqualTo("hello bob AUTHORIZATION_BEARER -");
  }

  // --- item 2: the request is authenticated, not the connection ---

  @Test
  void refused426_thenAnUpgradeWithoutCredentialOnTheSameConnection_isNeverUpgraded() throws Exception {
    String token = tokens.issue("carol");
    try (RawHttp c = RawHttp.connect(server.port())) {
      RawHttp.Response r = c.send(upgrade("/ws", "Authorization: Bearer " + token)
          .replace("Version: 13", "Version: 99")).read();
      assertThat(r.status()).isEqualTo(426);
      assertThat(r.header("Sec-WebSocket-Version")).isEqualTo("13");
      c.send(upgrade("/ws", EVIL));
      assertThat(c.read()).as("no answer but the end of the connection, certainly no 101").isNull();
    }
    assertThat(tokens.store.isUnused(token)).isTrue();
  }

  @Test
  void acceptedRequestNettyDoesNotUpgrade_leavesTheNextRequestToItsOwnCredential() throws Exception {
    // Netty's protocol handler tuned to exact URIs: it ignores "/ws?token=...", which wsauth accepts; the
    // application answers 404 and keeps the connection open. Its own config: the warning is logged once per config.
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").handshake(tokens.handshake().build())
        .clock(tokens.clock).build();
    try (LogCapture log = new LogCapture();
        TestServer narrow = TestServer.wired(true, (p, s) -> p.addLast(new HttpServerCodec(),
            new HttpObjectAggregator(65536), NettyWsAuth.upgradeHandler(config),
            new WebSocketServerProtocolHandler(config.protocolConfigBuilder().checkStartsWith(false).build()),
            s.app()));
        RawHttp c = RawHttp.connect(narrow.port())) {
      RawHttp.Response first = c.send(upgrade("/ws?token=" + tokens.issue("dave"), APP)).read();
      assertThat(first.status()).isEqualTo(404);
      RawHttp.Response second = c.send(upgrade("/ws", EVIL)).read();
      assertThat(second.status()).as("authenticated by itself: foreign Origin").isEqualTo(403);
      assertThat(c.closedByServer()).isTrue();

      RawHttp c2 = RawHttp.connect(narrow.port());
      assertThat(c2.send(upgrade("/ws?token=" + tokens.issue("dave"), APP)).read().status()).isEqualTo(404);
      RawHttp.Response none = c2.send(upgrade("/ws", APP)).read();
      assertThat(none.status()).as("no credential").isEqualTo(401);
      c2.close();
      assertThat(log.lines()).containsExactly("WARNING wsauth: an upgrade request wsauth accepted was answered 404 "
          + "instead of 101, so its credential was used without an upgrade: WebSocketServerProtocolHandler "
          + "matches fewer requests than WsAuthConfig's websocketPath=/ws (checkStartsWith=true); build it with "
          + "new WebSocketServerProtocolHandler(config.protocolConfig())");
    }
  }

  @Test
  void ignoredAbsoluteFormTarget_thenAnUpgradeWithoutCredential_isRefused() throws Exception {
    // The issue's case: a target Netty ignores (here a ws: absolute-form target, which is not HTTP's absolute-form
    // and stays as it is) answered by the application, then an unauthenticated upgrade on the same connection.
    String token = tokens.issue("lena");
    try (TestServer keepAlive = TestServer.wired(true, (p, s) -> p.addLast(new HttpServerCodec(),
            new HttpObjectAggregator(65536), NettyWsAuth.upgradeHandler(config),
            new WebSocketServerProtocolHandler(config.protocolConfig()), s.app()));
        RawHttp c = RawHttp.connect(keepAlive.port())) {
      RawHttp.Response first = c.send(upgrade("ws://127.0.0.1:" + keepAlive.port() + "/ws",
          "Authorization: Bearer " + token)).read();
      assertThat(first.status()).as("ignored by Netty, answered by the application").isEqualTo(404);
      RawHttp.Response second = c.send(upgrade("/ws", EVIL)).read();
      assertThat(second.status()).isEqualTo(403);
    }
    assertThat(tokens.store.isUnused(token)).as("not this endpoint: nothing used").isTrue();
  }

  // --- item 9: absolute-form targets are answered ---

  @Test
  void absoluteForm_withAValidToken_isUpgradedAsItsSubject() throws Exception {
    String target = "http://127.0.0.1:" + server.port() + "/ws";
    try (RawHttp c = RawHttp.connect(server.port())) {
      RawHttp.Response r = c.send(upgrade(target, "Authorization: Bearer " + tokens.issue("erin"))).read();
      assertThat(r.status()).isEqualTo(101);
      assertThat(c.readTextFrame()).isEqualTo("hello erin AUTHORIZATION_BEARER -");
    }
    try (RawHttp c = RawHttp.connect(server.port())) {
      RawHttp.Response r = c.send(upgrade("HTTP://ws.example/ws?token=" + tokens.issue("frank"))).read();
      assertThat(r.status()).isEqualTo(101);
      assertThat(c.readTextFrame()).isEqualTo("hello frank QUERY_PARAMETER -");
    }
  }

  @Test
  void absoluteForm_refusals_areAnswered() throws Exception {
    String target = "http://127.0.0.1:" + server.port() + "/ws";
    try (RawHttp c = RawHttp.connect(server.port())) {
      assertRefusedAndClosed(c, c.send(upgrade(target)).read(), 401);
    }
    try (RawHttp c = RawHttp.connect(server.port())) {
      assertRefusedAndClosed(c, c.send(upgrade(target, "Cookie: wsauth=" + tokens.issue("gina"), EVIL)).read(), 403);
    }
    try (RawHttp c = RawHttp.connect(server.port())) {
      RawHttp.Response r = c.send(upgrade("http://127.0.0.1/elsewhere")).read();
      assertThat(r.status()).as("not the endpoint: the application answers").isEqualTo(404);
    }
  }

  // --- item 3: a request Netty could not decode is refused before anything else ---

  private static String padding(int bytes) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; b.length() < bytes; i++) {
      b.append("X-Pad-").append(i).append(": ").append("p".repeat(1000)).append("\r\n");
    }
    return b.toString();
  }

  @Test
  void originAfter8KiBOfHeaders_is431AndTheCookieIsNotUsed() throws Exception {
    String token = tokens.issue("hank");
    try (RawHttp c = RawHttp.connect(server.port())) {
      String head = upgrade("/ws", "Cookie: wsauth=" + token);
      RawHttp.Response r = c.send(head.substring(0, head.length() - 2) + padding(8192) + EVIL + "\r\n\r\n").read();
      assertRefusedAndClosed(c, r, 431);
      assertThat(r.body()).isEqualTo("request header fields too large\n");
    }
    assertThat(tokens.store.isUnused(token)).isTrue();
  }

  @Test
  void nulByteInAHeaderBeforeOrigin_is400AndTheCookieIsNotUsed() throws Exception {
    String token = tokens.issue("ivan");
    try (RawHttp c = RawHttp.connect(server.port())) {
      String head = upgrade("/ws", "Cookie: wsauth=" + token, "X-Note: a\0b", EVIL);
      RawHttp.Response r = c.send(head).read();
      assertRefusedAndClosed(c, r, 400);
      assertThat(r.body()).isEqualTo("malformed request\n");
    }
    try (RawHttp c = RawHttp.connect(server.port())) {
      String head = upgrade("/ws", "Cookie: wsauth=" + token, "X-N\0te: a", EVIL);
      assertRefusedAndClosed(c, c.send(head).read(), 400);
    }
    assertThat(tokens.store.isUnused(token)).isTrue();
  }

  @Test
  void upgradeHeadersAfterTheLimit_onWhatLooksLikeAPlainRequest_is431() throws Exception {
    String token = tokens.issue("judy");
    try (RawHttp c = RawHttp.connect(server.port())) {
      String head = request("GET", "/ws", "HTTP/1.1", "Host: 127.0.0.1", "Cookie: wsauth=" + token)
          + padding(8192) + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + RawHttp.KEY
          + "\r\nSec-WebSocket-Version: 13\r\n" + EVIL + "\r\n\r\n";
      assertRefusedAndClosed(c, c.send(head).read(), 431);
    }
    try (RawHttp c = RawHttp.connect(server.port())) {
      String head = request("GET", "/ws", "HTTP/1.1", "Host: 127.0.0.1", "X-Note: a\0b", "Upgrade: websocket",
          "Connection: Upgrade", "Sec-WebSocket-Key: " + RawHttp.KEY, "Sec-WebSocket-Version: 13") + "\r\n";
      assertRefusedAndClosed(c, c.send(head).read(), 400);
    }
    assertThat(tokens.store.isUnused(token)).isTrue();
  }

  @Test
  void invalidChunkInTheBody_is400AndTheTokenIsNotUsed() throws Exception {
    String token = tokens.issue("kate");
    try (RawHttp c = RawHttp.connect(server.port())) {
      String head = upgrade("/ws", "Authorization: Bearer " + token, "Transfer-Encoding: chunked");
      RawHttp.Response r = c.send(head + "zz\r\n").read();
      assertRefusedAndClosed(c, r, 400);
      assertThat(r.body()).isEqualTo("malformed request\n");
    }
    assertThat(tokens.store.isUnused(token)).isTrue();
  }

  @Test
  void requestLineOverTheLimit_is414() throws Exception {
    try (RawHttp c = RawHttp.connect(server.port())) {
      RawHttp.Response r = c.send(upgrade("/ws?token=" + "a".repeat(5000))).read();
      assertRefusedAndClosed(c, r, 414);
      assertThat(r.body()).isEqualTo("request line too long\n");
    }
  }
}
