package io.github.wsauth.examples.demo;

import java.util.Map;

/** Starts one WebSocket server per method: Netty for 8001, 8003, 8005; Jakarta (Tomcat) for 8002, 8004, 8006. */
final class DemoServers {
  /** Where the cookie server serves the bridge page. */
  static final String COOKIE_BRIDGE_PATH = io.github.wsauth.CookieBridge.DEFAULT_PATH + "/cookie-bridge.html";

  /**
   * The close code of a connection whose identity expired (reason "authentication expired"): an application code,
   * distinct from a refused credential ({@link #REJECTED_CLOSE_CODE}) and from a revocation ({@link
   * #REVOKED_CLOSE_CODE}).
   */
  static final int EXPIRY_CLOSE_CODE = 4401;
  /** The close code of a refused credential: first message, or an in-band re-authentication. */
  static final int REJECTED_CLOSE_CODE = io.github.wsauth.FirstMessageAuthenticator.POLICY_VIOLATION;
  /** The close code of a revoked connection ("log out everywhere"; reason "authentication revoked"). */
  static final int REVOKED_CLOSE_CODE = io.github.wsauth.lifetime.Revoker.DEFAULT_CLOSE_CODE;

  private DemoServers() {}

  static void startAll(DemoConfig config, DemoTokens tokens, AuthLog log, String appOrigin,
      Map<AuthMethod, DemoServer> into) {
    into.put(AuthMethod.FIRST_MESSAGE, NettyServers.firstMessage(config, tokens, log));
    into.put(AuthMethod.QUERY_PARAM, JakartaServers.queryParameter(config, tokens, log, appOrigin));
    into.put(AuthMethod.COOKIE, NettyServers.cookie(config, tokens, log, appOrigin));
    into.put(AuthMethod.USER_INFO, JakartaServers.userInfo(config, tokens, log, appOrigin));
    into.put(AuthMethod.SUBPROTOCOL, NettyServers.subprotocol(config, tokens, log, appOrigin));
    into.put(AuthMethod.BEARER, JakartaServers.bearer(config, tokens, log));
  }
}
