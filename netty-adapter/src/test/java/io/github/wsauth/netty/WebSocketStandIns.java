package io.github.wsauth.netty;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Stand-ins for Netty's WebSocket frame codec in unit pipelines: they mark the channel as upgraded (wsauth looks for
 * the {@link WebSocketFrameDecoder} and {@link WebSocketFrameEncoder} interfaces) and pass frames as objects, so a
 * test writes frames inbound and reads the frames wsauth writes.
 */
final class WebSocketStandIns {
  private WebSocketStandIns() {}

  /** Passes inbound frames on as they are. */
  static final class Decoder extends ChannelInboundHandlerAdapter implements WebSocketFrameDecoder {}

  /** Passes outbound frames on as they are (an EmbeddedChannel's {@code readOutbound} returns them). */
  static final class Encoder extends ChannelOutboundHandlerAdapter implements WebSocketFrameEncoder {}

  /** Takes every outbound message: records a Close frame as {@code "code reason"}, releases it, the write succeeds. */
  static final class Wire extends ChannelOutboundHandlerAdapter implements WebSocketFrameEncoder {
    final List<String> written = new CopyOnWriteArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      written.add(msg instanceof CloseWebSocketFrame c ? c.statusCode() + " " + c.reasonText()
          : msg.getClass().getSimpleName());
      ReferenceCountUtil.release(msg);
      promise.setSuccess();
    }
  }

  /** Fails every write, as a channel whose peer is gone (or whose protocol handler refuses it) does. */
  static final class FailingWire extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(new java.io.IOException("test: the write failed"));
    }
  }

  /** The Close frame the channel wrote, as {@code "<code> <reason>"} (released). */
  static String closeFrame(io.netty.channel.embedded.EmbeddedChannel ch) {
    Object out = ch.readOutbound();
    org.assertj.core.api.Assertions.assertThat(out).as("a Close frame written")
        .isInstanceOf(io.netty.handler.codec.http.websocketx.CloseWebSocketFrame.class);
    io.netty.handler.codec.http.websocketx.CloseWebSocketFrame close =
        (io.netty.handler.codec.http.websocketx.CloseWebSocketFrame) out;
    try {
      return close.statusCode() + " " + close.reasonText();
    } finally {
      close.release();
    }
  }
}
