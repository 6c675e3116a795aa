package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.wsauth.Identity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Issue 13 item 8 on Netty's real codec and protocol handler in an {@code EmbeddedChannel}: the upgrade request
 * and the first WebSocket frames arrive in one buffer, or split at every byte boundary. Nothing may reach the
 * application before acceptance, and never as undecoded bytes.
 */
@ExtendWith(LeakDetection.class)
class PipelinedFirstMessageHandlerTest {
  private final TestTokens tokens = new TestTokens();
  private final Ordered app = new Ordered();

  /** Records events and messages in one list, in the order the application sees them. */
  static final class Ordered extends ChannelInboundHandlerAdapter {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      seen.add("event:" + evt.getClass().getSimpleName());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      seen.add(msg instanceof TextWebSocketFrame ? "text:" + ((TextWebSocketFrame) msg).text()
          : "other:" + msg.getClass().getSimpleName());
      ReferenceCountUtil.release(msg);
    }
  }

  private EmbeddedChannel firstMessagePipeline() {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().build()).clock(tokens.clock).build();
    return new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(8192),
        new WebSocketServerProtocolHandler(config.protocolConfig()), NettyWsAuth.firstMessageHandler(config), app);
  }

  private static ByteBuf pooled(byte[] bytes, int from, int to) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(to - from);
    buf.writeBytes(bytes, from, to - from);
    return buf;
  }

  /** Writes {@code bytes} in pieces ending at each of {@code cuts} (then the rest). */
  private static void writeSplit(EmbeddedChannel ch, byte[] bytes, int... cuts) {
    int from = 0;
    for (int cut : cuts) {
      ch.writeInbound(pooled(bytes, from, cut));
      from = cut;
    }
    ch.writeInbound(pooled(bytes, from, bytes.length));
  }

  /** The server's output as text (101 head, then frames' raw bytes); released. */
  private static String outbound(EmbeddedChannel ch) {
    StringBuilder out = new StringBuilder();
    Object o;
    while ((o = ch.readOutbound()) != null) {
      out.append(o instanceof ByteBuf ? ((ByteBuf) o).toString(StandardCharsets.ISO_8859_1) : o.toString());
      ReferenceCountUtil.release(o);
    }
    return out.toString();
  }

  /** Closing an upgraded channel makes Netty write a close frame (1000): drain it, then nothing may be left. */
  private static void assertFinished(EmbeddedChannel ch) {
    ch.close();
    outbound(ch);
    assertFalse(ch.finish());
  }

  private static final List<String> ACCEPTED_ORDER = List.of("event:ServerHandshakeStateEvent",
      "event:HandshakeComplete", "event:AuthenticatedEvent", "text:app-1", "text:app-2");

  @Test
  void requestTokenAndAppFramesInOneBuffer_authenticatesThenAppSeesFramesInOrder() {
    EmbeddedChannel ch = firstMessagePipeline();
    String token = tokens.issue("alice");
    byte[] all = RawWebSocket.concat(RawWebSocket.upgradeRequest("/ws", ""), RawWebSocket.maskedText(token),
        RawWebSocket.maskedText("app-1"), RawWebSocket.maskedText("app-2"));
    writeSplit(ch, all);
    assertThat(outbound(ch)).startsWith("HTTP/1.1 101 Switching Protocols");
    assertThat(NettyWsAuth.identity(ch).map(Identity::subject)).contains("alice");
    assertThat(app.seen).isEqualTo(ACCEPTED_ORDER);
    assertThat(tokens.store.isUnused(token)).isFalse();
    assertFinished(ch);
  }

  @Test
  void everySplitPoint_authenticatesThenAppSeesFramesInOrder() {
    byte[] request = RawWebSocket.upgradeRequest("/ws", "");
    for (int cut = 1; cut < request.length + 60; cut++) {
      Ordered seen = new Ordered();
      WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
          .firstMessage(tokens.firstMessage().build()).clock(tokens.clock).build();
      EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(8192),
          new WebSocketServerProtocolHandler(config.protocolConfig()), NettyWsAuth.firstMessageHandler(config),
          seen);
      byte[] all = RawWebSocket.concat(request, RawWebSocket.maskedText(tokens.issue("alice")),
          RawWebSocket.maskedText("app-1"), RawWebSocket.maskedText("app-2"));
      writeSplit(ch, all, cut);
      outbound(ch);
      assertThat(seen.seen).as("split at byte %d", cut).isEqualTo(ACCEPTED_ORDER);
      assertFinished(ch);
    }
  }

  @Test
  void byteByByte_authenticatesThenAppSeesFramesInOrder() {
    EmbeddedChannel ch = firstMessagePipeline();
    byte[] all = RawWebSocket.concat(RawWebSocket.upgradeRequest("/ws", ""),
        RawWebSocket.maskedText(tokens.issue("alice")), RawWebSocket.maskedText("app-1"),
        RawWebSocket.maskedText("app-2"));
    int[] cuts = new int[all.length - 1];
    Arrays.setAll(cuts, i -> i + 1);
    writeSplit(ch, all, cuts);
    outbound(ch);
    assertThat(app.seen).isEqualTo(ACCEPTED_ORDER);
    assertFinished(ch);
  }

  @Test
  void pipelinedWrongToken_closes1008AndTheAppSeesNothing() {
    EmbeddedChannel ch = firstMessagePipeline();
    byte[] all = RawWebSocket.concat(RawWebSocket.upgradeRequest("/ws", ""),
        RawWebSocket.maskedText("A".repeat(43)), RawWebSocket.maskedText("app-1"));
    writeSplit(ch, all);
    String out = outbound(ch);
    assertThat(out).startsWith("HTTP/1.1 101 Switching Protocols");
    // The close frame: 0x88, length, code 1008 (0x03F0), "unknown token".
    assertThat(out).endsWith("\u0088\u000f\u0003\u00f0unknown token");
    assertThat(ch.isOpen()).as("waits for the client's Close (RFC 6455 §7.1.1)").isTrue();
    ch.writeInbound(pooled(RawWebSocket.maskedText("app-2"), 0, RawWebSocket.maskedText("app-2").length));
    ch.writeInbound(pooled(RawWebSocket.maskedClose(1000), 0, 8));
    assertThat(outbound(ch)).as("no second Close frame").isEmpty();
    assertThat(ch.isOpen()).isFalse();
    assertThat(app.seen).isEmpty();
    assertFinished(ch);
  }

  @Test
  void pipelinedTokenInTheRequestBuffer_isNotAuthenticatedBeforeTheHandshakeCompletes() {
    // The credential is decoded before HandshakeComplete; it must be held, not checked in the HANDSHAKING state
    // (where the deadline is not armed and the selected subprotocol unknown).
    EmbeddedChannel ch = firstMessagePipeline();
    String token = tokens.issue("carol");
    byte[] all = RawWebSocket.concat(RawWebSocket.upgradeRequest("/ws", ""), RawWebSocket.maskedText(token));
    writeSplit(ch, all);
    outbound(ch);
    assertThat(app.seen).containsExactly("event:ServerHandshakeStateEvent", "event:HandshakeComplete",
        "event:AuthenticatedEvent");
    assertFinished(ch);
  }

  @Test
  void upgradePipeline_pipelinedFrame_reachesTheAppAsAFrameAfterAcceptance() {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .handshake(tokens.handshake().build()).clock(tokens.clock).build();
    ChannelHandler upgrade = NettyWsAuth.upgradeHandler(config);
    EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(8192), upgrade,
        new WebSocketServerProtocolHandler(config.protocolConfig()), app);
    byte[] all = RawWebSocket.concat(RawWebSocket.upgradeRequest("/ws",
        "Origin: " + TestTokens.APP_ORIGIN + "\r\nAuthorization: Bearer " + tokens.issue("dave") + "\r\n"),
        RawWebSocket.maskedText("app-1"));
    writeSplit(ch, all);
    assertThat(outbound(ch)).startsWith("HTTP/1.1 101 Switching Protocols");
    assertThat(NettyWsAuth.identity(ch).map(Identity::subject)).contains("dave");
    assertThat(app.seen).doesNotContain("other:PooledUnsafeDirectByteBuf", "other:AdvancedLeakAwareByteBuf")
        .contains("event:AuthenticatedEvent", "text:app-1");
    assertThat(app.seen.indexOf("event:AuthenticatedEvent")).isLessThan(app.seen.indexOf("text:app-1"));
    assertFinished(ch);
  }

  @Test
  void firstMessageHandler_rawBytesThatStillReachIt_areReleasedAndTheChannelClosed() {
    // Without the pipelined-bytes handler (e.g. a pipeline without Netty's HTTP codec), undecoded bytes may still
    // come down the pipeline: they never reach the application, and nothing is authenticated on them.
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().build()).clock(tokens.clock).build();
    EmbeddedChannel ch = new EmbeddedChannel(NettyWsAuth.firstMessageHandler(config), app);
    ch.pipeline().fireUserEventTriggered(
        new WebSocketServerProtocolHandler.HandshakeComplete("/ws", new io.netty.handler.codec.http.DefaultHttpHeaders(),
            null));
    byte[] frame = RawWebSocket.maskedText(tokens.issue("erin"));
    ByteBuf raw = pooled(frame, 0, frame.length);
    ch.writeInbound(raw);
    assertThat(raw.refCnt()).isZero();
    assertThat(ch.isOpen()).isFalse();
    assertThat(app.seen).isEmpty();
    assertThat(NettyWsAuth.identity(ch)).isEmpty();
    assertFalse(ch.finish());
  }
}
