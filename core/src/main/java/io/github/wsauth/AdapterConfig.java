package io.github.wsauth;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.internal.ExpiryTimer;
import io.github.wsauth.lifetime.ConnectionLifetime;

/**
 * What every adapter's configuration has in common, defined once: how a connection is authenticated (a {@link
 * HandshakeAuthenticator} during the upgrade or a {@link FirstMessageAuthenticator} with the first message), what
 * happens to it afterwards (its {@link ConnectionLifetime}), whether an authenticated connection is closed when its
 * {@link Identity} expires, with which close code, and the clock that decides. The Jakarta adapter's {@code
 * JakartaAuthConfig} and the Netty adapter's {@code WsAuthConfig} extend it, so both name, check and default these
 * settings the same way.
 *
 * <p>Security defaults: no authenticator (an adapter refuses to build without one, see {@link
 * BaseBuilder#requireOneAuthenticator()}); no lifetime beyond the expiry close; connections are not closed on expiry
 * (a credential is checked when the connection opens); with {@link BaseBuilder#closeOnExpiry(boolean)
 * closeOnExpiry(true)} they are closed with 1008 "authentication expired" once the clock passes {@link
 * Identity#expiresAt()}. Made for extension by wsauth's adapters only; immutable and thread-safe.
 */
public abstract class AdapterConfig {
  private final Optional<HandshakeAuthenticator> handshake;
  private final Optional<FirstMessageAuthenticator> firstMessage;
  private final ConnectionLifetime lifetime;
  private final boolean closeOnExpiry;
  private final int expiryCloseCode;
  private final Clock clock;

  /**
   * Copies the shared settings from an adapter's builder.
   *
   * @param builder the adapter's builder
   */
  protected AdapterConfig(BaseBuilder<?> builder) {
    this.handshake = Optional.ofNullable(builder.handshake);
    this.firstMessage = Optional.ofNullable(builder.firstMessage);
    this.lifetime = builder.lifetime;
    this.closeOnExpiry = builder.closeOnExpiry;
    this.expiryCloseCode = builder.expiryCloseCode;
    this.clock = builder.clock;
  }

  /**
   * The authenticator of the HTTP upgrade, when connections authenticate during the handshake.
   *
   * @return the handshake authenticator, or empty
   */
  public final Optional<HandshakeAuthenticator> handshake() {
    return handshake;
  }

  /**
   * The handshake authenticator, for the parts of an adapter that only work with one (a handshake configurator, a
   * servlet filter).
   *
   * @return the handshake authenticator
   * @throws IllegalStateException for a configuration without one ("this configuration has no handshake
   *     authenticator")
   */
  public final HandshakeAuthenticator requireHandshake() {
    return handshake.orElseThrow(() -> new IllegalStateException("this configuration has no handshake authenticator"));
  }

  /**
   * The authenticator of the first WebSocket message, when connections authenticate with their first message.
   *
   * @return the first-message authenticator, or empty
   */
  public final Optional<FirstMessageAuthenticator> firstMessage() {
    return firstMessage;
  }

  /**
   * What happens to authenticated connections: registration for {@link io.github.wsauth.lifetime.Revoker
   * revocation}, in-band re-authentication, the expiry warning; by default none of these, beyond {@link
   * #closeOnExpiry()}.
   *
   * @return the connection lifetime
   */
  public final ConnectionLifetime lifetime() {
    return lifetime;
  }

  /**
   * Whether an authenticated connection is closed with {@link #expiryCloseCode()} "authentication expired" when its
   * identity expires.
   *
   * @return {@code true} if expired connections are closed
   */
  public final boolean closeOnExpiry() {
    return closeOnExpiry;
  }

  /**
   * The close code sent when an identity expires.
   *
   * @return 1008 (policy violation) unless configured
   */
  public final int expiryCloseCode() {
    return expiryCloseCode;
  }

  /**
   * The clock that decides when an identity has expired.
   *
   * @return the configured clock, {@link Clock#systemUTC()} by default
   */
  public final Clock clock() {
    return clock;
  }

