package io.github.wsauth;

import java.time.Clock;
import java.util.Objects;

import io.github.wsauth.internal.ExpiryTimer;

/**
 * What every adapter's configuration has in common, defined once: whether an authenticated connection is closed when
 * its {@link Identity} expires, with which close code, and the clock that decides. The Jakarta adapter's {@code
 * JakartaAuthConfig} and the Netty adapter's {@code WsAuthConfig} extend it, so both check and default these settings
 * the same way.
 *
 * <p>Security default: connections are not closed on expiry (a credential is checked when the connection opens);
 * with {@link BaseBuilder#closeOnExpiry(boolean) closeOnExpiry(true)} they are closed with 1008 "authentication
 * expired" once the clock passes {@link Identity#expiresAt()}. Made for extension by wsauth's adapters only;
 * immutable and thread-safe.
 */
public abstract class AdapterConfig {
  private final boolean closeOnExpiry;
  private final int expiryCloseCode;
  private final Clock clock;

  /**
   * Copies the shared settings from an adapter's builder.
   *
   * @param builder the adapter's builder
   */
  protected AdapterConfig(BaseBuilder<?> builder) {
    this.closeOnExpiry = builder.closeOnExpiry;
    this.expiryCloseCode = builder.expiryCloseCode;
    this.clock = builder.clock;
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
  }
}
