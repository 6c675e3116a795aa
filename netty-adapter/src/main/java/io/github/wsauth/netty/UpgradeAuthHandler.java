package io.github.wsauth.netty;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

import io.github.wsauth.AuthDecision;
import io.github.wsauth.AuthEvent;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.Redaction;
import io.github.wsauth.UpgradeRequest;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;

/**
 * Authenticates WebSocket upgrade requests before {@code WebSocketServerProtocolHandler} sees them. See {@link
 * NettyWsAuth#upgradeHandler(WsAuthConfig)}. One instance per channel.
 */
final class UpgradeAuthHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = System.getLogger(UpgradeAuthHandler.class.getName());

  private final WsAuthConfig config;
  private final HandshakeAuthenticator authenticator;
  /** Set once a request was refused: whatever else arrives is dropped while the channel closes. */
  private boolean refused;

  UpgradeAuthHandler(WsAuthConfig config, HandshakeAuthenticator authenticator) {
    this.config = config;
    this.authenticator = authenticator;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!(msg instanceof HttpRequest)) {
      ctx.fireChannelRead(msg);
      return;
    }
    HttpRequest request = (HttpRequest) msg;
    if (!NettyRequests.isUpgradeAttempt(request)
        || !NettyRequests.isWebSocketPath(request.uri(), config.websocketPath(), config.checkStartsWith())) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!(msg instanceof FullHttpRequest)) {
      // A pipeline without HttpObjectAggregator: fail closed rather than let the upgrade through unchecked.
      LOG.log(Level.ERROR, "wsauth upgrade handler needs HttpObjectAggregator before it; refusing "
          + Redaction.uri(request.uri()));
      ReferenceCountUtil.release(msg);
      refuse(ctx, new AuthDecision.Rejected(503, List.of(), "server misconfigured"), request);
      return;
    }
    authenticate(ctx, (FullHttpRequest) msg);
  }

  private void authenticate(ChannelHandlerContext ctx, FullHttpRequest request) {
    AuthDecision decision;
    try {
      UpgradeRequest view = NettyRequests.toUpgradeRequest(request, ctx.channel().remoteAddress());
      decision = authenticator.authenticate(view);
    } catch (RuntimeException e) {
      // The authenticator never throws for client input; a bug here must still fail closed.
      LOG.log(Level.ERROR, "wsauth authentication failed: " + e.getClass().getName());
      decision = new AuthDecision.Rejected(503, List.of(), "authentication temporarily unavailable");
    }
    if (decision instanceof AuthDecision.Rejected) {
      try {
        refuse(ctx, (AuthDecision.Rejected) decision, request);
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
    Identity identity = accepted.identity();
    NettyWsAuth.setIdentity(ctx.channel(), identity);
    ExpiryWatch.startIfEnabled(ctx.channel(), identity, config);
    ctx.pipeline().remove(this);
    ctx.fireUserEventTriggered(new AuthenticatedEvent(identity, AuthEvent.Stage.HANDSHAKE, accepted.subprotocol()));
    ctx.fireChannelRead(request);
  }

  private void refuse(ChannelHandlerContext ctx, AuthDecision.Rejected rejected, HttpRequest request) {
    refused = true;
    FullHttpResponse response = NettyRequests.textResponse(request.protocolVersion(),
        HttpResponseStatus.valueOf(rejected.status()), rejected.reason());
    for (String challenge : rejected.challenges()) {
      response.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, challenge);
    }
    if (rejected.status() == 503) {
      response.headers().set(HttpHeaderNames.RETRY_AFTER, "5");
    }
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
