/**
 * wsauth for Netty 4.1 and 4.2: handlers that authenticate WebSocket upgrades and first messages in a Netty
 * pipeline, serve the cookie-bridge page, and keep the authenticated {@link io.github.wsauth.Identity} on the
 * channel.
 *
 * <pre>{@code
 * WsAuthConfig config = WsAuthConfig.builder()
 *     .websocketPath("/ws")
 *     .handshake(handshakeAuthenticator)
 *     .build();
 * pipeline.addLast(NettyWsAuth.connectionGuard(config))   // bounds unauthenticated connections
 *         .addLast(new HttpServerCodec())
 *         .addLast(new HttpObjectAggregator(65536))
 *         .addLast(NettyWsAuth.upgradeHandler(config))
 *         .addLast(new WebSocketServerProtocolHandler(config.protocolConfig()))
 *         .addLast(new MyAppHandler());      // NettyWsAuth.identity(ctx.channel()) is set
 * }</pre>
 *
 * <p>Entry points: {@link io.github.wsauth.netty.NettyWsAuth} (handler factories and the identity accessor),
 * {@link io.github.wsauth.netty.WsAuthConfig} (the one configuration object) and {@link
 * io.github.wsauth.netty.AuthenticatedEvent} (the user event fired on success). The handlers themselves are
 * package-private.
 */
package io.github.wsauth.netty;
