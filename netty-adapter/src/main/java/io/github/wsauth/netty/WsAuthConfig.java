package io.github.wsauth.netty;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.wsauth.AdapterConfig;
import io.github.wsauth.CookieBridge;
import io.github.wsauth.CredentialSource;
import io.github.wsauth.Extraction;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.UpgradeRequest;
import io.github.wsauth.internal.CharClasses;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;

/**
 * The one configuration object of the Netty adapter: which authenticators run, on which WebSocket path, whether
 * connections close when their credential expires, and which {@link CookieBridge} it serves. Modelled on Netty's
 * {@link WebSocketServerProtocolConfig}; {@link #protocolConfig()} derives that config so path and subprotocols
 * cannot drift apart.
 *
 * <pre>{@code
 * WsAuthConfig config = WsAuthConfig.builder()
 *     .websocketPath("/ws")
 *     .handshake(handshakeAuthenticator)       // upgradeHandler(config)
 *     .firstMessage(firstMessageAuthenticator) // firstMessageHandler(config)
 *     .closeOnExpiry(true)
 *     .cookieBridge(CookieBridge.builder()                  // cookieBridgeHandler(config)
 *         .parentOrigin("https://app.example").cookiePath("/ws").build())
 *     .build();
 * }</pre>
 *
 * <p>Security defaults: the cookie bridge's are {@link CookieBridge}'s, the same as on a servlet container; a
 * bridge whose cookie the handshake authenticator would not read is refused at build; the wildcard subprotocol
 * {@code "*"} is refused because Netty would echo a token entry with it. With {@link
 * NettyWsAuth#connectionGuard(WsAuthConfig)} first in the pipeline, a connection has {@link
 * Builder#handshakeTimeout(Duration) 10 seconds} from accept to an accepted upgrade, and at most {@link
 * Builder#maxUnauthenticatedConnections(int) 1,000} unauthenticated connections ({@link
 * Builder#maxUnauthenticatedConnectionsPerAddress(int) 100} per IPv4 address or IPv6 /64) are open at once.
 * Immutable (apart from the live count of unauthenticated connections that its guards share) and thread-safe.
 */
