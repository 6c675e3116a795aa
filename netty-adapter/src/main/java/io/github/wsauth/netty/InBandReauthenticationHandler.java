package io.github.wsauth.netty;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.github.wsauth.internal.LiveSession;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Takes the place of the first-message handler once the client is authenticated: a later complete text message
 * that is {@code {"token": "…"}} (exactly that one member) re-authenticates the channel and never reaches the
 * application; every other frame passes untouched. One instance per channel.
 */
final class InBandReauthenticationHandler extends ChannelInboundHandlerAdapter {
  private final LiveSession session;
  private final int maxMessageBytes;

  InBandReauthenticationHandler(LiveSession session, int maxMessageBytes) {
    this.session = session;
    this.maxMessageBytes = maxMessageBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof TextWebSocketFrame frame && frame.isFinalFragment()
        && frame.content().readableBytes() <= maxMessageBytes) {
      Optional<String> token = session.inBandToken(frame.content().toString(StandardCharsets.UTF_8));
      if (token.isPresent()) {
        ReferenceCountUtil.release(frame);
        session.reauthenticate(token.get()); // a refusal closes the channel
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }
}
