package io.github.wsauth.jakarta;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.internal.CharClasses;
import io.github.wsauth.internal.ExpiryTimer;
import io.github.wsauth.lifetime.ConnectionLifetime;

/**
 * The one immutable configuration of the Jakarta adapter, shared by {@link WsAuthConfigurator}, {@link
 * WsAuthFilter} and {@link WsAuthEndpoint}.
 *
 * <pre>{@code
 * JakartaAuthConfig config = JakartaAuthConfig.builder()
 *     .handshake(HandshakeAuthenticator.builder()
 *         .extractor(CredentialExtractor.bearerHeader())
 *         .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
 *         .originPolicy(OriginPolicy.allowOnly("https://app.example"))
 *         .build())
 *     .closeOnExpiry(true)
 *     .build();
 * }</pre>
 *
 * <p>Exactly one of {@link Builder#handshake} and {@link Builder#firstMessage} decides how a connection is
 * authenticated. Defaults: no close on expiry, {@link Clock#systemUTC()}, {@link TaskScheduler#shared()}, the
 * origin policy of the handshake authenticator (for first-message authentication: {@link OriginPolicy#anyOrigin()}
 * unless set, since no ambient credential is involved). Immutable and thread-safe.
 */
public final class JakartaAuthConfig {
  private final HandshakeAuthenticator handshake;
  private final FirstMessageAuthenticator firstMessage;
  private final OriginPolicy originPolicy;
  private final String subprotocolPrefix;
  private final boolean closeOnExpiry;
  private final int expiryCloseCode;
  private final Clock clock;
  private final TaskScheduler scheduler;
  private final ConnectionLifetime lifetime;
  private final ExpiryWarningListener expiryWarningListener;

