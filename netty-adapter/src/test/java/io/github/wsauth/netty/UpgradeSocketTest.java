package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.AuthListener;
import io.github.wsauth.CookieBridge;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.HttpHeaderNames;

/** The upgrade handler on a real server, with the JDK client and the Netty client. */
@ExtendWith(LeakDetection.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpgradeSocketTest {
  private final TestTokens tokens = new TestTokens();
  private final List<AuthEvent> events = new CopyOnWriteArrayList<>();
  private TestServer server;
  private EventLoopGroup clients;

  @BeforeAll
  @SuppressWarnings("deprecation")
  void start() throws InterruptedException {
    AuthListener listener = new AuthListener() {
      @Override
      public void onAccepted(AuthEvent event) {
        events.add(event);
      }
    };
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .handshake(tokens.handshake().listener(listener).build())
        .cookieBridge(CookieBridge.builder().parentOrigin(TestTokens.APP_ORIGIN).cookiePath("/ws").build())
        .clock(tokens.clock).build();
    server = TestServer.start(config, TestServer.Mode.UPGRADE);
    clients = new NioEventLoopGroup(1);
  }

  @AfterAll
  void stop() throws InterruptedException {
    clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    server.close();
  }

  private NettyClient.Conn netty(String path, String subprotocols, String... headers) throws Exception {
    return NettyClient.connect(clients, server.uri(path), subprotocols, NettyClient.headers(headers))
        .get(5, TimeUnit.SECONDS);
  }

  // --- every credential location succeeds ---

  @Test
  void jdk_bearerHeader_isGreetedAsItsSubject() throws Exception {
    JdkClient c = JdkClient.open(server.uri("/ws"), List.of(), "Authorization", "Bearer " + tokens.issue("alice"));
    assertThat(c.nextText()).isEqualTo("hello alice AUTHORIZATION_BEARER -");
    c.send("hi");
    assertThat(c.nextText()).isEqualTo("echo:hi");
    assertThat(server.appFrames).contains("alice:hi");
    c.webSocket.abort();
  }

  @Test
  void jdk_basicUserInfo_isAccepted() throws Exception {
    String basic = Base64.getEncoder().encodeToString(("bob:" + tokens.issue("bob")).getBytes(StandardCharsets.UTF_8));
    JdkClient c = JdkClient.open(server.uri("/ws"), List.of(), "Authorization", "Basic " + basic);
    assertThat(c.nextText()).isEqualTo("hello bob AUTHORIZATION_BASIC -");
    c.webSocket.abort();
  }

  @Test
  void jdk_queryParameter_isAcceptedAndTheRemoteAddressIsReported() throws Exception {
    JdkClient c = JdkClient.open(server.uri("/ws?token=" + tokens.issue("carol")), List.of());
    assertThat(c.nextText()).isEqualTo("hello carol QUERY_PARAMETER -");
    assertThat(events).anySatisfy(e -> {
      assertThat(e.subject()).contains("carol");
      assertThat(e.remoteAddress()).get().extracting(InetSocketAddress::getAddress)
          .satisfies(a -> assertThat(a.isLoopbackAddress()).isTrue());
    });
    c.webSocket.abort();
  }

  @Test
  void jdk_cookieFromTheAppOrigin_isAccepted() throws Exception {
    JdkClient c = JdkClient.open(server.uri("/ws"), List.of(), "Cookie", "wsauth=" + tokens.issue("dave"),
        "Origin", TestTokens.APP_ORIGIN);
    assertThat(c.nextText()).isEqualTo("hello dave COOKIE -");
    c.webSocket.abort();
  }

  @Test
  void jdk_subprotocol_selectsTheApplicationProtocolNotTheToken() throws Exception {
    String token = tokens.issue("erin");
    JdkClient c = JdkClient.open(server.uri("/ws"), List.of("authorization.bearer." + token, "chat"));
    assertThat(c.webSocket.getSubprotocol()).isEqualTo("chat");
    assertThat(c.nextText()).isEqualTo("hello erin SUBPROTOCOL chat");
    c.webSocket.abort();
  }

  @Test
  void jdk_subprotocolTokenOnly_selectsNothing() throws Exception {
    JdkClient c = JdkClient.open(server.uri("/ws"), List.of("authorization.bearer." + tokens.issue("erin")));
    assertThat(c.webSocket.getSubprotocol()).isEmpty();
    assertThat(c.nextText()).isEqualTo("hello erin SUBPROTOCOL -");
    c.webSocket.abort();
  }

  @Test
  void netty_bearerAndSubprotocol_responseNeverContainsTheToken() throws Exception {
    String token = tokens.issue("frank");
    NettyClient.Conn c = netty("/ws", "chat,authorization.bearer." + token);
    assertThat(c.status).isEqualTo(101);
    assertThat(c.subprotocol).isEqualTo("chat");
    assertThat(c.responseHeaders.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)).containsExactly("chat");
    c.responseHeaders.forEach(h -> assertThat(h.getValue()).doesNotContain(token));
    assertThat(c.nextText()).isEqualTo("hello frank SUBPROTOCOL chat");
    c.channel.close().sync();
  }

  @Test
  void netty_bearerHeader_isAccepted() throws Exception {
    NettyClient.Conn c = netty("/ws", null, "Authorization", "Bearer " + tokens.issue("gina"));
    assertThat(c.status).isEqualTo(101);
    assertThat(c.nextText()).isEqualTo("hello gina AUTHORIZATION_BEARER -");
    c.channel.close().sync();
  }

  @Test
  void wildcardSubprotocolInNettysOwnConfig_stillNeverEchoesTheToken() throws Exception {
    TestTokens t = new TestTokens();
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .handshake(t.handshake().build()).clock(t.clock).build();
    // A user who hand-builds Netty's config with "*": Netty echoes the first offered entry it sees.
    try (TestServer wildcard = TestServer.start(config, TestServer.Mode.UPGRADE,
        config.protocolConfigBuilder().subprotocols("*").build(), false)) {
      String token = t.issue("hank");
      NettyClient.Conn c = NettyClient.connect(clients, wildcard.uri("/ws"), "authorization.bearer." + token + ",chat",
          null).get(5, TimeUnit.SECONDS);
      assertThat(c.status).isEqualTo(101);
      assertThat(c.responseHeaders.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)).containsExactly("chat");
      c.responseHeaders.forEach(h -> assertThat(h.getValue()).doesNotContain(token));
      c.channel.close().sync();
    }
  }

  // --- every failure gets its documented status ---

  @Test
  void missing_is401WithChallenges() throws Exception {
    NettyClient.Conn c = netty("/ws", null);
    assertThat(c.status).isEqualTo(401);
    assertThat(c.responseHeaders.getAll(HttpHeaderNames.WWW_AUTHENTICATE)).contains("Bearer realm=\"wsauth\"");
    assertThat(c.responseHeaders.get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    assertThat(c.body).isEqualTo("credentials required\n");
    assertThat(c.awaitClose()).as("server closed the connection").isEqualTo(-1);
    assertThat(JdkClient.refusedStatus(server.uri("/ws"), List.of())).isEqualTo(401);
  }

  @Test
  void malformed_is400() throws Exception {
    NettyClient.Conn twice = netty("/ws?token=abc&token=def", null);
    assertThat(twice.status).isEqualTo(400);
    assertThat(twice.responseHeaders.get(HttpHeaderNames.WWW_AUTHENTICATE)).contains("error=\"invalid_request\"");
    assertThat(JdkClient.refusedStatus(server.uri("/ws"), List.of(), "Authorization", "Bearer a b")).isEqualTo(400);
  }

  @Test
  void expired_is401() throws Exception {
    TestTokens t = new TestTokens();
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").handshake(t.handshake().build())
        .clock(t.clock).build();
    try (TestServer s = TestServer.start(config, TestServer.Mode.UPGRADE)) {
      String token = t.issue("ivan");
      t.clock.advance(Duration.ofSeconds(36));
      NettyClient.Conn c = NettyClient.connect(clients, s.uri("/ws"), null,
          NettyClient.headers("Authorization", "Bearer " + token)).get(5, TimeUnit.SECONDS);
      assertThat(c.status).isEqualTo(401);
      assertThat(c.body).isEqualTo("token expired\n");
      assertThat(c.responseHeaders.get(HttpHeaderNames.WWW_AUTHENTICATE)).contains("error=\"invalid_token\"");
    }
  }

  @Test
  void replayed_is401() throws Exception {
    String token = tokens.issue("judy");
    JdkClient first = JdkClient.open(server.uri("/ws"), List.of(), "Authorization", "Bearer " + token);
    assertThat(first.nextText()).startsWith("hello judy");
    first.webSocket.abort();
    NettyClient.Conn again = netty("/ws", null, "Authorization", "Bearer " + token);
    assertThat(again.status).isEqualTo(401);
    assertThat(again.body).isEqualTo("token already used\n");
    assertThat(JdkClient.refusedStatus(server.uri("/ws?token=" + token), List.of())).isEqualTo(401);
  }

  @Test
  void forged_is401() throws Exception {
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    NettyClient.Conn c = netty("/ws", null, "Authorization", "Bearer " + forged);
    assertThat(c.status).isEqualTo(401);
    assertThat(c.body).isEqualTo("unknown token\n");
    assertThat(JdkClient.refusedStatus(server.uri("/ws"), List.of("authorization.bearer." + forged))).isEqualTo(401);
  }

  @Test
  void foreignOrigin_is403() throws Exception {
    String token = tokens.issue("kate");
    NettyClient.Conn c = netty("/ws", null, "Cookie", "wsauth=" + token, "Origin", "https://evil.example");
    assertThat(c.status).isEqualTo(403);
    assertThat(JdkClient.refusedStatus(server.uri("/ws"), List.of(), "Cookie", "wsauth=" + token, "Origin",
        "https://evil.example")).isEqualTo(403);
    assertThat(tokens.store.isUnused(token)).isTrue();
  }

  @Test
  void storeThatThrows_is503AndTheTokenStillWorksAfterwards() throws Exception {
    TestTokens t = new TestTokens();
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").handshake(t.handshake().build())
        .clock(t.clock).build();
    // Added with an EventExecutorGroup, as the docs advise for blocking stores.
    try (TestServer s = TestServer.start(config, TestServer.Mode.UPGRADE, config.protocolConfig(), true)) {
      String token = t.issue("liam");
      t.store.down(true);
      NettyClient.Conn c = NettyClient.connect(clients, s.uri("/ws"), null,
          NettyClient.headers("Authorization", "Bearer " + token)).get(5, TimeUnit.SECONDS);
      assertThat(c.status).isEqualTo(503);
      assertThat(c.responseHeaders.get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5");
      assertThat(JdkClient.refusedStatus(s.uri("/ws"), List.of(), "Authorization", "Bearer " + token)).isEqualTo(503);
      t.store.down(false);
      JdkClient ok = JdkClient.open(s.uri("/ws"), List.of(), "Authorization", "Bearer " + token);
      assertThat(ok.nextText()).isEqualTo("hello liam AUTHORIZATION_BEARER -");
      ok.webSocket.abort();
    }
  }

  // --- the cookie bridge, end to end over HTTP ---

  @Test
  void cookieBridge_setsTheCookieThatThenAuthenticatesTheUpgrade() throws Exception {
    String page = JdkClient.HTTP.send(HttpRequest.newBuilder(server.httpUri(
        "/wsauth/cookie-bridge.html?parent=https%3A%2F%2Fapp.example")).build(),
        HttpResponse.BodyHandlers.ofString()).headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(page).endsWith("frame-ancestors https://app.example");

    String token = tokens.issue("mia");
    HttpResponse<String> set = JdkClient.HTTP.send(HttpRequest.newBuilder(server.httpUri("/wsauth/cookie"))
        .header("Origin", "http://127.0.0.1:" + server.port())
        .header("Content-Type", "text/plain;charset=UTF-8")
        .header("X-WsAuth-Max-Age", "25")
        .POST(HttpRequest.BodyPublishers.ofString(token)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(set.statusCode()).isEqualTo(204);
    String cookie = set.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(cookie).isEqualTo("wsauth=" + token + "; Path=/ws; Max-Age=25; HttpOnly; SameSite=Strict");

    JdkClient c = JdkClient.open(server.uri("/ws"), List.of(), "Cookie", cookie.substring(0, cookie.indexOf(';')),
        "Origin", TestTokens.APP_ORIGIN);
    assertThat(c.nextText()).isEqualTo("hello mia COOKIE -");
    c.webSocket.abort();
  }

  @Test
  void cookieBridge_postFromAnotherOrigin_is403() throws Exception {
    HttpResponse<String> r = JdkClient.HTTP.send(HttpRequest.newBuilder(server.httpUri("/wsauth/cookie"))
        .header("Origin", "https://evil.example").header("Content-Type", "text/plain")
        .header("X-WsAuth-Max-Age", "25").POST(HttpRequest.BodyPublishers.ofString("tok")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void cookieBridge_requestWithHeadersPastTheDecoderLimit_isRefused431ByTheUpgradeHandler() throws Exception {
    StringBuilder padding = new StringBuilder();
    for (int i = 0; padding.length() < 8192; i++) {
      padding.append("X-Pad-").append(i).append(": ").append("p".repeat(1000)).append("\r\n");
    }
    String token = tokens.issue("nora");
    try (RawHttp c = RawHttp.connect(server.port())) {
      RawHttp.Response r = c.send(RawHttp.request("POST", "/wsauth/cookie", "HTTP/1.1", "Host: 127.0.0.1",
          "Origin: http://127.0.0.1:" + server.port(), "Content-Type: text/plain", "X-WsAuth-Max-Age: 25",
          "Content-Length: " + token.length()) + padding + "Sec-Fetch-Site: cross-site\r\n\r\n" + token).read();
      assertThat(r.status()).isEqualTo(431);
      assertThat(r.body()).isEqualTo("request header fields too large\n");
      assertThat(r.header("Set-Cookie")).isNull();
    }
  }
}
