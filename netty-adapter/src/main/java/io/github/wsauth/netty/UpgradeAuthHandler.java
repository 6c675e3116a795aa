package io.github.wsauth.netty;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;

import io.github.wsauth.AuthDecision;
import io.github.wsauth.AuthEvent;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.UpgradeRequest;
import io.github.wsauth.internal.WebSocketHandshake;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;

/**
 * Authenticates WebSocket upgrade requests before {@code WebSocketServerProtocolHandler} sees them. See {@link
 * NettyWsAuth#upgradeHandler(WsAuthConfig)}. One instance per channel.
 *
 * <p>Every upgrade request is authenticated by itself, and an accepted decision only becomes the channel's
 * {@code Identity} when the {@code 101} for that request is written (the handshaker writes it through this
 * handler): a request Netty answers otherwise (426, 400, a 404 from the application) leaves the decision unused,
 * and the handler stays in place for the next request on the keep-alive connection. HTTP/1.1 answers requests in
 * order (RFC 9112 §9.3.2), so counting the final responses written pairs each with its request.
 */
final class UpgradeAuthHandler extends ChannelDuplexHandler {
  private static final Logger LOG = System.getLogger(UpgradeAuthHandler.class.getName());

  private final WsAuthConfig config;
  private final HandshakeAuthenticator authenticator;
  /** Set once a request was refused: whatever else arrives is dropped while the channel closes. */
  private boolean refused;
  /** Requests passed on whose final response has not been written yet. */
  private int unanswered;
  /** The accepted decision waiting for its 101, or null; {@link #pendingAhead} responses are due before it. */
  private Identity pendingIdentity;
  private Optional<String> pendingSubprotocol;
  private int pendingAhead;

  UpgradeAuthHandler(WsAuthConfig config, HandshakeAuthenticator authenticator) {
    this.config = config;
    this.authenticator = authenticator;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      checkPlacement(ctx); // added to a live channel; otherwise channelActive checks the finished pipeline
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (!checkPlacement(ctx)) {
      return;
    }
    ctx.fireChannelActive();
  }

  /**
   * Fails closed if a {@code WebSocketServerProtocolHandler} comes before this handler: Netty writes the 101 from
   * its handshake handler's context, so a handler after it would neither see the request nor the 101. One lookup
   * without allocation; the list of names only when a protocol handler is there.
   */
  private boolean checkPlacement(ChannelHandlerContext ctx) {
    if (refused || !isAfterProtocolHandler(ctx)) {
      return !refused;
    }
    WiringMistake.AFTER_PROTOCOL_HANDLER.report(config);
    refused = true;
    ctx.close();
    return false;
  }

