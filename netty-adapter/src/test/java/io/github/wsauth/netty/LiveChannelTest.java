package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.scenarios.ManualWakeUps;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * An authenticated channel's lifetime in unit pipelines (first-message handler, JSON format): the in-band
 * re-authentication handler, {@link NettyWsAuth#identity} and {@link NettyWsAuth#reauthenticate}, the expiry close
 * and warning on the injected wake-ups or on the channel's own loop, the session ended with the channel.
 */
@ExtendWith(LeakDetection.class)
class LiveChannelTest {
  private static final int MAX_MESSAGE_BYTES = 64;
  private static final long WAIT_MS = 500;

  private final TestTokens tokens = new TestTokens();
  private final ManualWakeUps wakeUps = new ManualWakeUps();
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private final Recorder app = new Recorder(true);

  private WsAuthConfig.Builder config(ConnectionLifetime lifetime) {
    return WsAuthConfig.builder().websocketPath("/ws").clock(tokens.clock).lifetime(lifetime)
        .firstMessage(tokens.firstMessage().format(FirstMessageAuthenticator.Format.JSON)
            .maxMessageBytes(MAX_MESSAGE_BYTES).build());
  }

  /** An upgraded channel authenticated as alice by its first message; its time frozen. */
  private EmbeddedChannel authenticated(WsAuthConfig config) {
    EmbeddedChannel ch = new EmbeddedChannel(new WebSocketStandIns.Encoder(), new WebSocketStandIns.Decoder(),
        NettyWsAuth.firstMessageHandler(config), app);
    ch.freezeTime();
    ch.pipeline().fireUserEventTriggered(
        new WebSocketServerProtocolHandler.HandshakeComplete("/ws", new DefaultHttpHeaders(), null));
    ch.writeInbound(new TextWebSocketFrame(tokenMessage(tokens.issue("alice"), 0)));
    assertThat(NettyWsAuth.identity(ch).map(Identity::subject)).contains("alice");
    app.events.clear();
    return ch;
  }

  private EmbeddedChannel authenticated() {
    return authenticated(config(ConnectionLifetime.builder().registry(registry).build()).build());
  }

  /** {@code {"token": "…"}} with {@code pad} spaces after the colon. */
  private static String tokenMessage(String token, int pad) {
    return "{\"token\":" + " ".repeat(pad) + "\"" + token + "\"}";
  }

  private static Instant expiresAt(Channel ch) {
    return NettyWsAuth.identity(ch).orElseThrow().expiresAt();
  }


  @Test
  void inBandTokenMessage_reauthenticates_theNewIdentityWins_andTheMessageNeverReachesTheApp() {
    EmbeddedChannel ch = authenticated();
    Instant first = expiresAt(ch);
    tokens.clock.advance(Duration.ofSeconds(10));
    TextWebSocketFrame reauth = new TextWebSocketFrame(tokenMessage(tokens.issue("alice"), 0));

    ch.writeInbound(reauth);

    assertThat(reauth.refCnt()).isZero();
    assertThat(app.messages).isEmpty();
    assertThat(expiresAt(ch)).as("the re-authenticated identity, not the first one").isEqualTo(first.plusSeconds(10));
    assertThat(registry.bySubject("alice")).singleElement()
        .satisfies(r -> assertThat(r.identity().expiresAt()).isEqualTo(first.plusSeconds(10)));
    ch.writeInbound(new TextWebSocketFrame("hello"));
    assertThat(app.messages).containsExactly("hello");
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void inBandTokenMessage_ofExactlyMaxMessageBytes_reauthenticates_oneByteMore_closes1009_undelivered() {
    EmbeddedChannel ch = authenticated();
    Instant first = expiresAt(ch);
    tokens.clock.advance(Duration.ofSeconds(10));
    String token = tokens.issue("alice");
    int pad = MAX_MESSAGE_BYTES - tokenMessage(token, 0).length();
    assertThat(pad).isPositive();

    TextWebSocketFrame atCap = new TextWebSocketFrame(tokenMessage(token, pad));
    ch.writeInbound(atCap);
    assertThat(atCap.refCnt()).isZero();
    assertThat(app.messages).as("at the bound: wsauth's").isEmpty();
    assertThat(expiresAt(ch)).isEqualTo(first.plusSeconds(10));
    assertThat(ch.<Object>readOutbound()).isNull();

    TextWebSocketFrame overCap = new TextWebSocketFrame(tokenMessage(tokens.issue("alice"), pad + 1));
    ch.writeInbound(overCap);
    assertThat(overCap.refCnt()).isZero();
    assertThat(app.messages).as("over the bound: refused, never the application's").isEmpty();
    assertThat(WebSocketStandIns.closeFrame(ch)).isEqualTo("1009 authentication message too big");
    assertThat(registry.bySubject("alice")).as("the session ended").isEmpty();
    ch.writeInbound(new CloseWebSocketFrame(1009, "authentication message too big"));
    assertThat(ch.isOpen()).isFalse();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void largeOrdinaryMessages_reachTheApplication_whateverTheirSize() {
    EmbeddedChannel ch = authenticated();
    String token = tokens.issue("alice");
    String chat = "{\"chat\": \"" + "x".repeat(100_000) + "\"}";
    String tokenNotFirst = "{\"chat\": 1, \"token\": \"" + token + "\"}" + " ".repeat(MAX_MESSAGE_BYTES);

    ch.writeInbound(new TextWebSocketFrame(chat));
    ch.writeInbound(new TextWebSocketFrame(tokenNotFirst));

    assertThat(app.messages).containsExactly(chat, tokenNotFirst);
    assertThat(ch.isOpen()).isTrue();
    assertThat(ch.<Object>readOutbound()).isNull();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void aMessageEndingInsideTheMemberName_isTheApplications_whateverLiesPastItsBytes() {
    EmbeddedChannel ch = authenticated();
    String cut = " ".repeat(MAX_MESSAGE_BYTES) + "{\"token"; // over the cap: were it an attempt, 1009
    // The frame's buffer has room after its readable bytes, and the byte there is the closing quote.
    io.netty.buffer.ByteBuf content = Unpooled.buffer(cut.length() + 16)
        .writeBytes(cut.getBytes(StandardCharsets.US_ASCII));
    content.setByte(content.writerIndex(), '"');

    ch.writeInbound(new TextWebSocketFrame(content));

    assertThat(app.messages).containsExactly(cut);
    assertThat(ch.isOpen()).isTrue();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void otherFrames_passUntouched_evenWithATokenInside() {
    EmbeddedChannel ch = authenticated();
    Instant first = expiresAt(ch);
    tokens.clock.advance(Duration.ofSeconds(10));
    String message = tokenMessage(tokens.issue("alice"), 0);

    ch.writeInbound(new BinaryWebSocketFrame(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8)));
    ch.writeInbound(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer(message, StandardCharsets.UTF_8)));
    ch.writeInbound(new TextWebSocketFrame("{\"chat\": \"hi\"}"));

    assertThat(app.messages).containsExactly(BinaryWebSocketFrame.class.getName(), message, "{\"chat\": \"hi\"}");
    assertThat(expiresAt(ch)).as("no re-authentication").isEqualTo(first);
    assertThat(ch.isOpen()).isTrue();
    assertThat(ch.<Object>readOutbound()).isNull();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void reauthenticate_returnsTheNewIdentity_whichIdentityThenReports() {
    EmbeddedChannel ch = authenticated();
    Instant first = expiresAt(ch);
    tokens.clock.advance(Duration.ofSeconds(10));

    Identity fresh = NettyWsAuth.reauthenticate(ch, tokens.issue("alice")).orElseThrow();

    assertThat(fresh.subject()).isEqualTo("alice");
    assertThat(fresh.expiresAt()).isEqualTo(first.plusSeconds(10));
    assertThat(NettyWsAuth.identity(ch)).contains(fresh);
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void reauthenticate_refusedToken_closesWithTheRejectedCode() {
    EmbeddedChannel ch = authenticated();
    assertThat(NettyWsAuth.reauthenticate(ch, tokens.issue("bob"))).isEmpty();
    assertThat(WebSocketStandIns.closeFrame(ch)).isEqualTo("1008 re-authentication subject mismatch");
    ch.writeInbound(new CloseWebSocketFrame(1008, "re-authentication subject mismatch"));
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void reauthenticate_aChannelWsauthDidNotAuthenticate_isAnIllegalState() {
    EmbeddedChannel ch = new EmbeddedChannel();
    assertThatIllegalStateException().isThrownBy(() -> NettyWsAuth.reauthenticate(ch, tokens.issue("alice")))
        .withMessage("the channel was not authenticated by wsauth");
    assertThat(NettyWsAuth.identity(ch)).isEmpty();
  }

  @Test
  void closedChannel_endsItsSession_unregistered() {
    EmbeddedChannel ch = authenticated();
    assertThat(registry.size()).isEqualTo(1);
    ch.close();
    assertThat(registry.size()).as("unregistered when the channel closed").isZero();
  }

  @Test
  void closeOnExpiry_onTheInjectedWakeUps_startsTheClosingHandshake() {
    EmbeddedChannel ch = authenticated(config(ConnectionLifetime.builder().build()).closeOnExpiry(true)
        .wakeUps(wakeUps).build());
    tokens.clock.advance(Duration.ofMinutes(1));

    wakeUps.runAll();

    assertThat(WebSocketStandIns.closeFrame(ch)).isEqualTo("1008 authentication expired");
    assertThat(ch.isOpen()).as("the closing handshake waits for the client").isTrue();
    ch.writeInbound(new CloseWebSocketFrame(1008, "authentication expired"));
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void closeOnExpiry_withoutInjectedWakeUps_onTheChannelsLoop() {
    EmbeddedChannel ch = authenticated(config(ConnectionLifetime.builder().build()).closeOnExpiry(true).build());
    tokens.clock.advance(Duration.ofMinutes(1));
    ch.advanceTimeBy(1, TimeUnit.MINUTES);

    ch.runScheduledPendingTasks();

    assertThat(WebSocketStandIns.closeFrame(ch)).isEqualTo("1008 authentication expired");
    ch.writeInbound(new CloseWebSocketFrame(1008, "authentication expired"));
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void expiryWarning_reachesThePipelineAsAnEvent() {
    EmbeddedChannel ch = authenticated(config(ConnectionLifetime.builder().expiryWarning(Duration.ofSeconds(10))
        .build()).wakeUps(wakeUps).build());
    Identity alice = NettyWsAuth.identity(ch).orElseThrow();
    tokens.clock.advance(Duration.between(tokens.clock.instant(), alice.expiresAt().minusSeconds(5)));

    wakeUps.runAll();
    ch.runPendingTasks();

    assertThat(app.events).containsExactly(new ExpiryWarningEvent(alice, Duration.ofSeconds(5)));
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void expiryWarning_onAChannelBeingClosed_isNotGiven() {
    EmbeddedChannel ch = authenticated(config(ConnectionLifetime.builder().expiryWarning(Duration.ofSeconds(10))
        .build()).wakeUps(wakeUps).build());
    Identity alice = NettyWsAuth.identity(ch).orElseThrow();
    ClosingHandshake.close(ch, true, 1008, "token revoked", Duration.ofSeconds(5));
    assertThat(WebSocketStandIns.closeFrame(ch)).isEqualTo("1008 token revoked");
    tokens.clock.advance(Duration.between(tokens.clock.instant(), alice.expiresAt().minusSeconds(5)));

    wakeUps.runAll();
    ch.runPendingTasks();

    assertThat(app.events).as("no warning while closing").isEmpty();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  /** On a real event loop: a wake-up on another thread fires the warning event on the channel's loop. */
  @Test
  void expiryWarning_fromAnotherThread_isFiredOnTheChannelsLoop() throws Exception {
    WsAuthConfig config = config(ConnectionLifetime.builder().expiryWarning(Duration.ofSeconds(10)).build())
        .wakeUps(wakeUps).build();
    List<String> seen = new CopyOnWriteArrayList<>();
    ChannelInboundHandlerAdapter recorder = new ChannelInboundHandlerAdapter() {
      @Override
      public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ExpiryWarningEvent e) {
          seen.add(e.identity().subject() + " " + e.remaining() + " on loop " + ctx.channel().eventLoop().inEventLoop());
        }
      }
    };
    DefaultEventLoop loop = new DefaultEventLoop();
    Channel server = null;
    try {
      server = new ServerBootstrap().group(loop).channel(LocalServerChannel.class)
          .childHandler(new ChannelInboundHandlerAdapter()).bind(new LocalAddress(LiveChannelTest.class))
          .sync().channel();
      Channel ch = new Bootstrap().group(loop).channel(LocalChannel.class).handler(new ChannelInitializer<Channel>() {
        @Override
        protected void initChannel(Channel c) {
          c.pipeline().addLast(new WebSocketStandIns.Wire(), new WebSocketStandIns.Decoder(),
              NettyWsAuth.firstMessageHandler(config), recorder);
        }
      }).connect(server.localAddress()).sync().channel();
      loop.submit(() -> {
        ch.pipeline().fireUserEventTriggered(
            new WebSocketServerProtocolHandler.HandshakeComplete("/ws", new DefaultHttpHeaders(), null));
        ch.pipeline().fireChannelRead(new TextWebSocketFrame(tokenMessage(tokens.issue("alice"), 0)));
      }).await(WAIT_MS);
      Identity alice = NettyWsAuth.identity(ch).orElseThrow();
      tokens.clock.advance(Duration.between(tokens.clock.instant(), alice.expiresAt().minusSeconds(5)));

      wakeUps.runAll(); // on the test's thread

      loop.submit(() -> { }).await(WAIT_MS);
      assertThat(seen).containsExactly("alice PT5S on loop true");
      ch.close().await(WAIT_MS);
    } finally {
      if (server != null) {
        server.close().await(WAIT_MS);
      }
      loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).await(WAIT_MS);
    }
  }
}
