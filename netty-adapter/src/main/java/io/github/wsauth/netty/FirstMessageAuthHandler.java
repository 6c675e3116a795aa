package io.github.wsauth.netty;

import java.util.ArrayList;
import java.util.List;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.internal.FirstMessageSession;
import io.github.wsauth.internal.LiveSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Authenticates the first WebSocket message, after {@code WebSocketServerProtocolHandler}: translates Netty's
 * frames and events into core's {@link FirstMessageSession} and its actions into pipeline calls. See {@link
 * NettyWsAuth#firstMessageHandler(WsAuthConfig)}. One instance per channel; every callback runs on {@code
 * ctx.executor()}.
 */
final class FirstMessageAuthHandler extends ChannelInboundHandlerAdapter {
  private final WsAuthConfig config;
  private final FirstMessageAuthenticator authenticator;
  /** Netty's handshake events, held back until the client is authenticated so the application never sees an
   * unauthenticated connection. */
  private final List<Object> heldEvents = new ArrayList<>(2);
  private FirstMessageSession<WebSocketFrame> session;
  private boolean handshaken;
  private String subprotocol;

  FirstMessageAuthHandler(WsAuthConfig config, FirstMessageAuthenticator authenticator) {
    this.config = config;
    this.authenticator = authenticator;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // A fixed timer, not IdleStateHandler: pings and pongs must not extend the deadline.
    session = new FirstMessageSession<>(authenticator, TaskScheduler.of(ctx.executor()), new Actions(ctx));
    PipelinedBytesHandler.install(ctx.channel());
  }

  @Override
  @SuppressWarnings("deprecation") // ServerHandshakeStateEvent is deprecated but still fired by 4.1 and 4.2
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
      if (!handshaken) {
        handshaken = true;
        subprotocol = ((WebSocketServerProtocolHandler.HandshakeComplete) evt).selectedSubprotocol();
        heldEvents.add(evt);
        ConnectionGuard.awaitingFirstMessage(ctx.channel());
        session.start(); // frames pipelined with the upgrade request are looked at now, in order
      }
      return;
    }
    if (evt == WebSocketServerProtocolHandler.ServerHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      if (!handshaken) {
        heldEvents.add(evt);
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (session.isAccepted()) {
      ctx.fireChannelRead(msg); // queued before it removed itself, or it stays on an executor of its own
      return;
    }
    if (msg instanceof WebSocketFrame) {
      WebSocketFrame frame = (WebSocketFrame) msg;
      if (frame instanceof TextWebSocketFrame) {
        session.textFrame(frame, frame.content().nioBuffer(), frame.isFinalFragment());
      } else if (frame instanceof ContinuationWebSocketFrame) {
        session.continuationFrame(frame, frame.content().nioBuffer(), frame.isFinalFragment());
      } else if (frame instanceof BinaryWebSocketFrame) {
        session.binaryFrame(frame);
      } else if (frame instanceof CloseWebSocketFrame) {
        ReferenceCountUtil.release(frame);
        session.peerClosed();
      } else {
        session.controlFrame(frame); // ping, pong
      }
      return;
    }
    if (!handshaken && !(msg instanceof ByteBuf)) {
      ctx.fireChannelRead(msg); // plain HTTP requests on other paths, before any upgrade
      return;
    }
    // Undecoded bytes (or anything else once upgraded) must never reach the application: fail closed, with the
    // "not a text frame" close code when a close frame can be written at all.
    ReferenceCountUtil.release(msg);
    session.unreadable(null, ctx.pipeline().get(WebSocketFrameEncoder.class) != null);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    // Before the close goes on: nothing of the connection (a held frame, the deadline) outlives it. The held
    // handshake events need no clearing here: once the session is closed nothing fires them (only accept() does),
    // and they hold no buffer.
    session.connectionClosed();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    session.connectionClosed(); // removed by someone else before a decision: nothing held may leak or reach the app
  }

  /** The session's actions, as pipeline calls; all run on the event loop. */
  private final class Actions implements FirstMessageSession.Transport<WebSocketFrame> {
    private final ChannelHandlerContext ctx;

    Actions(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void accept(Identity identity) {
      NettyWsAuth.setIdentity(ctx.channel(), identity);
      LiveSession live = LiveChannel.start(ctx.channel(), identity, config, authenticator.verifier());
      if (config.lifetime().inBandMessages() && authenticator.format() == FirstMessageAuthenticator.Format.JSON) {
        // the same {"token": "..."} message, sent again later, re-authenticates
        ctx.pipeline().replace(FirstMessageAuthHandler.this, null,
            new InBandReauthenticationHandler(live, authenticator));
      } else if (ctx.executor() == ctx.channel().eventLoop()) {
        ctx.pipeline().remove(FirstMessageAuthHandler.this);
      }
      // On an executor of its own the handler stays and passes frames on: removed, it would let a frame the loop
      // reads now reach the application before those still queued on this executor behind the token.
      for (Object evt : heldEvents) {
        ctx.fireUserEventTriggered(evt);
      }
      heldEvents.clear();
      ctx.fireUserEventTriggered(new AuthenticatedEvent(identity, AuthEvent.Stage.FIRST_MESSAGE, subprotocol));
    }

    @Override
    public void deliver(WebSocketFrame message) {
      ctx.fireChannelRead(message);
    }

    @Override
    public void discard(WebSocketFrame message) {
      ReferenceCountUtil.release(message);
    }

    @Override
    public void close(int code, String reason) {
      heldEvents.clear();
      ClosingHandshake.close(ctx.channel(), true, code, reason, config.closingHandshakeTimeout());
    }

    @Override
    public void abort() {
      heldEvents.clear();
      ctx.close();
    }
  }
}
