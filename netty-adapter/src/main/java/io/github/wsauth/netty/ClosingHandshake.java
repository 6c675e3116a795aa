package io.github.wsauth.netty;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Every close that wsauth starts on an upgraded channel (revocation, expiry, a refused re-authentication, a
 * failed first message), done as RFC 6455 §7.1 asks: the Close frame is sent, then the server waits for the
 * client's Close and only then closes the TCP connection, or after {@link WsAuthConfig#closingHandshakeTimeout()}
 * if the client never answers.
 *
 * <p>Closing the TCP connection right after the Close frame is not enough: whatever the client sends meanwhile (a
 * message in flight) reaches a closed socket and the kernel answers with a reset; the client's Close reply then
 * fails (Chromium then reports 1006 instead of the close code it was sent), and a client still reading can lose
 * the Close frame.
 *
 * <p>While the closing handshake runs, this handler sits right after Netty's WebSocket frame decoder and drops
 * every frame the client still sends: nothing reaches Netty's protocol handler (which would answer a ping, or
 * echo the client's Close as a second Close frame) nor the application. The client's Close ends the handshake:
 * the channel is closed at once. Not sharable: one instance per closing channel.
 */
final class ClosingHandshake extends ChannelInboundHandlerAdapter {
  static final String NAME = "wsauth-closing";

  private final int code;
  private final String reason;
  private final Duration timeout;

  private ClosingHandshake(int code, String reason, Duration timeout) {
    this.code = code;
    this.reason = reason;
    this.timeout = timeout;
  }

  /**
   * Starts the closing handshake with {@code code} and {@code reason} on the channel's event loop (from any
   * thread); a channel that is already closing keeps its first close. A channel whose WebSocket is not up ({@code
   * upgraded} false) is closed without a frame. Without Netty's WebSocket frame decoder in the pipeline (frames
   * come from elsewhere) nothing could see the client's answer: the Close frame is written and the channel closed
   * once it is.
   */
  static void close(Channel channel, boolean upgraded, int code, String reason, Duration timeout) {
    EventLoop loop = channel.eventLoop();
    if (!loop.inEventLoop()) {
      try {
        loop.execute(() -> close(channel, upgraded, code, reason, timeout));
      } catch (RejectedExecutionException e) {
        channel.close(); // the event loop is shutting down: the channel is going away
      }
      return;
    }
    ChannelPipeline pipeline = channel.pipeline();
    if (!channel.isActive() || pipeline.get(NAME) != null) {
      return;
    }
    ChannelHandlerContext decoder = pipeline.context(WebSocketFrameDecoder.class);
    if (!upgraded) {
      channel.close();
      return;
    }
    if (decoder == null) {
      channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    pipeline.addAfter(decoder.name(), NAME, new ClosingHandshake(code, reason, timeout));
  }

  /** Whether wsauth started closing the channel. */
  static boolean isClosing(Channel channel) {
    return channel.pipeline().get(NAME) != null;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // From the tail, through Netty's protocol handler, which then fails every later write (RFC 6455 §5.5.1: no
    // data frame after a Close).
    ctx.channel().writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(sent -> {
      if (!sent.isSuccess()) {
        ctx.close(); // e.g. the application had sent a Close frame already: nothing more can be said
      }
    });
    // Closed from here, not from the tail: Netty's protocol handler would first wait for the Close frame to be
    // written, which a client that reads nothing can delay for as long as it likes.
    ScheduledFuture<?> force = ctx.executor().schedule(() -> {
      ctx.close();
    }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    ctx.channel().closeFuture().addListener(closed -> force.cancel(false));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    boolean clientClosed = msg instanceof CloseWebSocketFrame;
    ReferenceCountUtil.release(msg);
    if (clientClosed) {
      ctx.close(); // the closing handshake is complete: the server closes the TCP connection first (§7.1.1)
    }
  }
}
