package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.CredentialSource;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

@ExtendWith(LeakDetection.class)
class UpgradeAuthHandlerTest {
  private final TestTokens tokens = new TestTokens();

  static FullHttpRequest upgrade(String uri, String... headers) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    r.headers().set(HttpHeaderNames.HOST, "ws.example").set(HttpHeaderNames.UPGRADE, "websocket")
        .set(HttpHeaderNames.CONNECTION, "Upgrade")
        .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, "dGhlIHNhbXBsZSBub25jZQ==")
        .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
    for (int i = 0; i < headers.length; i += 2) {
      r.headers().add(headers[i], headers[i + 1]);
    }
    return r;
  }

  private WsAuthConfig config(HandshakeAuthenticator authenticator) {
    return WsAuthConfig.builder().websocketPath("/ws").handshakeAuthenticator(authenticator)
        .clock(tokens.clock).build();
  }

  private EmbeddedChannel channel(WsAuthConfig config, Recorder app) {
    return new EmbeddedChannel(NettyWsAuth.upgradeHandler(config), app);
  }

  private FullHttpResponse refused(EmbeddedChannel ch, FullHttpRequest request) {
    assertThat(ch.writeInbound(request)).isFalse();
    assertThat(request.refCnt()).as("request released").isZero();
    FullHttpResponse response = ch.readOutbound();
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain; charset=utf-8");
    assertThat(ch.isOpen()).as("closed after the answer").isFalse();
    assertThat(NettyWsAuth.identity(ch)).isEmpty();
    return response;
  }

  /** What Netty's handshaker does on success: writes the 101 through the pipeline (so through the handler). */
  static void switchProtocols(EmbeddedChannel ch) {
    assertThat(ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.SWITCHING_PROTOCOLS))).isTrue();
    FullHttpResponse written = ch.readOutbound();
    assertThat(written.status().code()).isEqualTo(101);
    written.release();
  }

  static String body(FullHttpResponse response) {
    try {
      return response.content().toString(StandardCharsets.UTF_8);
    } finally {
      response.release();
    }
  }

  @Test
  void upgrade_validBearer_passesTheRequestAndBindsTheIdentityWhenThe101IsWritten() {
    Recorder app = new Recorder(false);
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), app);
    FullHttpRequest request = upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice"),
        "Origin", TestTokens.APP_ORIGIN);

    assertThat(ch.writeInbound(request)).isTrue();

    FullHttpRequest passed = ch.readInbound();
    assertThat(passed).isSameAs(request);
    assertThat(passed.refCnt()).isEqualTo(1);
    passed.release();
    assertThat(NettyWsAuth.identity(ch)).as("not upgraded yet").isEmpty();
    assertThat(app.events).isEmpty();
    assertThat(ch.pipeline().get(UpgradeAuthHandler.class)).isNotNull();

    switchProtocols(ch);
    Identity identity = NettyWsAuth.identity(ch).orElseThrow();
    assertThat(identity.subject()).isEqualTo("alice");
    assertThat(identity.source()).contains(CredentialSource.AUTHORIZATION_BEARER);
    assertThat(app.events).singleElement().isInstanceOfSatisfying(AuthenticatedEvent.class, e -> {
      assertThat(e.identity()).isEqualTo(identity);
      assertThat(e.stage()).isEqualTo(AuthEvent.Stage.HANDSHAKE);
      assertThat(e.subprotocol()).isEmpty();
    });
    assertThat(ch.pipeline().get(UpgradeAuthHandler.class)).as("removed itself").isNull();
    assertThat(ch.outboundMessages()).isEmpty();
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_queryParameter_isAccepted() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    ch.writeInbound(upgrade("/ws?token=" + tokens.issue("bob")));
    switchProtocols(ch);
    assertThat(NettyWsAuth.identity(ch).map(Identity::subject)).contains("bob");
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_basicWithSubjectAsUsername_isAccepted() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    String basic = Base64.getEncoder().encodeToString(("carol:" + tokens.issue("carol")).getBytes(StandardCharsets.UTF_8));
    ch.writeInbound(upgrade("/ws", "Authorization", "Basic " + basic));
    switchProtocols(ch);
    assertThat(NettyWsAuth.identity(ch).flatMap(Identity::source)).contains(CredentialSource.AUTHORIZATION_BASIC);
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_cookieFromAllowedOrigin_isAccepted() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    ch.writeInbound(upgrade("/ws", "Cookie", "theme=dark; wsauth=" + tokens.issue("dave"), "Origin",
        TestTokens.APP_ORIGIN));
    switchProtocols(ch);
    assertThat(NettyWsAuth.identity(ch).map(Identity::subject)).contains("dave");
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_subprotocolToken_rewritesTheHeaderToTheSelectedApplicationProtocol() {
    Recorder app = new Recorder(false);
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), app);
    String token = tokens.issue("erin");
    ch.writeInbound(upgrade("/ws", "Sec-WebSocket-Protocol", "authorization.bearer." + token + ", other, chat"));

    FullHttpRequest passed = ch.readInbound();
    assertThat(passed.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)).containsExactly("chat");
    passed.release();
    switchProtocols(ch);
    assertThat(((AuthenticatedEvent) app.events.get(0)).subprotocol()).contains("chat");
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_subprotocolTokenWithoutApplicationProtocol_removesTheHeader() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(false));
    ch.writeInbound(upgrade("/ws", "Sec-WebSocket-Protocol", "authorization.bearer." + tokens.issue("erin")));

    FullHttpRequest passed = ch.readInbound();
    assertThat(passed.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)).isFalse();
    passed.release();
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_missingCredential_is401WithEveryChallenge() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    FullHttpResponse response = refused(ch, upgrade("/ws"));
    assertThat(response.status().code()).isEqualTo(401);
    assertThat(response.headers().getAll(HttpHeaderNames.WWW_AUTHENTICATE))
        .containsExactly("Bearer realm=\"wsauth\"", "Basic realm=\"wsauth\", charset=\"UTF-8\"");
    assertThat(body(response)).isEqualTo("credentials required\n");
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_duplicateAuthorization_is400InvalidRequest() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    FullHttpResponse response = refused(ch, upgrade("/ws", "Authorization", "Bearer " + tokens.issue("a"),
        "Authorization", "Bearer " + tokens.issue("a")));
    assertThat(response.status().code()).isEqualTo(400);
    assertThat(response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).contains("error=\"invalid_request\"");
    response.release();
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_forgedToken_is401InvalidToken() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    String forged = "A".repeat(43);
    FullHttpResponse response = refused(ch, upgrade("/ws", "Authorization", "Bearer " + forged));
    assertThat(response.status().code()).isEqualTo(401);
    assertThat(response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE))
        .isEqualTo("Bearer realm=\"wsauth\", error=\"invalid_token\"");
    assertThat(body(response)).isEqualTo("unknown token\n").doesNotContain(forged);
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_replayedToken_is401AlreadyUsed() {
    WsAuthConfig config = config(tokens.handshake().build());
    String token = tokens.issue("alice");
    EmbeddedChannel first = channel(config, new Recorder(true));
    first.writeInbound(upgrade("/ws", "Authorization", "Bearer " + token));
    switchProtocols(first);
    assertThat(NettyWsAuth.identity(first)).isPresent();
    assertFalse(first.finish());

    EmbeddedChannel second = channel(config, new Recorder(true));
    FullHttpResponse response = refused(second, upgrade("/ws", "Authorization", "Bearer " + token));
    assertThat(response.status().code()).isEqualTo(401);
    assertThat(body(response)).isEqualTo("token already used\n");
    assertFalse(second.finish());
  }

  @Test
  void upgrade_expiredToken_is401Expired() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    String token = tokens.issue("alice");
    tokens.clock.advance(Duration.ofMinutes(1));
    FullHttpResponse response = refused(ch, upgrade("/ws", "Authorization", "Bearer " + token));
    assertThat(response.status().code()).isEqualTo(401);
    assertThat(body(response)).isEqualTo("token expired\n");
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_foreignOrigin_is403AndTheTokenIsNotConsumed() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    String token = tokens.issue("alice");
    FullHttpResponse response = refused(ch, upgrade("/ws", "Cookie", "wsauth=" + token, "Origin",
        "https://evil.example"));
    assertThat(response.status().code()).isEqualTo(403);
    assertThat(response.headers().contains(HttpHeaderNames.WWW_AUTHENTICATE)).isFalse();
    response.release();
    assertThat(tokens.store.isUnused(token)).isTrue();
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_storeDown_is503AndConsumesNothing() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    String token = tokens.issue("alice");
    tokens.store.down.set(true);
    FullHttpResponse response = refused(ch, upgrade("/ws", "Authorization", "Bearer " + token));
    assertThat(response.status().code()).isEqualTo(503);
    assertThat(response.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5");
    assertThat(body(response)).isEqualTo("authentication temporarily unavailable\n");
    assertThat(tokens.store.failedCalls.get()).isPositive();
    tokens.store.down.set(false);
    assertThat(tokens.store.isUnused(token)).isTrue();
    assertFalse(ch.finish());
  }

  @Test
  void upgrade_refused_dropsWhatArrivesAfterwards() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    FullHttpRequest first = upgrade("/ws");
    FullHttpRequest second = upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice"));
    ch.writeInbound(first, second);
    assertThat(first.refCnt()).isZero();
    assertThat(second.refCnt()).isZero();
    FullHttpResponse response = ch.readOutbound();
    assertThat(response.status().code()).isEqualTo(401);
    response.release();
    assertThat(NettyWsAuth.identity(ch)).isEmpty();
    assertFalse(ch.finish());
  }

  @Test
  void otherPath_passesThroughUntouched() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(false));
    FullHttpRequest request = upgrade("/wsx");
    assertThat(ch.writeInbound(request)).isTrue();
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed).isSameAs(request);
    assertThat(passed.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY)).isNotNull();
    passed.release();
    assertThat(ch.pipeline().get(UpgradeAuthHandler.class)).as("still guarding").isNotNull();
    assertThat(ch.outboundMessages()).isEmpty();
    assertFalse(ch.finish());
  }

  @Test
  void nonUpgradeRequestOnTheWebSocketPath_passesThroughUntouched() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(false));
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws",
        Unpooled.EMPTY_BUFFER);
    ch.writeInbound(request);
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed).isSameAs(request);
    passed.release();
    assertThat(ch.pipeline().get(UpgradeAuthHandler.class)).isNotNull();
    assertFalse(ch.finish());
  }

  @Test
  void upgradeAttemptWithoutUpgradeHeader_isRefusedAsAnInvalidHandshake() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    String token = tokens.issue("alice");
    FullHttpRequest request = upgrade("/ws", "Authorization", "Bearer " + token);
    request.headers().remove(HttpHeaderNames.UPGRADE);
    FullHttpResponse response = refused(ch, request);
    assertThat(response.status().code()).isEqualTo(400);
    assertThat(body(response)).isEqualTo("not a WebSocket handshake: missing Upgrade: websocket\n");
    assertThat(tokens.store.isUnused(token)).isTrue();
    assertFalse(ch.finish());
  }

  @Test
  void upgradeAttempt_isRecognisedByAnyWebSocketUpgradeValueOrSecWebSocketHeaderInAnyCase() {
    String[][] attempts = {{"Upgrade", "h2c, WebSocket"}, {"UPGRADE", "WEBSOCKET"}, {"sec-websocket-key", "x"},
        {"SEC-WEBSOCKET-PROTOCOL", "chat"}, {"Sec-WebSocket-Extensions", "permessage-deflate"}};
    WsAuthConfig config = config(tokens.handshake().build());
    for (String[] header : attempts) {
      EmbeddedChannel ch = channel(config, new Recorder(true));
      FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
      request.headers().add(header[0], header[1]);
      // Not passed on: refused by the handshake check (the rest of a handshake is missing).
      FullHttpResponse response = refused(ch, request);
      assertThat(response.status().code()).as(header[0] + ": " + header[1]).isIn(400, 426);
      response.release();
      assertFalse(ch.finish());
    }
    EmbeddedChannel ch = channel(config, new Recorder(false));
    FullHttpRequest h2c = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws",
        Unpooled.EMPTY_BUFFER);
    h2c.headers().add("Upgrade", "h2c").add("Sec-Fetch-Mode", "navigate");
    ch.writeInbound(h2c);
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed).isSameAs(h2c);
    passed.release();
    assertFalse(ch.finish());
  }

  @Test
  void subPathAndAbsoluteFormTargets_areAuthenticated() {
    WsAuthConfig config = config(tokens.handshake().build());
    for (String target : new String[] {"/ws/room", "/ws?x=1", "http://ws.example/ws"}) {
      EmbeddedChannel ch = channel(config, new Recorder(true));
      FullHttpResponse response = refused(ch, upgrade(target));
      assertThat(response.status().code()).as(target).isEqualTo(401);
      response.release();
      assertFalse(ch.finish());
    }
  }

  @Test
  void upgrade_withoutAggregator_failsClosedWith503() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
    head.headers().set(HttpHeaderNames.UPGRADE, "websocket");
    ch.writeInbound(head, LastHttpContent.EMPTY_LAST_CONTENT);
    FullHttpResponse response = ch.readOutbound();
    assertThat(response.status().code()).isEqualTo(503);
    response.release();
    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }

  @Test
  void closeOnExpiry_closesTheChannelWhenTheIdentityExpires() {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").handshakeAuthenticator(tokens.handshake().build())
        .clock(tokens.clock).closeOnExpiry(true).build();
    EmbeddedChannel ch = channel(config, new Recorder(true));
    ch.freezeTime();
    ch.writeInbound(upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice")));
    switchProtocols(ch);
    Identity identity = NettyWsAuth.identity(ch).orElseThrow();
    Duration left = Duration.between(tokens.clock.instant(), identity.expiresAt());

    tokens.clock.advance(left.minusSeconds(1));
    ch.advanceTimeBy(left.minusSeconds(1).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("not expired yet").isTrue();

    tokens.clock.advance(Duration.ofSeconds(2));
    ch.advanceTimeBy(2, java.util.concurrent.TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("closed at expiry").isFalse();
    assertFalse(ch.finish());
  }

  @Test
  void config_withoutHandshakeAuthenticator_isRefused() {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessageAuthenticator(tokens.firstMessage().build()).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NettyWsAuth.upgradeHandler(config))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bearerOnlyExtractor_missing_challengesBearerOnly() {
    HandshakeAuthenticator auth = tokens.handshake().extractor(CredentialExtractor.bearerHeader()).build();
    EmbeddedChannel ch = channel(config(auth), new Recorder(true));
    FullHttpResponse response = refused(ch, upgrade("/ws"));
    assertThat(response.headers().getAll(HttpHeaderNames.WWW_AUTHENTICATE)).containsExactly("Bearer realm=\"wsauth\"");
    response.release();
    assertFalse(ch.finish());
  }
}