public final class WsAuthConfig extends AdapterConfig {
  /** The default {@link Builder#handshakeTimeout(Duration) handshake timeout}: 10 seconds. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  /** The default {@link Builder#maxUnauthenticatedConnections(int) cap on unauthenticated connections}: {@value}. */
  public static final int DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS = 1000;
  /** The default {@link Builder#maxUnauthenticatedConnectionsPerAddress(int) cap per remote address}: {@value}. */
  public static final int DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS_PER_ADDRESS = 100;
  /** The default {@link Builder#closingHandshakeTimeout(Duration) closing handshake timeout}: 2 seconds. */
  public static final Duration DEFAULT_CLOSING_HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);

  private final String websocketPath;
  private final boolean checkStartsWith;
  /** Test seam: what wakes the expiry and warning timers up (default: the channel's event loop). */
  private final TaskScheduler wakeUps;
  private final Optional<CookieBridge> cookieBridge;
  /** The {@link WiringMistake}s already logged for this config, one bit each: each is logged once. */
  private final AtomicInteger reportedMistakes = new AtomicInteger();
  private final Duration handshakeTimeout;
  private final int maxUnauthenticatedConnections;
  private final int maxUnauthenticatedConnectionsPerAddress;
  /** Shared by every channel guarded with this config. */
  private final UnauthenticatedConnections unauthenticatedConnections;
  private final Duration closingHandshakeTimeout;

  private WsAuthConfig(Builder b) {
    super(b);
    this.websocketPath = b.websocketPath;
    this.checkStartsWith = b.checkStartsWith;
    this.wakeUps = b.wakeUps;
    this.cookieBridge = Optional.ofNullable(b.cookieBridge);
    this.handshakeTimeout = b.handshakeTimeout;
    this.maxUnauthenticatedConnections = b.maxUnauthenticatedConnections;
    this.maxUnauthenticatedConnectionsPerAddress = b.maxUnauthenticatedConnectionsPerAddress == 0
        ? Math.min(DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS_PER_ADDRESS, b.maxUnauthenticatedConnections)
        : b.maxUnauthenticatedConnectionsPerAddress;
    this.unauthenticatedConnections = new UnauthenticatedConnections(maxUnauthenticatedConnections,
        maxUnauthenticatedConnectionsPerAddress);
    this.closingHandshakeTimeout = b.closingHandshakeTimeout;
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The WebSocket path, e.g. {@code /ws}. */
  public String websocketPath() {
    return websocketPath;
  }

  /** Whether sub-paths and query strings of {@link #websocketPath()} are WebSocket requests too. */
  public boolean checkStartsWith() {
    return checkStartsWith;
  }

  /** The scheduler set by a test, or null for the channel's event loop. */
  TaskScheduler wakeUps() {
    return wakeUps;
  }

  /** The cookie bridge of {@link NettyWsAuth#cookieBridgeHandler}, if configured. */
  public Optional<CookieBridge> cookieBridge() {
    return cookieBridge;
  }

  /**
   * How long {@link NettyWsAuth#connectionGuard(WsAuthConfig) the guard} gives a new connection to complete an
   * upgrade that a wsauth handler accepts (or, with the first-message handler, to complete the WebSocket handshake).
   */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /** The most unauthenticated connections the guard keeps open at once, over every channel of this config. */
  public int maxUnauthenticatedConnections() {
    return maxUnauthenticatedConnections;
  }

  /** The most unauthenticated connections the guard keeps open at once from one remote IP address. */
  public int maxUnauthenticatedConnectionsPerAddress() {
    return maxUnauthenticatedConnectionsPerAddress;
  }

  /**
   * How long a connection that wsauth closes (revocation, expiry, a refused re-authentication or first message)
   * waits for the client's Close frame before its TCP connection is closed anyway.
   */
  public Duration closingHandshakeTimeout() {
    return closingHandshakeTimeout;
  }

  /** The live count behind the caps (mutable, thread-safe); the config's only mutable part. */
  UnauthenticatedConnections unauthenticatedConnections() {
    return unauthenticatedConnections;
  }

  /** The application subprotocols, from the handshake authenticator. */
  public List<String> subprotocols() {
    return handshake().map(HandshakeAuthenticator::subprotocols).orElse(List.of());
  }

  /**
   * A Netty protocol config builder with this config's path, {@code checkStartsWith} and application
   * subprotocols, to tune further (frame sizes, timeouts). Never set {@code subprotocols("*")} on it, and leave
   * {@code websocketPath} and {@code checkStartsWith} as they are: a protocol handler that upgrades more than this
   * config covers gets its connections closed, one that upgrades less uses credentials up for requests it then
   * ignores.
   */
  public WebSocketServerProtocolConfig.Builder protocolConfigBuilder() {
    List<String> subprotocols = subprotocols();
    return WebSocketServerProtocolConfig.newBuilder()
        .websocketPath(websocketPath)
        .checkStartsWith(checkStartsWith)
        .subprotocols(subprotocols.isEmpty() ? null : String.join(",", subprotocols));
  }

  /** The Netty protocol config for {@code new WebSocketServerProtocolHandler(config.protocolConfig())}. */
  public WebSocketServerProtocolConfig protocolConfig() {
    return protocolConfigBuilder().build();
  }

  /** Whether {@code mistake} is reported for the first time for this config (then it is marked as reported). */
  boolean firstReport(WiringMistake mistake) {
    int bit = 1 << mistake.ordinal();
    return (reportedMistakes.getAndUpdate(bits -> bits | bit) & bit) == 0;
  }

  @Override
  public String toString() {
    return "WsAuthConfig[websocketPath=" + websocketPath + ", handshake=" + handshake().isPresent()
        + ", firstMessage=" + firstMessage().isPresent() + ", closeOnExpiry=" + closeOnExpiry()
        + ", lifetime=" + lifetime() + ", cookieBridge=" + cookieBridge.map(CookieBridge::toString).orElse("none")
        + ", handshakeTimeout=" + handshakeTimeout
        + ", maxUnauthenticatedConnections=" + maxUnauthenticatedConnections
        + ", maxUnauthenticatedConnectionsPerAddress=" + maxUnauthenticatedConnectionsPerAddress
        + ", closingHandshakeTimeout=" + closingHandshakeTimeout + "]";
  }

  /**
   * Builds a {@link WsAuthConfig}; not thread-safe. The handshake authenticator ({@link
   * #handshake(HandshakeAuthenticator)}) is the one of {@link NettyWsAuth#upgradeHandler}, the first-message
   * authenticator ({@link #firstMessage(FirstMessageAuthenticator)}) the one of {@link
   * NettyWsAuth#firstMessageHandler}; one config may hold both, for a server with both handlers. With {@link
   * #lifetime} the re-authentication is {@link NettyWsAuth#reauthenticate} and the expiry warning an {@link
   * ExpiryWarningEvent}.
   */
  public static final class Builder extends AdapterConfig.BaseBuilder<Builder> {
    private String websocketPath;
    private boolean checkStartsWith = true;
    private TaskScheduler wakeUps;
    private CookieBridge cookieBridge;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private int maxUnauthenticatedConnections = DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS;
    /** 0: not set, the default applies (capped by the total). */
    private int maxUnauthenticatedConnectionsPerAddress;
    private Duration closingHandshakeTimeout = DEFAULT_CLOSING_HANDSHAKE_TIMEOUT;

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /** The WebSocket path (required), as given to Netty's {@code websocketPath}; starts with {@code /}. */
    public Builder websocketPath(String path) {
      this.websocketPath = CharClasses.requirePath(path, "websocket path");
      return this;
    }

    /**
     * Whether {@code /ws?token=...} and {@code /ws/room} are WebSocket requests of {@code /ws} (default true, so
     * query-parameter credentials work). Netty's own default is false, which matches the exact URI only.
     */
    public Builder checkStartsWith(boolean checkStartsWith) {
      this.checkStartsWith = checkStartsWith;
      return this;
    }

    /** Test seam: wakes the timers up instead of the channel's event loop. */
    Builder wakeUps(TaskScheduler wakeUps) {
      this.wakeUps = wakeUps;
      return this;
    }

    /**
     * The cookie bridge that {@link NettyWsAuth#cookieBridgeHandler} serves, the same object a servlet container
     * serves with {@code WsAuthCookieBridgeServlet}: its path, parent origins and cookie settings. If the handshake
     * authenticator reads cookies, {@link #build()} requires it to read this bridge's cookie, under a {@code Path}
     * that covers the WebSocket path.
     */
    public Builder cookieBridge(CookieBridge bridge) {
      this.cookieBridge = Objects.requireNonNull(bridge, "cookie bridge must not be null");
      return this;
    }

    /**
     * How long a new connection may take, from accept, to send an upgrade request that a wsauth handler accepts
     * (upgrade handler), or to complete the WebSocket handshake (first-message handler, whose own deadline then
     * takes over). Enforced by {@link NettyWsAuth#connectionGuard(WsAuthConfig)}: a connection still
     * unauthenticated when it passes is closed without an answer. Default 10 seconds;
     * between 1 millisecond and 5 minutes. Plain HTTP connections through the guard (the cookie bridge) are closed
     * after it too.
     */
    public Builder handshakeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "handshake timeout must not be null");
      if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("handshake timeout must be between 1 millisecond and 5 minutes: "
            + timeout);
      }
      this.handshakeTimeout = timeout;
      return this;
    }

    /**
     * The most connections that {@link NettyWsAuth#connectionGuard(WsAuthConfig)} keeps open while they are
     * unauthenticated: from accept until a wsauth handler binds an identity, the first-message wait included.
     * Shared by every channel guarded with this config; the excess is closed at accept, before a byte of it is
     * read. Authenticated connections never count. Default {@value
     * WsAuthConfig#DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS}; at least 1.
     */
    public Builder maxUnauthenticatedConnections(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("max unauthenticated connections must be at least 1: " + max);
      }
      this.maxUnauthenticatedConnections = max;
      return this;
    }

    /**
     * The most unauthenticated connections from one client network, so that one client cannot take every slot of
     * {@link #maxUnauthenticatedConnections(int)}: one remote IPv4 address, or one IPv6 /64 prefix (a client is
     * often given a whole /64; an IPv4-mapped IPv6 address counts as its IPv4 address). Default {@value
     * WsAuthConfig#DEFAULT_MAX_UNAUTHENTICATED_CONNECTIONS_PER_ADDRESS} (or the total, if lower); at least 1 and at
     * most the total. Behind a reverse proxy every client has the proxy's address: set it to the total.
     */
    public Builder maxUnauthenticatedConnectionsPerAddress(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("max unauthenticated connections per address must be at least 1: "
            + max);
      }
      this.maxUnauthenticatedConnectionsPerAddress = max;
      return this;
    }

    /**
     * How long a connection that wsauth closes waits for the client's answer. When wsauth ends an upgraded
     * connection itself (revocation, expiry, a refused re-authentication, a refused or missing first message), it
     * sends the Close frame, drops whatever the client still sends, and closes the TCP connection when the
     * client's Close frame arrives (RFC 6455 §7.1), or after this timeout if it never does. Closing at once would
     * let the client's in-flight messages meet a closed socket, whose reset fails the client's Close reply (a
     * browser then reports 1006 instead of the close code). Default 2 seconds; between 1 millisecond and 1
     * minute.
     */
    public Builder closingHandshakeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "closing handshake timeout must not be null");
      if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
        throw new IllegalArgumentException("closing handshake timeout must be between 1 millisecond and 1 minute: "
            + timeout);
      }
      this.closingHandshakeTimeout = timeout;
      return this;
    }

    /**
     * Builds the config, failing fast on a missing path or authenticator, and on a cookie bridge whose cookie the
     * handshake authenticator would never see (another cookie name, or a cookie path that does not cover the
     * WebSocket path).
     */
    public WsAuthConfig build() {
      if (websocketPath == null) {
        throw new IllegalStateException("websocketPath must be set");
      }
      if (!hasAuthenticator() && cookieBridge == null) {
        throw new IllegalStateException("set a handshake authenticator, a first-message authenticator or a cookie bridge");
      }
      if (maxUnauthenticatedConnectionsPerAddress > maxUnauthenticatedConnections) {
        throw new IllegalStateException("max unauthenticated connections per address ("
            + maxUnauthenticatedConnectionsPerAddress + ") must not exceed max unauthenticated connections ("
            + maxUnauthenticatedConnections + ")");
      }
      WsAuthConfig config = new WsAuthConfig(this);
      if (cookieBridge != null && config.handshake().isPresent()) {
        requireBridgeCookieRead(cookieBridge, config.handshake().get(), websocketPath);
      }
      return config;
    }

    /**
     * An authenticator that reads cookies must read the bridge's, on the WebSocket path: otherwise every cookie the
     * bridge sets is ignored and each browser upgrade is refused as having no credential. Found by extracting from
     * a request that carries the bridge's cookie only (extractors are pure).
     */
    private static void requireBridgeCookieRead(CookieBridge bridge, HandshakeAuthenticator authenticator,
        String websocketPath) {
      if (!authenticator.extractor().sources().contains(CredentialSource.COOKIE)) {
        return;
      }
      String name = bridge.cookieName();
      Extraction found = authenticator.extractor().extract(UpgradeRequest.builder().requestTarget(websocketPath)
          .header("Cookie", name + "=wiring-check").build());
      if (!(found instanceof Extraction.Present)) {
        throw new IllegalStateException("the cookie bridge sets the cookie \"" + name + "\" but the handshake"
            + " authenticator's cookie extractor does not read it: give CredentialExtractor.cookie and"
            + " CookieBridge.Builder.cookieName the same name");
      }
      String path = bridge.cookiePath();
      // RFC 6265 §5.1.4 path-match.
      boolean covers = websocketPath.equals(path) || (websocketPath.startsWith(path)
          && (path.endsWith("/") || websocketPath.charAt(path.length()) == '/'));
      if (!covers) {
        throw new IllegalStateException("the cookie bridge's cookie path " + path + " does not cover the WebSocket"
            + " path " + websocketPath + ": browsers would not send the cookie with the upgrade request");
      }
    }
  }
}
