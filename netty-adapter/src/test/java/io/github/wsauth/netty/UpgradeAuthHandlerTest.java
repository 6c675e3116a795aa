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
    return WsAuthConfig.builder().websocketPath("/ws").handshake(authenticator)
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
    // core's HttpRejection rendering, the same on every adapter (was "text/plain; charset=utf-8" on Netty)
    assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain;charset=utf-8");
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
  void upgrade_queryParameter_isPassedOnWithTheTokenMasked_otherParametersKept() {
    Recorder app = new Recorder(false);
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), app);
    String token = tokens.issue("bob");
    assertThat(ch.writeInbound(upgrade("/ws?room=r1&token=" + token + "&v=2"))).isTrue();
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed.uri()).as("what Netty's HandshakeComplete and the application see")
        .isEqualTo("/ws?room=r1&token=***&v=2");
    passed.release();
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
    tokens.store.down(true);
    FullHttpResponse response = refused(ch, upgrade("/ws", "Authorization", "Bearer " + token));
    assertThat(response.status().code()).isEqualTo(503);
    assertThat(response.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("5");
    assertThat(body(response)).isEqualTo("authentication temporarily unavailable\n");
    assertThat(tokens.store.failedCalls()).isPositive();
    tokens.store.down(false);
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
      assertThat(response.status().code()).as(header[0] + ": " + header[1]).isEqualTo(400);
      assertThat(body(response)).startsWith("not a WebSocket handshake: missing ");
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
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").handshake(tokens.handshake().build())
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
        .firstMessage(tokens.firstMessage().build()).build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NettyWsAuth.upgradeHandler(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the config has no handshake authenticator (set WsAuthConfig.Builder.handshake)");
    WsAuthConfig handshakeOnly = WsAuthConfig.builder().websocketPath("/ws").handshake(tokens.handshake().build())
        .build();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NettyWsAuth.firstMessageHandler(handshakeOnly))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the config has no first-message authenticator (set WsAuthConfig.Builder.firstMessage)");
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

  // --- issue 13 item 2: the decision is bound to the upgrade that happens ---

  @Test
  void acceptedRequestAnsweredOtherwise_bindsNothing_andTheNextRequestNeedsItsOwnCredential() {
    Recorder app = new Recorder(true);
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), app);
    ch.writeInbound(upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice")));
    // What Netty's protocol handler does for a version it does not speak, or the application for a path it
    // does not serve: a final answer that is not 101.
    assertThat(ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.UPGRADE_REQUIRED))).isTrue();
    FullHttpResponse answer = ch.readOutbound();
    assertThat(answer.status().code()).isEqualTo(426);
    answer.release();
    assertThat(NettyWsAuth.identity(ch)).isEmpty();
    assertThat(app.events).isEmpty();
    assertThat(ch.pipeline().get(UpgradeAuthHandler.class)).as("still guarding").isNotNull();

    FullHttpResponse second = refused(ch, upgrade("/ws", "Origin", TestTokens.APP_ORIGIN));
    assertThat(second.status().code()).isEqualTo(401);
    assertThat(body(second)).isEqualTo("credentials required\n");
    assertFalse(ch.finish());
  }

  @Test
  void switchingProtocolsWithoutADecision_isNeverWritten_andClosesTheChannel() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    DefaultFullHttpResponse upgraded = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.SWITCHING_PROTOCOLS);
    io.netty.channel.ChannelFuture written = ch.writeAndFlush(upgraded);
    assertThat(written.cause()).isInstanceOf(io.netty.handler.codec.http.websocketx.WebSocketHandshakeException.class)
        .hasMessage("upgraded without a wsauth decision");
    assertThat(upgraded.refCnt()).isZero();
    assertThat(ch.outboundMessages()).isEmpty();
    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }

  @Test
  void switchingProtocolsForTheRequestAfterAnUnansweredOne_isNotTheAcceptedUpgrade() {
    try (LogCapture log = new LogCapture()) {
      EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
      FullHttpRequest plain = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/other");
      ch.writeInbound(plain, upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice")));
      // The 101 answers the first request in HTTP/1.1 order, not the accepted upgrade.
      io.netty.channel.ChannelFuture written = ch.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.SWITCHING_PROTOCOLS));
      assertThat(written.isSuccess()).isFalse();
      assertThat(NettyWsAuth.identity(ch)).isEmpty();
      assertThat(ch.isOpen()).isFalse();
      assertThat(log.lines()).as("the client's doing, not a wiring mistake").isEmpty();
      assertFalse(ch.finish());
    }
  }

  @Test
  void switchingProtocolsAfterTheEarlierRequestWasAnswered_isTheAcceptedUpgrade() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    FullHttpRequest plain = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/other");
    ch.writeInbound(plain, upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice")));
    assertThat(ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND)))
        .isTrue();
    ((FullHttpResponse) ch.readOutbound()).release();
    switchProtocols(ch);
    assertThat(NettyWsAuth.identity(ch).map(Identity::subject)).contains("alice");
    assertFalse(ch.finish());
  }

  @Test
  void secondUpgradePipelinedBehindAnUnansweredAcceptedOne_is400WithoutReadingItsCredential() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    String second = tokens.issue("bob");
    ch.writeInbound(upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice")));
    FullHttpRequest pipelined = upgrade("/ws", "Authorization", "Bearer " + second);
    FullHttpResponse response = refused(ch, pipelined);
    assertThat(response.status().code()).isEqualTo(400);
    assertThat(body(response)).isEqualTo("one upgrade request at a time\n");
    assertThat(tokens.store.isUnused(second)).isTrue();
    assertFalse(ch.finish());
  }

  // --- issue 13 item 3: undecodable requests ---

  @Test
  void undecodableRequest_isRefusedByItsCause_neitherAuthenticatedNorPassedOn() {
    Object[][] cases = {{new io.netty.handler.codec.http.TooLongHttpHeaderException("x"), 431,
        "request header fields too large\n"}, {new io.netty.handler.codec.http.TooLongHttpLineException("x"), 414,
        "request line too long\n"}, {new IllegalArgumentException("x"), 400, "malformed request\n"}};
    WsAuthConfig config = config(tokens.handshake().build());
    for (Object[] c : cases) {
      String token = tokens.issue("alice");
      Recorder app = new Recorder(true);
      EmbeddedChannel ch = channel(config, app);
      FullHttpRequest request = upgrade("/ws", "Cookie", "wsauth=" + token);
      request.setDecoderResult(io.netty.handler.codec.DecoderResult.failure((Throwable) c[0]));
      FullHttpResponse response = refused(ch, request);
      assertThat(response.status().code()).isEqualTo(c[1]);
      assertThat(body(response)).isEqualTo(c[2]);
      assertThat(app.messages).isEmpty();
      assertThat(tokens.store.isUnused(token)).isTrue();
      assertFalse(ch.finish());
    }
  }

  @Test
  void undecodablePlainRequestOnAnotherPath_isRefusedToo() {
    Recorder app = new Recorder(true);
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), app);
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/elsewhere");
    request.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(new IllegalArgumentException("x")));
    assertThat(refused(ch, request).status().code()).isEqualTo(400);
    assertThat(app.messages).isEmpty();
    assertFalse(ch.finish());
  }

  @Test
  void undecodableContent_isRefused() {
    Recorder app = new Recorder(true);
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), app);
    HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/elsewhere");
    io.netty.handler.codec.http.HttpContent chunk = new io.netty.handler.codec.http.DefaultLastHttpContent();
    chunk.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(new IllegalArgumentException("x")));
    ch.writeInbound(head, chunk);
    assertThat(chunk.refCnt()).isZero();
    FullHttpResponse response = ch.readOutbound();
    assertThat(response.status().code()).isEqualTo(400);
    assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
    response.release();
    assertThat(app.messages).containsExactly(DefaultHttpRequest.class.getName());
    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }

  // --- issue 13 item 7: the handshake is checked before the credential ---

  @Test
  void unsupportedVersion_is426WithTheVersionHeader_andUsesNothing() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    String token = tokens.issue("alice");
    FullHttpRequest request = upgrade("/ws", "Authorization", "Bearer " + token);
    request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "99");
    FullHttpResponse response = refused(ch, request);
    assertThat(response.status().code()).isEqualTo(426);
    assertThat(response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION)).isEqualTo("13");
    assertThat(body(response)).isEqualTo("unsupported WebSocket version\n");
    assertThat(tokens.store.isUnused(token)).isTrue();
    assertFalse(ch.finish());
  }

  @Test
  void post_is405WithAllow_andUsesNothing() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    String token = tokens.issue("alice");
    FullHttpRequest request = upgrade("/ws", "Authorization", "Bearer " + token);
    request.setMethod(HttpMethod.POST);
    FullHttpResponse response = refused(ch, request);
    assertThat(response.status().code()).isEqualTo(405);
    assertThat(response.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET");
    assertThat(body(response)).isEqualTo("not a WebSocket handshake: method must be GET\n");
    assertThat(tokens.store.isUnused(token)).isTrue();
    assertFalse(ch.finish());
  }

  @Test
  void queryOnAnExactPathConfig_isNotTheEndpoint_andPassesUntouched() {
    WsAuthConfig exact = WsAuthConfig.builder().websocketPath("/ws").checkStartsWith(false)
        .handshake(tokens.handshake().build()).clock(tokens.clock).build();
    EmbeddedChannel ch = channel(exact, new Recorder(false));
    String token = tokens.issue("alice");
    FullHttpRequest request = upgrade("/ws?token=" + token);
    ch.writeInbound(request);
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed).isSameAs(request);
    passed.release();
    assertThat(tokens.store.isUnused(token)).as("Netty would not upgrade it: nothing used").isTrue();
    assertFalse(ch.finish());
  }

  // --- issue 13 item 9: absolute-form ---

  @Test
  void absoluteForm_isPassedOnInOriginForm() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(false));
    FullHttpRequest request = upgrade("http://ws.example:8080/ws?token=" + tokens.issue("alice") + "&x=1");
    ch.writeInbound(request);
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed.uri()).startsWith("/ws?token=").endsWith("&x=1");
    passed.release();
    switchProtocols(ch);
    assertThat(NettyWsAuth.identity(ch).map(Identity::subject)).contains("alice");
    assertFalse(ch.finish());
  }

  // --- issue 13 item 11: wirings ---

  @Test
  void placedAfterTheProtocolHandler_closesTheChannelWhenItBecomesActive() {
    WsAuthConfig config = config(tokens.handshake().build());
    try (LogCapture log = new LogCapture()) {
      EmbeddedChannel ch = new EmbeddedChannel(new io.netty.handler.codec.http.websocketx
          .WebSocketServerProtocolHandler(config.protocolConfig()), NettyWsAuth.upgradeHandler(config));
      assertThat(ch.isOpen()).isFalse();
      EmbeddedChannel again = new EmbeddedChannel(new io.netty.handler.codec.http.websocketx
          .WebSocketServerProtocolHandler(config.protocolConfig()), NettyWsAuth.upgradeHandler(config));
      assertThat(again.isOpen()).isFalse();
      assertThat(log.lines()).singleElement().asString().startsWith("SEVERE wsauth: NettyWsAuth.upgradeHandler is "
          + "placed after WebSocketServerProtocolHandler");
      // Closing passes WebSocketServerProtocolHandler, which writes a close frame (dropped by a real HTTP codec).
      for (EmbeddedChannel c : new EmbeddedChannel[] {ch, again}) {
        for (Object out; (out = c.readOutbound()) != null; ) {
          assertThat(out).isInstanceOf(io.netty.handler.codec.http.websocketx.CloseWebSocketFrame.class);
          io.netty.util.ReferenceCountUtil.release(out);
        }
        assertFalse(c.finish());
      }
    }
  }

  @Test
  void rawBytes_closeTheChannel() {
    try (LogCapture log = new LogCapture()) {
      EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
      io.netty.buffer.ByteBuf bytes = Unpooled.copiedBuffer("GET /ws HTTP/1.1\r\n", StandardCharsets.US_ASCII);
      assertThat(ch.writeInbound(bytes)).isFalse();
      assertThat(bytes.refCnt()).isZero();
      assertThat(ch.isOpen()).isFalse();
      assertThat(log.lines()).singleElement().asString().startsWith("SEVERE wsauth: NettyWsAuth.upgradeHandler "
          + "received raw bytes");
      assertFalse(ch.finish());
    }
  }

  // --- unit tests of the wiring checks and the answer bookkeeping (pinned for mutation testing) ---

  private static final String AFTER_PROTOCOL = "SEVERE " + "wsauth: NettyWsAuth.upgradeHandler is placed after "
      + "WebSocketServerProtocolHandler";

  private io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler protocolHandler(WsAuthConfig config) {
    return new io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler(config.protocolConfig());
  }

  @Test
  void placedAfterTheProtocolHandler_closesAtActivation_andSaysWhy() {
    WsAuthConfig config = config(tokens.handshake().build());
    try (LogCapture log = new LogCapture()) {
      java.util.concurrent.atomic.AtomicBoolean active = new java.util.concurrent.atomic.AtomicBoolean();
      EmbeddedChannel ch = new EmbeddedChannel(false, false, protocolHandler(config),
          NettyWsAuth.upgradeHandler(config), new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
              active.set(true);
            }
          });
      try {
        ch.register();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      assertThat(ch.isOpen()).isFalse();
      assertThat(active).as("a refused connection never reaches the application").isFalse();
      assertThat(log.lines()).singleElement().asString().startsWith(AFTER_PROTOCOL);
      ch.finishAndReleaseAll(); // what Netty's protocol handler left is not this test's
    }
  }

  @Test
  void addedAfterTheProtocolHandler_onALiveChannel_closesIt() {
    WsAuthConfig config = config(tokens.handshake().build());
    try (LogCapture log = new LogCapture()) {
      EmbeddedChannel ch = new EmbeddedChannel(protocolHandler(config));
      assertThat(ch.isOpen()).isTrue();
      ch.pipeline().addLast(NettyWsAuth.upgradeHandler(config));
      assertThat(ch.isOpen()).isFalse();
      assertThat(log.lines()).singleElement().asString().startsWith(AFTER_PROTOCOL);
      ch.finishAndReleaseAll(); // what Netty's protocol handler left is not this test's
    }
  }

  @Test
  void placedBeforeTheProtocolHandler_staysOpen_andPassesActivation() {
    WsAuthConfig config = config(tokens.handshake().build());
    java.util.concurrent.atomic.AtomicBoolean active = new java.util.concurrent.atomic.AtomicBoolean();
    EmbeddedChannel ch = new EmbeddedChannel(NettyWsAuth.upgradeHandler(config), protocolHandler(config),
        new io.netty.channel.ChannelInboundHandlerAdapter() {
          @Override
          public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
            active.set(true);
          }
        });
    assertThat(ch.isOpen()).isTrue();
    assertThat(active).isTrue();
    ch.finishAndReleaseAll();
  }

  @Test
  @SuppressWarnings("deprecation")
  void upgradeCompletedWithoutPassingThe101_closes_andSaysWhy() {
    for (Object evt : new Object[] {new io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler
        .HandshakeComplete("/ws", new io.netty.handler.codec.http.DefaultHttpHeaders(), null),
        io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.ServerHandshakeStateEvent
            .HANDSHAKE_COMPLETE}) {
      WsAuthConfig config = config(tokens.handshake().build());
      try (LogCapture log = new LogCapture()) {
        Recorder app = new Recorder(true);
        EmbeddedChannel ch = channel(config, app);
        ch.pipeline().fireUserEventTriggered(evt);
        assertThat(app.events).isEmpty();
        assertThat(ch.isOpen()).isFalse();
        assertThat(log.lines()).singleElement().asString()
            .startsWith("SEVERE wsauth: a connection was upgraded without a wsauth decision");
        assertFalse(ch.finish());
      }
    }
  }

  @Test
  void otherUserEvents_passThrough() {
    Recorder app = new Recorder(true);
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), app);
    ch.pipeline().fireUserEventTriggered("some event");
    assertThat(app.events).containsExactly("some event");
    assertThat(ch.isOpen()).isTrue();
    assertFalse(ch.finish());
  }

  @Test
  void contentOutsideARequest_passesThrough() {
    Recorder app = new Recorder(true);
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), app);
    ch.writeInbound(new io.netty.handler.codec.http.DefaultHttpContent(Unpooled.copiedBuffer(new byte[] {1})));
    assertThat(app.messages).containsExactly(io.netty.handler.codec.http.DefaultHttpContent.class.getName());
    assertFalse(ch.finish());
  }

  @Test
  void withoutAggregator_saysWhy() {
    WsAuthConfig config = config(tokens.handshake().build());
    try (LogCapture log = new LogCapture()) {
      EmbeddedChannel ch = channel(config, new Recorder(true));
      HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
      head.headers().set(HttpHeaderNames.UPGRADE, "websocket");
      ch.writeInbound(head, LastHttpContent.EMPTY_LAST_CONTENT);
      FullHttpResponse response = ch.readOutbound();
      response.release();
      assertThat(log.lines()).singleElement().asString()
          .startsWith("SEVERE wsauth: NettyWsAuth.upgradeHandler needs HttpObjectAggregator before it");
      assertFalse(ch.finish());
    }
  }

  /** An outbound handler at the head that keeps what is written unwritten: the channel stays open meanwhile. */
  private static java.util.List<Object> holdWrites(EmbeddedChannel ch) {
    java.util.List<Object> held = new java.util.ArrayList<>();
    ch.pipeline().addFirst("slow-socket", new io.netty.channel.ChannelOutboundHandlerAdapter() {
      @Override
      public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise p) {
        held.add(msg);
      }
    });
    return held;
  }

  @Test
  void afterARefusal_laterMessagesAreDropped_andA101Fails() {
    Recorder app = new Recorder(true);
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), app);
    java.util.List<Object> held = holdWrites(ch);
    FullHttpRequest bad = upgrade("/ws");
    bad.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(new IllegalArgumentException("x")));
    ch.writeInbound(bad);
    FullHttpRequest later = upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice"));
    ch.writeInbound(later);
    assertThat(later.refCnt()).isZero();
    assertThat(app.messages).isEmpty();
    DefaultFullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.SWITCHING_PROTOCOLS);
    io.netty.channel.ChannelFuture f = ch.writeAndFlush(switching);
    assertThat(f.cause()).hasMessage("connection refused by wsauth");
    assertThat(switching.refCnt()).isZero();
    assertThat(held).hasSize(1);
    held.forEach(io.netty.util.ReferenceCountUtil::release);
    assertThat(NettyWsAuth.identity(ch)).isEmpty();
    ch.close();
    assertFalse(ch.finish());
  }

  @Test
  void a101ForARequestNobodyAccepted_isRefused_andSaysWhy() {
    WsAuthConfig config = config(tokens.handshake().build());
    try (LogCapture log = new LogCapture()) {
      EmbeddedChannel ch = channel(config, new Recorder(true));
      DefaultFullHttpResponse switching = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.SWITCHING_PROTOCOLS);
      io.netty.channel.ChannelFuture f = ch.writeAndFlush(switching);
      assertThat(f.cause()).hasMessage("upgraded without a wsauth decision");
      assertThat(ch.isOpen()).isFalse();
      assertThat(log.lines()).singleElement().asString()
          .startsWith("SEVERE wsauth: a connection was upgraded without a wsauth decision");
      assertFalse(ch.finish());
    }
  }

  private static void answer(EmbeddedChannel ch, HttpResponseStatus status) {
    ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status));
    FullHttpResponse written = ch.readOutbound();
    written.release();
  }

  @Test
  void anAcceptedUpgradeAnswered200_bindsNothing_andA101AfterItIsRefused() {
    WsAuthConfig config = config(tokens.handshake().build());
    try (LogCapture log = new LogCapture()) {
      EmbeddedChannel ch = channel(config, new Recorder(true));
      ch.writeInbound(upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice"),
          "Origin", TestTokens.APP_ORIGIN));
      answer(ch, HttpResponseStatus.OK); // e.g. a protocol handler on another path served it
      assertThat(log.lines()).singleElement().asString().isEqualTo("WARNING wsauth: an upgrade request wsauth"
          + " accepted was answered 200 instead of 101, so its credential was used without an upgrade:"
          + " WebSocketServerProtocolHandler matches fewer requests than WsAuthConfig's websocketPath=/ws"
          + " (checkStartsWith=true); build it with new WebSocketServerProtocolHandler(config.protocolConfig())");
      io.netty.channel.ChannelFuture f = ch.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
          HttpResponseStatus.SWITCHING_PROTOCOLS));
      assertThat(f.cause()).hasMessage("upgraded without a wsauth decision");
      assertThat(NettyWsAuth.identity(ch)).isEmpty();
      assertFalse(ch.finish());
    }
  }

  @Test
  void anInterim1xx_isNotTheAnswer_theLater101Binds() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    ch.writeInbound(upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice"),
        "Origin", TestTokens.APP_ORIGIN));
    answer(ch, HttpResponseStatus.CONTINUE);
    answer(ch, HttpResponseStatus.valueOf(199));
    switchProtocols(ch);
    assertThat(NettyWsAuth.identity(ch)).map(Identity::subject).contains("alice");
    assertFalse(ch.finish());
  }

  @Test
  void aStrayAnswer_doesNotPutTheCountOutOfStep() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    answer(ch, HttpResponseStatus.OK); // an answer to no request (e.g. a handler's own error page)
    ch.writeInbound(upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice"),
        "Origin", TestTokens.APP_ORIGIN));
    switchProtocols(ch);
    assertThat(NettyWsAuth.identity(ch)).map(Identity::subject).contains("alice");
    assertFalse(ch.finish());
  }

  @Test
  void anAnsweredPlainRequest_isNoLongerAhead_ofTheUpgrade() {
    EmbeddedChannel ch = channel(config(tokens.handshake().build()), new Recorder(true));
    FullHttpRequest plain = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
    ch.writeInbound(plain);
    answer(ch, HttpResponseStatus.OK);
    ch.writeInbound(upgrade("/ws", "Authorization", "Bearer " + tokens.issue("alice"),
        "Origin", TestTokens.APP_ORIGIN));
    switchProtocols(ch);
    assertThat(NettyWsAuth.identity(ch)).map(Identity::subject).contains("alice");
    assertFalse(ch.finish());
  }

  @Test
  void protocolHandlerAddedInFrontLater_a101IsRefused_andTheMistakeNamed() {
    WsAuthConfig config = config(tokens.handshake().build());
    try (LogCapture log = new LogCapture()) {
      EmbeddedChannel ch = channel(config, new Recorder(true));
      ch.pipeline().addFirst(protocolHandler(config));
      io.netty.channel.ChannelFuture f = ch.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));
      assertThat(f.cause()).hasMessage("upgraded without a wsauth decision");
      assertThat(log.lines()).singleElement().asString().startsWith(AFTER_PROTOCOL);
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void protocolHandlerAddedInFrontLater_itsHandshakeCompleteCloses_andTheMistakeIsNamed() {
    WsAuthConfig config = config(tokens.handshake().build());
    try (LogCapture log = new LogCapture()) {
      Recorder app = new Recorder(true);
      EmbeddedChannel ch = channel(config, app);
      ch.pipeline().addFirst(protocolHandler(config));
      ch.pipeline().fireUserEventTriggered(
          new io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler.HandshakeComplete("/ws",
              new io.netty.handler.codec.http.DefaultHttpHeaders(), null));
      assertThat(ch.isOpen()).isFalse();
      assertThat(log.lines()).singleElement().asString().startsWith(AFTER_PROTOCOL);
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void upgradeRequestWhoseHeadersCannotBeRead_is400_withOneErrorLineNamingOnlyTheCause() {
    io.netty.handler.codec.http.HttpHeaders unreadable = new io.netty.handler.codec.http.EmptyHttpHeaders() {
      @Override
      public java.util.Iterator<java.util.Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        throw new IllegalStateException("Bearer secret-in-a-broken-header");
      }
    };
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws",
        Unpooled.buffer(0), unreadable, new io.netty.handler.codec.http.DefaultHttpHeaders());
    Recorder app = new Recorder(true);
    try (LogCapture log = new LogCapture()) {
      EmbeddedChannel ch = channel(config(tokens.handshake().build()), app);
      FullHttpResponse response = refused(ch, request);
      assertThat(response.status().code()).isEqualTo(400);
      response.release();
      assertThat(log.lines()).containsExactly(
          "SEVERE wsauth could not read an upgrade request: java.lang.IllegalStateException");
      assertThat(app.events).isEmpty();
      assertFalse(ch.finish());
    }
  }

  /** A channel that is registered with its handlers before it becomes active (as a connecting channel is). */
  static final class LateActiveChannel extends EmbeddedChannel {
    private boolean activated;

    LateActiveChannel(io.netty.channel.ChannelHandler... handlers) {
      super(handlers);
    }

    @Override
    public boolean isActive() {
      return activated && super.isActive();
    }

    void activate() {
      activated = true;
      pipeline().fireChannelActive();
    }
  }

  @Test
  void placedAfterTheProtocolHandler_onAChannelActivatedLater_refusesAtActivation_andTheAppNeverSeesIt() {
    WsAuthConfig config = config(tokens.handshake().build());
    java.util.concurrent.atomic.AtomicBoolean active = new java.util.concurrent.atomic.AtomicBoolean();
    try (LogCapture log = new LogCapture()) {
      LateActiveChannel ch = new LateActiveChannel(protocolHandler(config), NettyWsAuth.upgradeHandler(config),
          new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
              active.set(true);
            }
          });
      assertThat(log.lines()).as("not active yet: nothing checked").isEmpty();
      ch.activate();
      assertThat(ch.isOpen()).isFalse();
      assertThat(active).as("a refused connection never reaches the application").isFalse();
      assertThat(log.lines()).singleElement().asString().startsWith(AFTER_PROTOCOL);
      ch.activate(); // a second activation of a refused channel still reaches nobody
      assertThat(active).isFalse();
      ch.finishAndReleaseAll();
    }
  }
}