  private JakartaAuthConfig(Builder b) {
    this.handshake = b.handshake;
    this.firstMessage = b.firstMessage;
    this.originPolicy = b.originPolicy != null ? b.originPolicy
        : handshake != null ? handshake.originPolicy() : OriginPolicy.anyOrigin();
    this.subprotocolPrefix = b.subprotocolPrefix;
    this.closeOnExpiry = b.closeOnExpiry;
    this.expiryCloseCode = b.expiryCloseCode;
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.lifetime = b.lifetime;
    this.expiryWarningListener = b.expiryWarningListener;
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The handshake authenticator, when connections authenticate during the upgrade. */
  public Optional<HandshakeAuthenticator> handshake() {
    return Optional.ofNullable(handshake);
  }

  /** The first-message authenticator, when connections authenticate with their first message. */
  public Optional<FirstMessageAuthenticator> firstMessage() {
    return Optional.ofNullable(firstMessage);
  }

  /** The origin policy applied in {@code checkOrigin}. */
  public OriginPolicy originPolicy() {
    return originPolicy;
  }

  /** The prefix of a token entry in {@code Sec-WebSocket-Protocol}; such an entry is never selected. */
  public String subprotocolPrefix() {
    return subprotocolPrefix;
  }

  /** Whether a session is closed with {@link #expiryCloseCode()} "authentication expired" when it expires. */
  public boolean closeOnExpiry() {
    return closeOnExpiry;
  }

  /** The clock that decides expiry. */
  public Clock clock() {
    return clock;
  }

  /** The scheduler of deadlines and expiry closes. */
  public TaskScheduler scheduler() {
    return scheduler;
  }

  /**
   * What happens to sessions of a {@link WsAuthEndpoint} after authentication: registration for {@link
   * io.github.wsauth.lifetime.Revoker revocation}, in-band re-authentication, the expiry warning. Default: none.
   */
  public ConnectionLifetime lifetime() {
    return lifetime;
  }

  /** Who is told before a session's identity expires; called only with {@link ConnectionLifetime#expiryWarning()}. */
  public ExpiryWarningListener expiryWarningListener() {
    return expiryWarningListener;
  }

  /** The close code of an expired session (default 1008, policy violation). */
  public int expiryCloseCode() {
    return expiryCloseCode;
  }

  HandshakeAuthenticator requireHandshake() {
    if (handshake == null) {
      throw new IllegalStateException("this configuration has no handshake authenticator");
    }
    return handshake;
  }

  @Override
  public String toString() {
    return "JakartaAuthConfig[" + (handshake != null ? handshake : firstMessage) + ", " + originPolicy
        + ", closeOnExpiry=" + closeOnExpiry + ", " + lifetime + "]";
  }

  /** Builds a {@link JakartaAuthConfig}; not thread-safe. */
  public static final class Builder {
    private HandshakeAuthenticator handshake;
    private FirstMessageAuthenticator firstMessage;
    private OriginPolicy originPolicy;
    private String subprotocolPrefix = CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX;
    private boolean closeOnExpiry;
    private int expiryCloseCode = ExpiryTimer.DEFAULT_CLOSE_CODE;
    private Clock clock = Clock.systemUTC();
    private TaskScheduler scheduler = TaskScheduler.shared();
    private ConnectionLifetime lifetime = ConnectionLifetime.builder().build();
    private ExpiryWarningListener expiryWarningListener = ExpiryWarningListener.NONE;

    private Builder() {}

    /**
     * What happens to sessions of a {@link WsAuthEndpoint} after authentication: registration, in-band
     * re-authentication ({@link JakartaWsAuth#reauthenticate}, and the {@code {"token": "…"}} message on a
     * first-message endpoint using the JSON format), the expiry warning. Default: none of these.
     */
    public Builder lifetime(ConnectionLifetime lifetime) {
      this.lifetime = Objects.requireNonNull(lifetime, "lifetime must not be null");
      return this;
    }

    /** Who is told {@link ConnectionLifetime#expiryWarning() the configured time} before a session expires. */
    public Builder expiryWarningListener(ExpiryWarningListener listener) {
      this.expiryWarningListener = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    /** Authenticate during the HTTP upgrade with this authenticator. */
    public Builder handshake(HandshakeAuthenticator handshake) {
      this.handshake = Objects.requireNonNull(handshake, "handshake authenticator must not be null");
      return this;
    }

    /** Authenticate with the first WebSocket message (only through {@link WsAuthEndpoint}). */
    public Builder firstMessage(FirstMessageAuthenticator firstMessage) {
      this.firstMessage = Objects.requireNonNull(firstMessage, "first-message authenticator must not be null");
      return this;
    }

    /**
     * The origin policy for first-message authentication. With a handshake authenticator its own policy applies
     * and setting another one is an error.
     */
    public Builder originPolicy(OriginPolicy originPolicy) {
      this.originPolicy = Objects.requireNonNull(originPolicy, "originPolicy must not be null");
      return this;
    }

    /** The token prefix in {@code Sec-WebSocket-Protocol}; default {@code authorization.bearer.}. */
    public Builder subprotocolPrefix(String prefix) {
      this.subprotocolPrefix = CharClasses.requireHttpToken(prefix, "subprotocol prefix");
      return this;
    }

    /** Closes a session with {@link #expiryCloseCode(int)} "authentication expired" when it expires; default off. */
    public Builder closeOnExpiry(boolean closeOnExpiry) {
      this.closeOnExpiry = closeOnExpiry;
      return this;
    }

    /** The clock that decides expiry; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** The scheduler of deadlines and expiry closes; default {@link TaskScheduler#shared()}. */
    public Builder scheduler(TaskScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
      return this;
    }

    /** The close code for an expired identity (default 1008, policy violation): 1000, 1001, 1008 or 3000-4999. */
    public Builder expiryCloseCode(int code) {
      this.expiryCloseCode = ExpiryTimer.checkCloseCode(code);
      return this;
    }

    /** Builds the configuration, failing fast on a contradictory one. */
    public JakartaAuthConfig build() {
      if (handshake == null && firstMessage == null) {
        throw new IllegalStateException("set a handshake or a first-message authenticator");
      }
      if (handshake != null && firstMessage != null) {
        throw new IllegalStateException(
            "set either a handshake or a first-message authenticator, not both (use two configurations)");
      }
      if (handshake != null && originPolicy != null) {
        throw new IllegalStateException("the handshake authenticator's origin policy applies; do not set another");
      }
      return new JakartaAuthConfig(this);
    }
  }
}
