package io.github.wsauth.examples.demo;

import java.util.List;

import io.github.wsauth.CookieBridge;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.netty.NettyWsAuth;
import io.github.wsauth.netty.WsAuthConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * The demo's Netty servers, wired exactly as the Netty section of the README shows: first message (8001), cookie
 * with its bridge page (8003), and the {@code Sec-WebSocket-Protocol} carrier (8005). Each pipeline starts with
 * {@link NettyWsAuth#connectionGuard}: the handshake timeout is {@link DemoConfig#handshakeTimeout()} (10 s by
 * default), the caps are the defaults (at most 1,000 unauthenticated connections, 100 per address). Every
 * server closes a connection when its identity expires ({@link DemoServers#EXPIRY_CLOSE_CODE}), registers it in
 * the demo's registry (so "log out everywhere" closes it), and takes a later {@code {"token": "…"}} message as an
 * in-band re-authentication: wsauth itself on the first-message server, the application ({@link
 * NettyDemoServer.HelloHandler} calling {@link NettyWsAuth#reauthenticate}) on the others.
 */
final class NettyServers {
  /** The WebSocket path of every demo server. */
  static final String PATH = "/";
  /** The application subprotocol of the subprotocol server. */
  static final String APP_SUBPROTOCOL = "hello";

  private NettyServers() {}

  /** 8001: the token is the first WebSocket message, {@code {"token": "..."}}. */
  static DemoServer firstMessage(DemoConfig config, DemoTokens tokens, AuthLog log) {
    WsAuthConfig wsauth = WsAuthConfig.builder()
        .websocketPath(PATH)
        .handshakeTimeout(config.handshakeTimeout())
        .closeOnExpiry(true)                          // closed with 4401 "authentication expired" at expiry
        .expiryCloseCode(DemoServers.EXPIRY_CLOSE_CODE)
        .clock(config.clock())
        .lifetime(tokens.lifetime())                  // revocable; {"token": "..."} re-authenticates in-band
        .firstMessage(FirstMessageAuthenticator.builder()
            .verifier(tokens.verifier())
            .format(FirstMessageAuthenticator.Format.JSON)
            .deadline(config.firstMessageDeadline())
            .listener(log.listener(AuthMethod.FIRST_MESSAGE))
            .build())
        .build();
    return NettyDemoServer.start(AuthMethod.FIRST_MESSAGE, config.port(AuthMethod.FIRST_MESSAGE), p -> p
        .addLast(NettyWsAuth.connectionGuard(wsauth))  // first: 10 s to an accepted upgrade, 1,000 pending at most
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(8192))
        .addLast(new WebSocketServerProtocolHandler(wsauth.protocolConfig()))
        .addLast(NettyWsAuth.firstMessageHandler(wsauth)));
  }

  /**
   * 8003: a cookie set by this server's own cookie-bridge page, which only {@code appOrigin} may frame; the
   * WebSocket accepts only {@code appOrigin} too (cross-site WebSocket hijacking).
   */
  static DemoServer cookie(DemoConfig config, DemoTokens tokens, AuthLog log, String appOrigin) {
    WsAuthConfig wsauth = WsAuthConfig.builder()
        .websocketPath(PATH)
        .handshakeTimeout(config.handshakeTimeout())
        .closeOnExpiry(true)                          // closed with 4401 "authentication expired" at expiry
        .expiryCloseCode(DemoServers.EXPIRY_CLOSE_CODE)
        .clock(config.clock())
        .lifetime(tokens.lifetime())                  // revocable; {"token": "..."} re-authenticates in-band
        .handshake(HandshakeAuthenticator.builder()
            .extractor(CredentialExtractor.cookie(CookieBridge.DEFAULT_COOKIE_NAME))
            .verifier(tokens.verifier())
            .originPolicy(OriginPolicy.allowOnly(appOrigin))
            .listener(log.listener(AuthMethod.COOKIE))
            .build())
        .cookieBridge(CookieBridge.builder().parentOrigin(appOrigin).cookiePath(PATH).build())
        .build();
    return NettyDemoServer.start(AuthMethod.COOKIE, config.port(AuthMethod.COOKIE), p -> p
        .addLast(NettyWsAuth.connectionGuard(wsauth))  // first: 10 s to an accepted upgrade, 1,000 pending at most
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(8192))
        .addLast(NettyWsAuth.cookieBridgeHandler(wsauth))
        .addLast(NettyWsAuth.upgradeHandler(wsauth))
        .addLast(new WebSocketServerProtocolHandler(wsauth.protocolConfig())));
  }

  /** 8005: {@code Sec-WebSocket-Protocol: hello, authorization.bearer.<token>}; the server selects {@code hello}. */
  static DemoServer subprotocol(DemoConfig config, DemoTokens tokens, AuthLog log, String appOrigin) {
    WsAuthConfig wsauth = WsAuthConfig.builder()
        .websocketPath(PATH)
        .handshakeTimeout(config.handshakeTimeout())
        .closeOnExpiry(true)                          // closed with 4401 "authentication expired" at expiry
        .expiryCloseCode(DemoServers.EXPIRY_CLOSE_CODE)
        .clock(config.clock())
        .lifetime(tokens.lifetime())                  // revocable; {"token": "..."} re-authenticates in-band
        .handshake(HandshakeAuthenticator.builder()
            .extractor(CredentialExtractor.subprotocol())
            .subprotocols(List.of(APP_SUBPROTOCOL))
            .verifier(tokens.verifier())
            .originPolicy(OriginPolicy.allowOnly(appOrigin))
            .listener(log.listener(AuthMethod.SUBPROTOCOL))
            .build())
        .build();
    return NettyDemoServer.start(AuthMethod.SUBPROTOCOL, config.port(AuthMethod.SUBPROTOCOL), p -> p
        .addLast(NettyWsAuth.connectionGuard(wsauth))  // first: 10 s to an accepted upgrade, 1,000 pending at most
        .addLast(new HttpServerCodec())
        .addLast(new HttpObjectAggregator(8192))
        .addLast(NettyWsAuth.upgradeHandler(wsauth))
        .addLast(new WebSocketServerProtocolHandler(wsauth.protocolConfig())));
  }
}
