package io.github.wsauth.examples.demo;

import java.util.Map;

/** Starts one WebSocket server per method. */
final class DemoServers {
  /** Where the cookie server serves the bridge page. */
  static final String COOKIE_BRIDGE_PATH = "/wsauth/cookie-bridge.html";

  private DemoServers() {}

  static void startAll(DemoConfig config, DemoTokens tokens, AuthLog log, String appOrigin,
      Map<AuthMethod, DemoServer> into) {
    // Filled in as the adapters land.
  }
}
