package io.github.wsauth.examples.demo;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

import io.github.wsauth.TokenPolicy;

/**
 * How to run the demo: ports, clock, token policy, first-message deadline and pre-handshake timeout. {@link #defaults()} is what {@link
 * DemoMain} runs: the app on 8000 and the servers on 8001 to 8006. Tests use {@link Builder#ephemeralPorts()} so a
 * demo someone is running does not get in their way. Immutable and thread-safe.
 */
public final class DemoConfig {
  /** The app's default port. */
  public static final int DEFAULT_APP_PORT = 8000;

  private final int appPort;
  private final Map<AuthMethod, Integer> ports;
  private final Clock clock;
  private final TokenPolicy tokenPolicy;
  private final Duration firstMessageDeadline;
  private final Duration handshakeTimeout;
  private final Duration longSession;
  private final String host;

  private DemoConfig(Builder b) {
    this.appPort = b.appPort;
    this.ports = Map.copyOf(b.ports);
    this.clock = b.clock;
    this.tokenPolicy = b.tokenPolicy;
    this.firstMessageDeadline = b.firstMessageDeadline;
    this.handshakeTimeout = b.handshakeTimeout;
    this.longSession = b.longSession;
    this.host = b.host;
  }

  /**
   * Ports 8000 to 8006, the system clock, single-use 30-second tokens, a 10-second first-message deadline, a
   * 10-second pre-handshake timeout and a 100-second long session.
   */
  public static DemoConfig defaults() {
    return builder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The app's port; 0 means any free port. */
  public int appPort() {
    return appPort;
  }

  /** The configured port of a method's server; 0 means any free port. */
  public int port(AuthMethod method) {
    return ports.get(method);
  }

  /** The clock of every issuer, verifier and store. */
  public Clock clock() {
    return clock;
  }

  /** How tokens live (the issuers and verifiers share it). */
  public TokenPolicy tokenPolicy() {
    return tokenPolicy;
  }

  /** How long a first-message client has to send its token. */
  public Duration firstMessageDeadline() {
    return firstMessageDeadline;
  }

  /**
   * How long a new connection may stay without a complete upgrade request before the server closes it (issue 13,
   * item 4): the Netty servers' {@code WsAuthConfig.handshakeTimeout}, the Tomcat connectors' {@code
   * connectionTimeout} (which Tomcat also applies to keep-alive waits).
   */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /**
   * How long the page's "long session" row ({@code data-method="refresh"}) stays connected, refreshing its token
   * in-band, before it says goodbye; the page learns it from {@code /config.json} ({@code longSessionSeconds}).
   */
  public Duration longSession() {
    return longSession;
  }

  /**
   * The host name in every URL the demo hands out, {@code localhost}: origins are compared by name, so the page
   * must be opened as {@code http://localhost:8000}. The sockets are bound to the loopback address only.
   */
  public String host() {
    return host;
  }

  /** Builds a {@link DemoConfig}; not thread-safe. */
  public static final class Builder {
    private int appPort = DEFAULT_APP_PORT;
    private final Map<AuthMethod, Integer> ports = new EnumMap<>(AuthMethod.class);
    private Clock clock = Clock.systemUTC();
    private TokenPolicy tokenPolicy = TokenPolicy.defaults();
    private Duration firstMessageDeadline = Duration.ofSeconds(10);
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private Duration longSession = Duration.ofSeconds(100);
    private final String host = "localhost";

    private Builder() {
      for (AuthMethod m : AuthMethod.values()) {
        ports.put(m, m.defaultPort());
      }
    }

    /** The app's port (0: any free port). */
    public Builder appPort(int port) {
      this.appPort = checkPort(port);
      return this;
    }

    /** One server's port (0: any free port). */
    public Builder port(AuthMethod method, int port) {
      ports.put(Objects.requireNonNull(method, "method must not be null"), checkPort(port));
      return this;
    }

    /** The app on {@code base}, the servers on {@code base + 1} to {@code base + 6}. */
    public Builder basePort(int base) {
      if (base < 1 || base > 65535 - AuthMethod.values().length) {
        throw new IllegalArgumentException("base port must be between 1 and " + (65535 - AuthMethod.values().length));
      }
      appPort = base;
      for (AuthMethod m : AuthMethod.values()) {
        ports.put(m, base + m.ordinal() + 1);
      }
      return this;
    }

    /** Every socket on a free port chosen by the system: for tests. */
    public Builder ephemeralPorts() {
      appPort = 0;
      for (AuthMethod m : AuthMethod.values()) {
        ports.put(m, 0);
      }
      return this;
    }

    /** The clock (tests inject a {@code MutableClock}). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** The token policy; default single-use, 30 seconds. */
    public Builder tokenPolicy(TokenPolicy policy) {
      this.tokenPolicy = Objects.requireNonNull(policy, "token policy must not be null");
      return this;
    }

    /** The first-message deadline; default 10 seconds, at most 5 minutes. */
    public Builder firstMessageDeadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline must not be null");
      if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("first-message deadline must be positive and at most 5 minutes");
      }
      this.firstMessageDeadline = deadline;
      return this;
    }

    /**
     * The pre-handshake timeout of every server; default 10 seconds, at least 1 millisecond and at most 5 minutes
     * (the bounds of {@code WsAuthConfig.handshakeTimeout}).
     */
    public Builder handshakeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "handshake timeout must not be null");
      if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("handshake timeout must be between 1 millisecond and 5 minutes");
      }
      this.handshakeTimeout = timeout;
      return this;
    }

    /**
     * How long the page's long session lasts; default 100 seconds (with 30-second tokens: three in-band
     * refreshes); whole seconds, 1 second to 1 hour. Tests shorten it together with the token lifetime.
     */
    public Builder longSession(Duration duration) {
      Objects.requireNonNull(duration, "duration must not be null");
      if (duration.compareTo(Duration.ofSeconds(1)) < 0 || duration.compareTo(Duration.ofHours(1)) > 0
          || duration.getNano() != 0) {
        throw new IllegalArgumentException("long session must be whole seconds between 1 second and 1 hour");
      }
      this.longSession = duration;
      return this;
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535");
      }
      return port;
    }

    /** Builds the configuration. */
    public DemoConfig build() {
      return new DemoConfig(this);
    }
  }
}
