package io.github.wsauth.netty;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Sends bytes that a client pipelined after its upgrade request into the WebSocket decoder (issue 13, item 8).
 *
 * <p>When Netty upgrades, it adds its WebSocket decoder in front of the HTTP codec and removes the codec once the
 * 101 is written. The codec hands what it read past the request (a first message written in the same TCP
 * segment) to the handler after it, as a raw {@code ByteBuf}: past the WebSocket decoder, straight towards the
 * wsauth handlers and the application. This handler sits right after the HTTP decoder, on the channel's event
 * loop (so nothing the socket reads later can overtake those bytes), and re-enters them at the WebSocket
 * decoder, which turns them into frames like any later read. A raw buffer when there is no WebSocket decoder is
 * released and the channel closed: nothing reads undecoded bytes. It removes itself once frames flow.
 *
 * <p>Being the first handler after the HTTP decoder, it also refuses every request the decoder could not decode
 * (issue 13, item 3), with the answer {@link UpgradeAuthHandler} gives (431, 414 or 400, {@code Connection:
 * close}): in a first-message pipeline no other wsauth handler sees the request before Netty's handshaker does.
 * For the same reason it reduces an absolute-form target ({@code GET http://host/ HTTP/1.1}) to origin-form, which
 * Netty's protocol handler matches (issue 13, item 9).
 */
final class PipelinedBytesHandler extends ChannelInboundHandlerAdapter {
  static final String NAME = "wsauth-pipelined-bytes";

  /** Set once an undecodable request was refused: whatever else arrives is dropped while the channel closes. */
  private boolean refused;

  private PipelinedBytesHandler() {}

  /**
   * Adds the handler right after the HTTP request decoder, if there is one and the handler is not there yet. It
   * runs on the channel's event loop, where the upgrade happens: either before the upgrade (in time) or after it
   * (nothing to do), never in the middle. Never throws: it is called from {@code handlerAdded}, and a handler whose
   * {@code handlerAdded} throws is removed from the pipeline by Netty, which for an authentication handler would
   * fail open.
   */
  static void install(Channel channel) {
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop()) {
      installNow(channel.pipeline());
      return;
    }
    try {
      loop.execute(() -> installNow(channel.pipeline()));
    } catch (RuntimeException e) {
      // The event loop is shutting down: the channel is going away.
    }
  }

  private static void installNow(ChannelPipeline pipeline) {
    try {
      if (pipeline.get(NAME) != null) {
        return;
      }
      ChannelHandlerContext http = pipeline.context(HttpServerCodec.class);
      if (http == null) {
        http = pipeline.context(HttpRequestDecoder.class);
      }
      if (http != null) {
        pipeline.addAfter(http.name(), NAME, new PipelinedBytesHandler());
      }
    } catch (RuntimeException e) {
      // The codec went away meanwhile (upgraded): bytes left over, if any, reach the first-message handler, which
      // releases them and closes the channel (fail closed).
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg); // the channel is closing after a refusal
      return;
    }
    if (msg instanceof HttpObject) {
      if (((HttpObject) msg).decoderResult().isFailure()) {
        // Right after the decoder, in every pipeline wsauth is in (also first-message ones, which have no upgrade
        // handler): a request Netty could not decode lost headers and is refused before anything reads it.
        refused = true;
        NettyRequests.refuseUndecodable(ctx, (HttpObject) msg);
        return;
      }
      if (msg instanceof HttpRequest) {
        HttpRequest request = (HttpRequest) msg;
        String target = NettyRequests.originForm(request.uri());
        if (target != request.uri()) {
          // Absolute-form (RFC 9112 §3.2.2): Netty's handlers match the raw URI and would ignore the request.
          request.setUri(target);
        }
      }
      ctx.fireChannelRead(msg);
      return;
    }
    if (msg instanceof WebSocketFrame) {
      ctx.pipeline().remove(this); // upgraded; from here on only frames pass
      ctx.fireChannelRead(msg);
      return;
    }
    if (!(msg instanceof ByteBuf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    ByteBuf bytes = (ByteBuf) msg;
    ChannelPipeline pipeline = ctx.pipeline();
    ChannelHandlerContext decoder = pipeline.context(WebSocketFrameDecoder.class);
    if (decoder == null) {
      bytes.release();
      ctx.close();
      return;
    }
    ctx.pipeline().remove(this);
    // Fire from the handler just before the decoder, so that the bytes enter the decoder itself.
    List<String> names = pipeline.names();
    int at = names.indexOf(decoder.name());
    ChannelHandlerContext before = at > 0 ? pipeline.context(names.get(at - 1)) : null;
    if (before != null) {
      before.fireChannelRead(bytes);
    } else {
      pipeline.fireChannelRead(bytes);
    }
  }
}
