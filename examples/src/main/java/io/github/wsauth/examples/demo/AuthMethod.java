package io.github.wsauth.examples.demo;

import java.util.Optional;

/**
 * The authentication methods the demo shows, one WebSocket server each. The {@link #id()} is what the page uses
 * in {@code data-method} and what {@code /config.json} and {@code /api/events} use as a key.
 */
public enum AuthMethod {
  /** The token is the first WebSocket message (Netty). */
  FIRST_MESSAGE("first-message", 8001, true),
  /** {@code ws://host/?token=...} (Jakarta on Tomcat). */
  QUERY_PARAM("query-param", 8002, true),
  /** A cookie set through the cookie-bridge iframe of the WebSocket origin (Netty). */
  COOKIE("cookie", 8003, true),
  /** {@code ws://user:token@host/}, sent as {@code Authorization: Basic} (Jakarta on Tomcat). */
  USER_INFO("user-info", 8004, true),
  /** {@code Sec-WebSocket-Protocol: hello, authorization.bearer.<token>} (Netty). */
  SUBPROTOCOL("subprotocol", 8005, true),
  /** {@code Authorization: Bearer <token>}: programs only, browsers cannot send it (Jakarta on Tomcat). */
  BEARER("bearer", 8006, false);

  private final String id;
  private final int defaultPort;
  private final boolean browser;

  AuthMethod(String id, int defaultPort, boolean browser) {
    this.id = id;
    this.defaultPort = defaultPort;
    this.browser = browser;
  }

  /** The name used by the page ({@code data-method}) and the JSON endpoints. */
  public String id() {
    return id;
  }

  /** The port the demo uses when none is configured. */
  public int defaultPort() {
    return defaultPort;
  }

  /** Whether a browser can use this method (the page shows only these). */
  public boolean browser() {
    return browser;
  }

  /** The method with this {@link #id()}. */
  public static Optional<AuthMethod> byId(String id) {
    for (AuthMethod m : values()) {
      if (m.id.equals(id)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
