package io.github.wsauth.netty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.wsauth.CookieBridge;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Serves core's {@link CookieBridge} on the WebSocket server's origin: translates a {@code FullHttpRequest} under
 * the bridge path into a {@link CookieBridge.Request} and writes the answer back. See {@link
 * NettyWsAuth#cookieBridgeHandler(WsAuthConfig)}. Stateless.
 */
final class CookieBridgeHandler extends ChannelInboundHandlerAdapter {
  private final CookieBridge bridge;

  CookieBridgeHandler(CookieBridge bridge) {
    this.bridge = bridge;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest)) {
      ctx.fireChannelRead(msg);
      return;
    }
    FullHttpRequest request = (FullHttpRequest) msg;
    // A request Netty could not decode lost its later headers (Origin, Sec-Fetch-Site): never answer it on what
    // is left; the upgrade handler after this one refuses it (431, 414 or 400).
    if (!bridge.covers(NettyRequests.path(request.uri())) || request.decoderResult().isFailure()) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      FullHttpResponse response = toNetty(request, bridge.answer(toCore(ctx, request)));
      boolean keepAlive = HttpUtil.isKeepAlive(request);
      HttpUtil.setKeepAlive(response, keepAlive);
      ChannelFuture written = ctx.writeAndFlush(response);
      if (!keepAlive) {
        written.addListener(ChannelFutureListener.CLOSE);
      }
    } finally {
      ReferenceCountUtil.release(request);
    }
  }

  private static CookieBridge.Request toCore(ChannelHandlerContext ctx, FullHttpRequest request) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    request.headers().forEach(e -> headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    int length = Math.min(request.content().readableBytes(), CookieBridge.MAX_BODY_BYTES + 1);
    byte[] body = ByteBufUtil.getBytes(request.content(), request.content().readerIndex(), length);
    return new CookieBridge.Request(request.method().name(), request.uri(), headers, body,
        ctx.pipeline().get(SslHandler.class) != null);
  }

  private static FullHttpResponse toNetty(FullHttpRequest request, CookieBridge.Response answer) {
    FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
        HttpResponseStatus.valueOf(answer.status()), Unpooled.wrappedBuffer(answer.body()));
    answer.headers().forEach(response.headers()::set);
    return response;
  }
}
