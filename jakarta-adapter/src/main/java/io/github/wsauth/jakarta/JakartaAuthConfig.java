package io.github.wsauth.jakarta;

import java.time.Clock;
import java.util.Objects;

import io.github.wsauth.AdapterConfig;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TaskScheduler;

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
 * <p>Exactly one of {@link Builder#handshake} and {@link Builder#firstMessage} (first-message authentication only
 * through {@link WsAuthEndpoint}) decides how a connection is authenticated; these, the {@link #lifetime()} and the
 * expiry settings are core's {@link AdapterConfig}, shared with the Netty adapter. Defaults: no close on expiry,
 * {@link Clock#systemUTC()}, {@link TaskScheduler#shared()}, the origin policy of the handshake authenticator (for
 * first-message authentication: {@link OriginPolicy#anyOrigin()} unless set, since no ambient credential is
 * involved). Immutable and thread-safe.
 */
public final class JakartaAuthConfig extends AdapterConfig {
  private final OriginPolicy originPolicy;
  private final TaskScheduler scheduler;
  private final ExpiryWarningListener expiryWarningListener;

  private JakartaAuthConfig(Builder b) {
    super(b);
    if (b.originPolicy != null && handshake().isPresent()) {
      throw new IllegalStateException("the handshake authenticator's origin policy applies; do not set another");
    }
    this.originPolicy = b.originPolicy != null ? b.originPolicy
        : handshake().map(HandshakeAuthenticator::originPolicy).orElse(OriginPolicy.anyOrigin());
    this.scheduler = b.scheduler;
    this.expiryWarningListener = b.expiryWarningListener;
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The origin policy applied in {@code checkOrigin}. */
  public OriginPolicy originPolicy() {
    return originPolicy;
  }

  /** The scheduler of deadlines and expiry closes. */
  public TaskScheduler scheduler() {
    return scheduler;
  }

  /**
   * Who is told before a session's identity expires; called only with {@link
   * io.github.wsauth.lifetime.ConnectionLifetime#expiryWarning()}.
   */
  public ExpiryWarningListener expiryWarningListener() {
    return expiryWarningListener;
  }

  @Override
  public String toString() {
    return "JakartaAuthConfig[" + (handshake().isPresent() ? handshake().get() : firstMessage().get()) + ", "
        + originPolicy + ", closeOnExpiry=" + closeOnExpiry() + ", " + lifetime() + "]";
  }

  /** Builds a {@link JakartaAuthConfig}; not thread-safe. */
  public static final class Builder extends AdapterConfig.BaseBuilder<Builder> {
    private OriginPolicy originPolicy;
    private TaskScheduler scheduler = TaskScheduler.shared();
    private ExpiryWarningListener expiryWarningListener = ExpiryWarningListener.NONE;

    private Builder() {}

    /**
     * Who is told {@link io.github.wsauth.lifetime.ConnectionLifetime#expiryWarning() the configured time} before
     * a session expires.
     */
    public Builder expiryWarningListener(ExpiryWarningListener listener) {
      this.expiryWarningListener = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    @Override
    protected Builder self() {
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

    /** The scheduler of deadlines and expiry closes; default {@link TaskScheduler#shared()}. */
    public Builder scheduler(TaskScheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
      return this;
    }

    /**
     * Builds the configuration, failing fast on a contradictory one: no authenticator or both ({@link
     * #requireOneAuthenticator()}), or an origin policy next to a handshake authenticator.
     */
    public JakartaAuthConfig build() {
      requireOneAuthenticator();
      return new JakartaAuthConfig(this);
    }
  }
}