  @Override
  @SuppressWarnings("deprecation") // ServerHandshakeStateEvent is deprecated but still fired by 4.1 and 4.2
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete
        || evt == WebSocketServerProtocolHandler.ServerHandshakeStateEvent.HANDSHAKE_COMPLETE) {
      // This handler removes itself when it lets a 101 through; seeing the upgrade complete means the 101 went
      // out without passing it (placed after the protocol handler since the check above): never let it through.
      if (!refused) {
        if (isAfterProtocolHandler(ctx)) {
          WiringMistake.AFTER_PROTOCOL_HANDLER.report(config);
        } else {
          WiringMistake.UPGRADED_WITHOUT_DECISION.report(config, config.websocketPath(), config.checkStartsWith());
        }
        refused = true;
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!(msg instanceof HttpObject)) {
      if (msg instanceof ByteBuf) {
        // Before the upgrade the HTTP codec turns every byte into HttpObjects; raw bytes mean it comes later.
        ReferenceCountUtil.release(msg);
        WiringMistake.BEFORE_HTTP_CODEC.report(config);
        refused = true;
        ctx.close();
        return;
      }
      ctx.fireChannelRead(msg);
      return;
    }
    // First of all: a request Netty could not decode has lost headers (an Origin after 8 KiB of padding, after a
    // NUL byte); nothing is decided on what is left of it, nor is it passed on.
    if (((HttpObject) msg).decoderResult().isFailure()) {
      refused = true;
      pendingIdentity = null;
      NettyRequests.refuseUndecodable(ctx, (HttpObject) msg);
      return;
    }
    if (!(msg instanceof HttpRequest)) {
      ctx.fireChannelRead(msg);
      return;
    }
    HttpRequest request = (HttpRequest) msg;
    String target = NettyRequests.webSocketTarget(request.uri(), config.websocketPath(), config.checkStartsWith());
    if (target == null) {
      passOn(ctx, request); // not this endpoint: Netty will not upgrade it, so no token of it is used
      return;
    }
    UpgradeRequest view;
    try {
      view = NettyRequests.toUpgradeRequest(request, target, ctx.channel().remoteAddress());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "wsauth could not read an upgrade request: " + e.getClass().getName());
      ReferenceCountUtil.release(msg);
      refuse(ctx, request.protocolVersion(), WebSocketHandshake.undecodable(400));
      return;
    }
    if (!WebSocketHandshake.isUpgradeAttempt(view)) {
      passOn(ctx, request); // a plain request on the WebSocket path
      return;
    }
    if (!(msg instanceof FullHttpRequest)) {
      // A pipeline without HttpObjectAggregator: fail closed rather than let the upgrade through unchecked.
      WiringMistake.NO_AGGREGATOR.report(config);
      ReferenceCountUtil.release(msg);
      refuse(ctx, request.protocolVersion(), new AuthDecision.Rejected(503, List.of(), "server misconfigured"));
      return;
    }
    if (pendingIdentity != null) {
      // Pipelined behind an upgrade that is not answered yet: after a 101 no HTTP request follows.
      ReferenceCountUtil.release(msg);
      refuse(ctx, request.protocolVersion(), new AuthDecision.Rejected(400, List.of(), "one upgrade request at a time"));
      return;
    }
    // Before any credential is read: a request that Netty would not upgrade must not use a token up.
    Optional<WebSocketHandshake.Invalid> invalid = NettyRequests.checkHandshake(request, view);
    if (invalid.isPresent()) {
      ReferenceCountUtil.release(msg);
      refuse(ctx, request.protocolVersion(), invalid.get().rejected());
      return;
    }
    if (target != request.uri()) {
      // Absolute-form (RFC 9112 §3.2.2): Netty's protocol handler matches the raw URI, so hand it origin-form.
      request.setUri(target);
    }
    authenticate(ctx, (FullHttpRequest) request, view);
  }

  private void authenticate(ChannelHandlerContext ctx, FullHttpRequest request, UpgradeRequest view) {
    AuthDecision decision;
    try {
      decision = authenticator.authenticate(view);
    } catch (RuntimeException e) {
      // The authenticator never throws for client input; a bug here must still fail closed.
      LOG.log(Level.ERROR, "wsauth authentication failed: " + e.getClass().getName());
      decision = new AuthDecision.Rejected(503, List.of(), "authentication temporarily unavailable");
    }
    if (decision instanceof AuthDecision.Rejected) {
      try {
        refuse(ctx, request.protocolVersion(), (AuthDecision.Rejected) decision);
      } finally {
        request.release();
      }
      return;
    }
    AuthDecision.Accepted accepted = (AuthDecision.Accepted) decision;
    // Netty's handshaker echoes the first offered entry its list allows ("*" allows a token entry) and picks
    // in the client's order: leave it exactly one choice, the one the authenticator made, or none.
    if (request.headers().contains(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
      if (accepted.subprotocol().isPresent()) {
        request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, accepted.subprotocol().get());
      } else {
        request.headers().remove(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
      }
    }
    // The token stays out of the URI that Netty's HandshakeComplete and the application see (and may log).
    int q = request.uri().indexOf('?');
    if (q >= 0) {
      request.setUri(request.uri().substring(0, q + 1) + authenticator.redactQuery(request.uri().substring(q + 1)));
    }
    // Pending until the 101 for this very request is written; bound to nothing if Netty answers otherwise.
    pendingIdentity = accepted.identity();
    pendingSubprotocol = accepted.subprotocol();
    pendingAhead = unanswered;
    passOn(ctx, request);
  }

  private void passOn(ChannelHandlerContext ctx, HttpRequest request) {
    unanswered++;
    ctx.fireChannelRead(request);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse) {
      int code = ((HttpResponse) msg).status().code();
      if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        switchingProtocols(ctx, msg, promise);
        return;
      }
      if (code >= 200) { // 1xx other than 101 are interim answers (RFC 9110 §15.2)
        answered(code);
      }
    }
    ctx.write(msg, promise);
  }

  private void answered(int code) {
    if (unanswered > 0) {
      unanswered--;
    }
    if (pendingIdentity != null) {
      if (pendingAhead == 0) {
        pendingIdentity = null; // the accepted request was not upgraded: its decision binds nothing
        pendingSubprotocol = null;
        WiringMistake.ACCEPTED_NOT_UPGRADED.report(config, code, config.websocketPath(), config.checkStartsWith());
      } else {
        pendingAhead--;
      }
    }
  }

  private void switchingProtocols(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (refused) { // the channel is closing after a refusal: nothing is upgraded any more
      ReferenceCountUtil.release(msg);
      promise.tryFailure(new WebSocketHandshakeException("connection refused by wsauth"));
      return;
    }
    if (pendingIdentity == null || pendingAhead != 0) {
      // Netty upgraded a request this handler did not accept: never let that connection through.
      ReferenceCountUtil.release(msg);
      if (pendingIdentity != null) {
        // Out of step, not miswired: the client sent the accepted upgrade behind a request that got no answer
        // (e.g. one the pipeline ignores), so this 101 cannot be paired with it. Refused without a log line.
      } else if (isAfterProtocolHandler(ctx)) {
        WiringMistake.AFTER_PROTOCOL_HANDLER.report(config);
      } else {
        WiringMistake.UPGRADED_WITHOUT_DECISION.report(config, config.websocketPath(), config.checkStartsWith());
      }
      refused = true;
      ctx.close();
      // A WebSocketHandshakeException: the protocol handler answers it (on the closed channel) without passing
      // it to the tail, so a refused connection adds no stack trace to the log.
      promise.tryFailure(new WebSocketHandshakeException("upgraded without a wsauth decision"));
      return;
    }
    Identity identity = pendingIdentity;
    Optional<String> subprotocol = pendingSubprotocol;
    pendingIdentity = null;
    pendingSubprotocol = null;
    NettyWsAuth.setIdentity(ctx.channel(), identity);
    LiveChannel.start(ctx.channel(), identity, config, null);
    ctx.fireUserEventTriggered(new AuthenticatedEvent(identity, AuthEvent.Stage.HANDSHAKE, subprotocol.orElse(null)));
    ctx.write(msg, promise);
    ctx.pipeline().remove(this); // upgraded: no HTTP request follows on this channel
  }

  /** Whether a {@code WebSocketServerProtocolHandler} comes before this handler in the pipeline. */
  private static boolean isAfterProtocolHandler(ChannelHandlerContext ctx) {
    ChannelHandlerContext protocol = ctx.pipeline().context(WebSocketServerProtocolHandler.class);
    if (protocol == null) {
      return false;
    }
    List<String> names = ctx.pipeline().names();
    return names.indexOf(protocol.name()) < names.indexOf(ctx.name());
  }

  private void refuse(ChannelHandlerContext ctx, HttpVersion version, AuthDecision.Rejected rejected) {
    refused = true;
    pendingIdentity = null;
    ctx.writeAndFlush(NettyRequests.rejection(version, rejected.httpResponse()))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
