package io.github.wsauth.jakarta;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.AdapterConfig;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.internal.CharClasses;
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
public final class JakartaAuthConfig extends AdapterConfig {
  private final HandshakeAuthenticator handshake;
  private final FirstMessageAuthenticator firstMessage;
  private final OriginPolicy originPolicy;
  private final String subprotocolPrefix;
  private final TaskScheduler scheduler;
  private final ConnectionLifetime lifetime;
  private final ExpiryWarningListener expiryWarningListener;

  private JakartaAuthConfig(Builder b) {
    super(b);
    this.handshake = b.handshake;
    this.firstMessage = b.firstMessage;
    this.originPolicy = b.originPolicy != null ? b.originPolicy
        : handshake != null ? handshake.originPolicy() : OriginPolicy.anyOrigin();
    this.subprotocolPrefix = b.subprotocolPrefix;
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

  /** The handshake authenticator, or an exception for a first-message configuration. */
  HandshakeAuthenticator requireHandshake() {
    if (handshake == null) {
      throw new IllegalStateException("this configuration has no handshake authenticator");
    }
    return handshake;
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

  @Override
  public String toString() {
    return "JakartaAuthConfig[" + (handshake != null ? handshake : firstMessage) + ", " + originPolicy
        + ", closeOnExpiry=" + closeOnExpiry() + ", " + lifetime + "]";
  }

  /** Builds a {@link JakartaAuthConfig}; not thread-safe. */
  public static final class Builder extends AdapterConfig.BaseBuilder<Builder> {
    private HandshakeAuthenticator handshake;
    private FirstMessageAuthenticator firstMessage;
    private OriginPolicy originPolicy;
    private String subprotocolPrefix = CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX;
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

    @Override
    protected Builder self() {
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

    /** The scheduler of deadlines and expiry closes; default {@link TaskScheduler#shared()}. */
    public Builder scheduler(TaskScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
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