  /**
   * The setters every adapter's builder shares; not thread-safe.
   *
   * @param <B> the adapter's builder
   */
  public abstract static class BaseBuilder<B extends BaseBuilder<B>> {
    private HandshakeAuthenticator handshake;
    private FirstMessageAuthenticator firstMessage;
    private ConnectionLifetime lifetime = ConnectionLifetime.builder().build();
    private boolean closeOnExpiry;
    private int expiryCloseCode = ExpiryTimer.DEFAULT_CLOSE_CODE;
    private Clock clock = Clock.systemUTC();

    /** For the adapters' builders. */
    protected BaseBuilder() {}

    /**
     * The adapter's builder itself, which each setter returns.
     *
     * @return {@code this}
     */
    protected abstract B self();

    /**
     * Authenticates connections during the HTTP upgrade with this authenticator.
     *
     * @param handshake the handshake authenticator
     * @return this builder
     */
    public B handshake(HandshakeAuthenticator handshake) {
      this.handshake = Objects.requireNonNull(handshake, "handshake authenticator must not be null");
      return self();
    }

    /**
     * Authenticates connections with their first WebSocket message, by this authenticator.
     *
     * @param firstMessage the first-message authenticator
     * @return this builder
     */
    public B firstMessage(FirstMessageAuthenticator firstMessage) {
      this.firstMessage = Objects.requireNonNull(firstMessage, "first-message authenticator must not be null");
      return self();
    }

    /**
     * What happens to authenticated connections: registration for {@link io.github.wsauth.lifetime.Revoker
     * revocation}, in-band re-authentication (the adapter's {@code reauthenticate}, and the {@code {"token": "…"}}
     * message on a first-message connection using the JSON format), the expiry warning. Default: none of these.
     *
     * @param lifetime the connection lifetime
     * @return this builder
     */
    public B lifetime(ConnectionLifetime lifetime) {
      this.lifetime = Objects.requireNonNull(lifetime, "lifetime must not be null");
      return self();
    }

    /**
     * Closes an authenticated connection with {@link #expiryCloseCode(int)} "authentication expired" when its
     * identity expires; default off.
     *
     * @param closeOnExpiry whether to close expired connections
     * @return this builder
     */
    public B closeOnExpiry(boolean closeOnExpiry) {
      this.closeOnExpiry = closeOnExpiry;
      return self();
    }

    /**
     * The close code for an expired identity (default 1008, policy violation).
     *
     * @param code 1000, 1001, 1008, or an application code 3000-4999 (RFC 6455 §7.4.2)
     * @return this builder
     * @throws IllegalArgumentException for any other code
     */
    public B expiryCloseCode(int code) {
      this.expiryCloseCode = ExpiryTimer.checkCloseCode(code);
      return self();
    }

    /**
     * The clock that decides expiry (default {@link Clock#systemUTC()}); use the clock of the token verifier.
     *
     * @param clock the clock
     * @return this builder
     */
    public B clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return self();
    }

    /**
     * The build-time check of an adapter whose configuration authenticates one way: exactly one of {@link
     * #handshake(HandshakeAuthenticator)} and {@link #firstMessage(FirstMessageAuthenticator)} is set.
     *
     * @throws IllegalStateException naming the mistake: "set a handshake or a first-message authenticator" when
     *     neither is set, "set either a handshake or a first-message authenticator, not both (use two
     *     configurations)" when both are
     */
    protected final void requireOneAuthenticator() {
      if (handshake == null && firstMessage == null) {
        throw new IllegalStateException("set a handshake or a first-message authenticator");
      }
      if (handshake != null && firstMessage != null) {
        throw new IllegalStateException(
            "set either a handshake or a first-message authenticator, not both (use two configurations)");
      }
    }

    /**
     * Whether a handshake or a first-message authenticator is set, for an adapter's own build-time check.
     *
     * @return {@code true} if at least one authenticator is set
     */
    protected final boolean hasAuthenticator() {
      return handshake != null || firstMessage != null;
    }
  }
}
