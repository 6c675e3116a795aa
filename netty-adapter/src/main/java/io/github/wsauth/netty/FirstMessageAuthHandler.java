package io.github.wsauth.netty;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.FirstMessageResult;
import io.github.wsauth.Identity;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Authenticates the first WebSocket message, after {@code WebSocketServerProtocolHandler}. See {@link
 * NettyWsAuth#firstMessageHandler(WsAuthConfig)}. One instance per channel; every callback runs on {@code
 * ctx.executor()}.
 */
final class FirstMessageAuthHandler extends ChannelInboundHandlerAdapter {
  private enum State { HANDSHAKING, AWAITING_CREDENTIAL, ACCEPTED, REFUSED }

  private final WsAuthConfig config;
  private final FirstMessageAuthenticator authenticator;
  /** Netty's handshake events, held back until the client is authenticated so the application never sees an
   * unauthenticated connection. */
  private final List<Object> heldEvents = new ArrayList<>(2);
  /**
   * Frames decoded before {@code HandshakeComplete}: a first message pipelined with the upgrade request (issue 13,
   * item 8). Held so that the credential is checked only once the handshake is complete, and in order. At most
   * what one read of the socket held; released if the handshake never completes.
   */
  private final ArrayDeque<WebSocketFrame> early = new ArrayDeque<>(2);
  private State state = State.HANDSHAKING;
  private ScheduledFuture<?> deadline;
  private String subprotocol;

  FirstMessageAuthHandler(WsAuthConfig config, FirstMessageAuthenticator authenticator) {
    this.config = config;
    this.authenticator = authenticator;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    PipelinedBytesHandler.install(ctx.channel());
  }

  @Override
  @SuppressWarnings("deprecation") // ServerHandshakeStateEvent is deprecated but still fired by 4.1 and 4.2
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      if (state == State.HANDSHAKING) {
        subprotocol = ((WebSocketServerProtocolHandler.HandshakeComplete) evt).selectedSubprotocol();
        heldEvents.add(evt);
        state = State.AWAITING_CREDENTIAL;
        ConnectionGuard.awaitingFirstMessage(ctx.channel());
        // A fixed timer, not IdleStateHandler: pings and pongs must not extend the deadline.
        deadline = ctx.executor().schedule(() -> deadlinePassed(ctx), authenticator.deadline().toNanos(),
            TimeUnit.NANOSECONDS);
        drainEarlyFrames(ctx);
      }
      return;
    }
    if (evt == WebSocketServerProtocolHandler.ServerHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      if (state == State.HANDSHAKING) {
        heldEvents.add(evt);
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.ACCEPTED) {
      ctx.fireChannelRead(msg); // queued for this handler before it removed itself
      return;
    }
    if (!(msg instanceof WebSocketFrame)) {
      if (state == State.HANDSHAKING && !(msg instanceof ByteBuf)) {
        ctx.fireChannelRead(msg); // plain HTTP requests on other paths, before any upgrade
        return;
      }
      // Undecoded bytes (or anything else once upgraded) must never reach the application: fail closed, with the
      // "not a text frame" close code when a close frame can be written at all.
      ReferenceCountUtil.release(msg);
      if (state != State.REFUSED) {
        if (ctx.pipeline().get(WebSocketFrameEncoder.class) != null) {
          refuse(ctx, (FirstMessageResult.Rejected) authenticator.notText());
        } else {
          state = State.REFUSED;
          cancelDeadline();
          releaseEarlyFrames();
          heldEvents.clear();
          ctx.close();
        }
      }
      return;
    }
    WebSocketFrame frame = (WebSocketFrame) msg;
    if (state == State.HANDSHAKING) {
      early.add(frame); // decoded before HandshakeComplete: checked once the handshake is complete
      return;
    }
    onFrameAndRelease(ctx, frame);
  }

  private void onFrameAndRelease(ChannelHandlerContext ctx, WebSocketFrame frame) {
    try {
      if (state == State.AWAITING_CREDENTIAL) {
        onFrame(ctx, frame);
      }
    } finally {
      // Nothing before acceptance reaches the application: the credential frame and everything else end here.
      ReferenceCountUtil.release(frame);
    }
  }

  /** The frames pipelined with the upgrade request, in order: the first one is the credential. */
  private void drainEarlyFrames(ChannelHandlerContext ctx) {
    WebSocketFrame frame;
    while ((frame = early.poll()) != null) {
      if (state == State.ACCEPTED) {
        ctx.fireChannelRead(frame); // sent after the credential: the application's, after acceptance
      } else {
        onFrameAndRelease(ctx, frame);
      }
    }
  }

  private void releaseEarlyFrames() {
    WebSocketFrame frame;
    while ((frame = early.poll()) != null) {
      ReferenceCountUtil.release(frame);
    }
  }

  private void onFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (frame instanceof PingWebSocketFrame || frame instanceof PongWebSocketFrame) {
      return; // neither a credential nor a reason to wait longer
    }
    if (frame instanceof CloseWebSocketFrame) {
      state = State.REFUSED;
      cancelDeadline();
      releaseEarlyFrames();
      ctx.close();
      return;
    }
    ByteBuf content = frame.content();
    FirstMessageResult result;
    if (content.readableBytes() > authenticator.maxMessageBytes()) {
      result = authenticator.tooBig(); // before any decoding
    } else if (!(frame instanceof TextWebSocketFrame) || !frame.isFinalFragment()) {
      result = authenticator.notText(); // binary, continuation, or a fragment we refuse to wait for
    } else {
      result = authenticator.authenticate(content.nioBuffer());
    }
    if (result instanceof FirstMessageResult.Accepted) {
      accept(ctx, ((FirstMessageResult.Accepted) result).identity());
    } else {
      refuse(ctx, (FirstMessageResult.Rejected) result);
    }
  }

  private void accept(ChannelHandlerContext ctx, Identity identity) {
    state = State.ACCEPTED;
    cancelDeadline();
    NettyWsAuth.setIdentity(ctx.channel(), identity);
    ExpiryWatch.startIfEnabled(ctx.channel(), identity, config);
    ctx.pipeline().remove(this);
    for (Object evt : heldEvents) {
      ctx.fireUserEventTriggered(evt);
    }
    heldEvents.clear();
    ctx.fireUserEventTriggered(
        new AuthenticatedEvent(identity, AuthEvent.Stage.FIRST_MESSAGE, Optional.ofNullable(subprotocol)));
  }

  private void refuse(ChannelHandlerContext ctx, FirstMessageResult.Rejected rejected) {
    state = State.REFUSED;
    cancelDeadline();
    heldEvents.clear();
    releaseEarlyFrames();
    ctx.writeAndFlush(new CloseWebSocketFrame(rejected.closeCode(), rejected.reason()))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void deadlinePassed(ChannelHandlerContext ctx) {
    if (state == State.AWAITING_CREDENTIAL && !ctx.isRemoved()) {
      refuse(ctx, (FirstMessageResult.Rejected) authenticator.timedOut());
    }
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelDeadline();
    heldEvents.clear();
    releaseEarlyFrames();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelDeadline();
    if (state != State.ACCEPTED) {
      releaseEarlyFrames(); // removed by someone else before a decision: nothing held may leak or reach the app
    }
  }
}
