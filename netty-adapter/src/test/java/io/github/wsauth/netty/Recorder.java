package io.github.wsauth.netty;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/** The "application" at the end of an EmbeddedChannel pipeline: records events and the text of what it reads. */
final class Recorder extends ChannelInboundHandlerAdapter {
  final List<Object> events = new CopyOnWriteArrayList<>();
  final List<Object> messages = new CopyOnWriteArrayList<>();
  /** Whether messages are released after recording (the request of a pass-through test is read back instead). */
  private final boolean consume;

  Recorder(boolean consume) {
    this.consume = consume;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    events.add(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!consume) {
      ctx.fireChannelRead(msg);
      return;
    }
    messages.add(msg instanceof TextWebSocketFrame ? ((TextWebSocketFrame) msg).text() : msg.getClass().getName());
    ReferenceCountUtil.release(msg);
  }
}
