package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.CredentialSource;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.Identity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

@ExtendWith(LeakDetection.class)
class FirstMessageAuthHandlerTest {
  private final TestTokens tokens = new TestTokens();
  private final Recorder app = new Recorder(true);

  private EmbeddedChannel channel(FirstMessageAuthenticator authenticator) {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").firstMessage(authenticator)
        .clock(tokens.clock).build();
    EmbeddedChannel ch = new EmbeddedChannel(NettyWsAuth.firstMessageHandler(config), app);
    ch.freezeTime();
    return ch;
  }

  private EmbeddedChannel handshaken(FirstMessageAuthenticator authenticator) {
    EmbeddedChannel ch = channel(authenticator);
    ch.pipeline().fireUserEventTriggered(handshakeComplete());
    return ch;
  }

  private static WebSocketServerProtocolHandler.HandshakeComplete handshakeComplete() {
    return new WebSocketServerProtocolHandler.HandshakeComplete("/ws", new DefaultHttpHeaders(), "chat");
  }

  /** A pooled (leak-tracked) text frame. */
  private static TextWebSocketFrame text(String s) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer();
    buf.writeCharSequence(s, StandardCharsets.UTF_8);
    return new TextWebSocketFrame(buf);
  }

  private static void assertClosedWith(EmbeddedChannel ch, int code, String reason) {
    CloseWebSocketFrame close = ch.readOutbound();
    String got;
    try {
      got = close.statusCode() + " " + close.reasonText();
    } finally {
      close.release();
    }
    assertThat(got).isEqualTo(code + " " + reason);
    assertThat(ch.isOpen()).isFalse();
    assertThat(NettyWsAuth.identity(ch)).isEmpty();
  }

  @Test
  void firstMessage_validToken_setsIdentityReplaysHandshakeThenFiresEventAndRemovesItself() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().build());
    assertThat(app.events).as("HandshakeComplete held back").isEmpty();
    TextWebSocketFrame credential = text(tokens.issue("alice"));

    ch.writeInbound(credential);

    assertThat(credential.refCnt()).isZero();
    Identity identity = NettyWsAuth.identity(ch).orElseThrow();
    assertThat(identity.subject()).isEqualTo("alice");
    assertThat(identity.source()).contains(CredentialSource.FIRST_MESSAGE);
    assertThat(app.events).hasSize(2);
    assertThat(app.events.get(0)).isInstanceOf(WebSocketServerProtocolHandler.HandshakeComplete.class);
    assertThat(app.events.get(1)).isInstanceOfSatisfying(AuthenticatedEvent.class, e -> {
      assertThat(e.stage()).isEqualTo(AuthEvent.Stage.FIRST_MESSAGE);
      assertThat(e.subprotocol()).contains("chat");
      assertThat(e.identity()).isEqualTo(identity);
    });
    assertThat(app.messages).as("the credential never reaches the app").isEmpty();
    assertThat(ch.pipeline().get(FirstMessageAuthHandler.class)).isNull();

    ch.writeInbound(text("hello"));
    assertThat(app.messages).containsExactly("hello");
    ch.advanceTimeBy(1, TimeUnit.HOURS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("deadline cancelled").isTrue();
    assertFalse(ch.finish());
  }

  @Test
  void firstMessage_jsonFormat_isAccepted() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().format(FirstMessageAuthenticator.Format.JSON).build());
    ch.writeInbound(text("{\"token\":\"" + tokens.issue("bob") + "\"}"));
    assertThat(NettyWsAuth.identity(ch).map(Identity::subject)).contains("bob");
    assertFalse(ch.finish());
  }

  @Test
  void firstMessage_wrongToken_closes1008AndDropsLaterFrames() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().build());
    TextWebSocketFrame wrong = text("A".repeat(43));
    TextWebSocketFrame later = text("app data");
    ch.writeInbound(wrong, later);
    assertThat(wrong.refCnt()).isZero();
    assertThat(later.refCnt()).isZero();
    assertClosedWith(ch, 1008, "unknown token");
    assertThat(app.messages).isEmpty();
    assertThat(app.events).isEmpty();
    assertFalse(ch.finish());
  }

  @Test
  void firstMessage_oversized_closes1009BeforeDecoding() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().build());
    ByteBuf invalidUtf8 = PooledByteBufAllocator.DEFAULT.directBuffer(5000);
    for (int i = 0; i < 5000; i++) {
      invalidUtf8.writeByte(0xff);
    }
    TextWebSocketFrame frame = new TextWebSocketFrame(invalidUtf8);
    ch.writeInbound(frame);
    assertThat(frame.refCnt()).isZero();
    assertClosedWith(ch, 1009, "authentication message too big");
    assertFalse(ch.finish());
  }

  @Test
  void firstMessage_invalidUtf8_closes1008() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().build());
    ch.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xc3, 0x28})));
    assertClosedWith(ch, 1008, "first message is not valid UTF-8");
    assertFalse(ch.finish());
  }

  @Test
  void firstMessage_binary_closes1008() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().build());
    BinaryWebSocketFrame binary = new BinaryWebSocketFrame(
        Unpooled.copiedBuffer(tokens.issue("alice"), StandardCharsets.US_ASCII));
    ch.writeInbound(binary);
    assertThat(binary.refCnt()).isZero();
    assertClosedWith(ch, 1008, "authentication message must be text");
    assertFalse(ch.finish());
  }

  @Test
  void firstMessage_fragmented_isAssembledAndAccepted() {
    // Changed by issue 14: one behaviour on every adapter. RFC 6455 §5.4 lets intermediaries re-fragment, and
    // Jakarta containers deliver parts anyway, so the fragments are assembled up to the size cap.
    EmbeddedChannel ch = handshaken(tokens.firstMessage().build());
    String token = tokens.issue("alice");
    WebSocketFrame first = new TextWebSocketFrame(false, 0, token.substring(0, 20));
    PingWebSocketFrame ping = new PingWebSocketFrame(Unpooled.copiedBuffer("p", StandardCharsets.US_ASCII));
    WebSocketFrame rest = new ContinuationWebSocketFrame(true, 0, token.substring(20));
    ch.writeInbound(first, ping, rest);
    assertThat(first.refCnt()).isZero();
    assertThat(rest.refCnt()).isZero();
    assertThat(NettyWsAuth.identity(ch)).map(Identity::subject).contains("alice");
    assertThat(ch.isOpen()).isTrue();
    Object outbound = ch.readOutbound();
    assertThat(outbound).isNull();
    assertFalse(ch.finish());
  }

  @Test
  void firstMessage_fragmentsOverTheCapTogether_closes1009BeforeTheLastArrives() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().maxMessageBytes(64).build());
    WebSocketFrame first = new TextWebSocketFrame(false, 0, "a".repeat(40));
    WebSocketFrame second = new ContinuationWebSocketFrame(false, 0, "a".repeat(25));
    ch.writeInbound(first, second);
    assertThat(second.refCnt()).isZero();
    assertClosedWith(ch, 1009, "authentication message too big");
    assertFalse(ch.finish());
  }

  @Test
  void firstMessage_continuationFirst_closes1008() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().build());
    ch.writeInbound(new ContinuationWebSocketFrame(true, 0, "x"));
    assertClosedWith(ch, 1008, "authentication message must be text");
    assertFalse(ch.finish());
  }

  @Test
  void deadline_silence_closes1008AtTheDeadline() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().deadline(Duration.ofMillis(300)).build());
    ch.advanceTimeBy(299, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isTrue();
    ch.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertClosedWith(ch, 1008, "authentication timeout");
    assertThat(app.events).isEmpty();
    assertFalse(ch.finish());
  }

  @Test
  void deadline_pingsDoNotExtendIt() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().deadline(Duration.ofMillis(300)).build());
    for (int i = 0; i < 3; i++) {
      ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
      PingWebSocketFrame ping = new PingWebSocketFrame(Unpooled.copiedBuffer("p", StandardCharsets.US_ASCII));
      ch.writeInbound(ping);
      assertThat(ping.refCnt()).isZero();
      ch.runScheduledPendingTasks();
    }
    assertClosedWith(ch, 1008, "authentication timeout");
    assertFalse(ch.finish());
  }

  @Test
  void deadline_startsAtHandshakeComplete() {
    EmbeddedChannel ch = channel(tokens.firstMessage().deadline(Duration.ofMillis(300)).build());
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("no deadline before the handshake").isTrue();
    ch.pipeline().fireUserEventTriggered(handshakeComplete());
    ch.advanceTimeBy(300, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertClosedWith(ch, 1008, "authentication timeout");
    assertFalse(ch.finish());
  }

  @Test
  void storeDown_closes1011AndConsumesNothing() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().build());
    String token = tokens.issue("alice");
    tokens.store.down(true);
    ch.writeInbound(text(token));
    assertClosedWith(ch, 1011, "authentication temporarily unavailable");
    tokens.store.down(false);
    assertThat(tokens.store.isUnused(token)).isTrue();
    assertFalse(ch.finish());
  }

  @Test
  void customCloseCodes_areUsed() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().rejectedCloseCode(4401).build());
    ch.writeInbound(text("nope"));
    assertClosedWith(ch, 4401, "malformed token");
    assertFalse(ch.finish());
  }

  @Test
  void httpRequestsBeforeTheUpgrade_passThrough() {
    EmbeddedChannel ch = channel(tokens.firstMessage().build());
    io.netty.handler.codec.http.FullHttpRequest request = UpgradeAuthHandlerTest.upgrade("/other");
    ch.writeInbound(request);
    assertThat(app.messages).containsExactly(request.getClass().getName());
    assertThat(request.refCnt()).isZero();
    assertFalse(ch.finish());
  }

  @Test
  void closeFrameFromTheClient_closesTheChannel() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().build());
    CloseWebSocketFrame close = new CloseWebSocketFrame(1000, "bye");
    ch.writeInbound(close);
    assertThat(close.refCnt()).isZero();
    assertThat(ch.isOpen()).isFalse();
    assertFalse(ch.finish());
  }

  @Test
  void closeOnExpiry_sendsClose1008AuthenticationExpired() {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").firstMessage(
        tokens.firstMessage().build()).clock(tokens.clock).closeOnExpiry(true).build();
    OutboundFrames frames = new OutboundFrames();
    EmbeddedChannel ch = new EmbeddedChannel(new io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder(false),
        frames, NettyWsAuth.firstMessageHandler(config), app);
    ch.freezeTime();
    ch.pipeline().fireUserEventTriggered(handshakeComplete());
    ch.writeInbound(text(tokens.issue("alice")));
    Duration left = Duration.between(tokens.clock.instant(), NettyWsAuth.identity(ch).orElseThrow().expiresAt());

    ch.advanceTimeBy(left.toMillis() + 5, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("the clock, not the timer, decides: not expired yet").isTrue();

    tokens.clock.advance(left.plusMillis(5));
    ch.advanceTimeBy(left.toMillis() + 5, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(frames.closes).containsExactly("1008 authentication expired");
    assertThat(ch.isOpen()).isFalse();
    for (Object encoded; (encoded = ch.readOutbound()) != null; ) {
      io.netty.util.ReferenceCountUtil.release(encoded);
    }
    assertFalse(ch.finish());
  }

  /** Records close frames on their way out (between the application and the frame encoder). */
  static final class OutboundFrames extends io.netty.channel.ChannelOutboundHandlerAdapter {
    final java.util.List<String> closes = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void write(io.netty.channel.ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise p) {
      if (msg instanceof CloseWebSocketFrame) {
        CloseWebSocketFrame c = (CloseWebSocketFrame) msg;
        closes.add(c.statusCode() + " " + c.reasonText());
      }
      ctx.write(msg, p);
    }
  }

  /** A pooled text fragment that is not final: the session holds it until the message is complete. */
  private static TextWebSocketFrame fragment(String s) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer();
    buf.writeCharSequence(s, StandardCharsets.UTF_8);
    return new TextWebSocketFrame(false, 0, buf);
  }

  @Test
  void connectionClosedWhileAFragmentIsHeld_releasesIt_stopsTheDeadline_andPassesInactive() {
    java.util.concurrent.atomic.AtomicBoolean inactive = new java.util.concurrent.atomic.AtomicBoolean();
    EmbeddedChannel ch = handshaken(tokens.firstMessage().build());
    ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
      @Override
      public void channelInactive(io.netty.channel.ChannelHandlerContext ctx) {
        inactive.set(true);
      }
    });
    TextWebSocketFrame held = fragment("abc");
    ch.writeInbound(held);
    assertThat(ch.runScheduledPendingTasks()).as("the deadline runs").isPositive();
    ch.close();
    assertThat(held.refCnt()).isZero();
    assertThat(inactive).isTrue();
    assertThat(ch.runScheduledPendingTasks()).as("no deadline left").isEqualTo(-1);
    assertThat(app.messages).isEmpty();
    assertFalse(ch.finish());
  }

  @Test
  void connectionClosedBeforeTheHandshakeCompleted_releasesTheFramesHeldForIt_beforeTheCloseGoesOn() {
    // Frames that arrive before HandshakeComplete are held (for the session to read once it starts). At close they
    // are released in channelInactive itself, not only when the closed pipeline is torn down afterwards
    // (handlerRemoved): the handlers after it never hear of the close while a frame of the connection is held.
    java.util.concurrent.atomic.AtomicInteger heldRefCntWhenInactive = new java.util.concurrent.atomic.AtomicInteger(-1);
    EmbeddedChannel ch = channel(tokens.firstMessage().build());
    TextWebSocketFrame early = new TextWebSocketFrame(Unpooled.copiedBuffer("early", StandardCharsets.UTF_8));
    ch.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
      @Override
      public void channelInactive(io.netty.channel.ChannelHandlerContext ctx) {
        heldRefCntWhenInactive.set(early.refCnt());
      }
    });
    ch.writeInbound(early);
    assertThat(early.refCnt()).as("held until the handshake completes").isEqualTo(1);
    ch.close();
    assertThat(heldRefCntWhenInactive).as("released before the close reaches the next handler").hasValue(0);
    assertThat(app.messages).isEmpty();
    assertFalse(ch.finish());
  }

  @Test
  void rawBytesAfterTheUpgrade_withAFrameEncoder_areReleased_andClosedWith1008NotText() {
    // Undecoded bytes that still reach the handler in a pipeline that can write frames: the close frame says why.
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").firstMessage(
        tokens.firstMessage().build()).clock(tokens.clock).build();
    OutboundFrames frames = new OutboundFrames();
    EmbeddedChannel ch = new EmbeddedChannel(new io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder(false),
        frames, NettyWsAuth.firstMessageHandler(config), app);
    ch.freezeTime();
    ch.pipeline().fireUserEventTriggered(handshakeComplete());
    // Unpooled: a released pooled buffer is recycled at once (by the close frame's encoding), so its refCnt lies.
    ByteBuf raw = Unpooled.copiedBuffer(tokens.issue("alice"), StandardCharsets.US_ASCII);
    ch.writeInbound(raw);
    assertThat(raw.refCnt()).isZero();
    assertThat(frames.closes).as("a close frame, not an abort").containsExactly("1008 authentication message must be text");
    assertThat(app.messages).isEmpty();
    assertThat(NettyWsAuth.identity(ch)).isEmpty();
    ch.finishAndReleaseAll();
  }

  @Test
  void handlerRemovedWhileAFragmentIsHeld_releasesIt() {
    EmbeddedChannel ch = handshaken(tokens.firstMessage().build());
    TextWebSocketFrame held = fragment("abc");
    ch.writeInbound(held);
    ch.pipeline().remove(FirstMessageAuthHandler.class);
    assertThat(held.refCnt()).isZero();
    assertThat(ch.runScheduledPendingTasks()).as("no deadline left").isEqualTo(-1);
    assertThat(app.messages).isEmpty();
    ch.finishAndReleaseAll();
  }
}
