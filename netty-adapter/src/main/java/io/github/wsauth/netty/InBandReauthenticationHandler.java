package io.github.wsauth.netty;

import java.nio.charset.StandardCharsets;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.internal.LiveSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Takes the place of the first-message handler once the client is authenticated: a later complete text message
 * that is {@code {"token": "…"}} (exactly that one member) re-authenticates the channel and never reaches the
 * application; one that starts as {@code {"token": …}} but is over the first message's size cap closes the channel
 * with 1009 and never reaches it either ({@link LiveSession#offerInBand}); every other frame passes untouched. One
 * instance per channel.
 */
final class InBandReauthenticationHandler extends ChannelInboundHandlerAdapter {
  private final LiveSession session;
  private final FirstMessageAuthenticator first;

  InBandReauthenticationHandler(LiveSession session, FirstMessageAuthenticator first) {
    this.session = session;
    this.first = first;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof TextWebSocketFrame frame && frame.isFinalFragment()
        && session.offerInBand(utf8(frame.content()), first)) {
      ReferenceCountUtil.release(frame);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /** The frame's UTF-8 bytes as core reads them: the size without decoding, the first bytes one by one. */
  private static LiveSession.TextMessage utf8(ByteBuf content) {
    return new LiveSession.TextMessage() {
      @Override
      public boolean longerThan(int maxBytes) {
        return content.readableBytes() > maxBytes;
      }

      @Override
      public int asciiAt(int index) {
        return index < content.readableBytes() ? content.getUnsignedByte(content.readerIndex() + index) : -1;
      }

      @Override
      public String text() {
        return content.toString(StandardCharsets.UTF_8);
      }
    };
  }
}
