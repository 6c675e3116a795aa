package io.github.wsauth.netty;

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
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Authenticates the first WebSocket message, after {@code WebSocketServerProtocolHandler}. See {@link
 * NettyWsAuth#firstMessageHandler(WsAuthConfig)}. One instance per channel; every callback runs on {@code
 * ctx.executor()}.
 */
final class FirstMessageAuthHandler extends ChannelInboundHandlerAdapter {
  private enum State { HANDSHAKING, AWAITING_CREDENTIAL, REFUSED }

  private final WsAuthConfig config;
  private final FirstMessageAuthenticator authenticator;
  /** Netty's handshake events, held back until the client is authenticated so the application never sees an
   * unauthenticated connection. */
  private final List<Object> heldEvents = new ArrayList<>(2);
  private State state = State.HANDSHAKING;
  private ScheduledFuture<?> deadline;
  private String subprotocol;

  FirstMessageAuthHandler(WsAuthConfig config, FirstMessageAuthenticator authenticator) {
    this.config = config;
    this.authenticator = authenticator;
  }

  @Override
  @SuppressWarnings("deprecation") // ServerHandshakeStateEvent is deprecated but still fired by 4.1 and 4.2
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      if (state == State.HANDSHAKING) {
        subprotocol = ((WebSocketServerProtocolHandler.HandshakeComplete) evt).selectedSubprotocol();
        heldEvents.add(evt);
        state = State.AWAITING_CREDENTIAL;
        // A fixed timer, not IdleStateHandler: pings and pongs must not extend the deadline.
        deadline = ctx.executor().schedule(() -> deadlinePassed(ctx), authenticator.deadline().toNanos(),
            TimeUnit.NANOSECONDS);
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
    if (!(msg instanceof WebSocketFrame)) {
      if (state == State.REFUSED) {
        ReferenceCountUtil.release(msg);
      } else {
        ctx.fireChannelRead(msg); // plain HTTP requests on other paths, before any upgrade
      }
      return;
    }
    WebSocketFrame frame = (WebSocketFrame) msg;
    try {
      if (state != State.REFUSED) {
        onFrame(ctx, frame);
      }
    } finally {
      // Nothing before acceptance reaches the application: the credential frame and everything else end here.
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
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelDeadline();
  }
}
