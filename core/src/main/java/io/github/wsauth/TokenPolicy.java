package io.github.wsauth;

import java.time.Duration;
import java.util.Objects;

/**
 * How tokens live: single-use or reusable until expiry, how long, and how much clock skew between machines is
 * tolerated.
 *
 * <p>Security defaults ({@link #defaults()}): single-use, 30 seconds, 5 seconds of skew. A token is accepted
 * until its expiry plus the skew and never after.
 *
 * <pre>{@code
 * TokenPolicy policy = TokenPolicy.builder().reusable().lifetime(Duration.ofMinutes(5)).build();
 * }</pre>
 *
 * @param singleUse whether a token is used up by its first successful verification
 * @param lifetime how long an issued token lives; positive; for JWTs also the maximum {@code exp - iat} accepted
 * @param clockSkew how far clocks may disagree; between 0 and 5 minutes
 */
public record TokenPolicy(boolean singleUse, Duration lifetime, Duration clockSkew) {

  private static final Duration MAX_SKEW = Duration.ofMinutes(5);
  private static final TokenPolicy DEFAULTS = new TokenPolicy(true, Duration.ofSeconds(30), Duration.ofSeconds(5));

  /** Validates. */
  public TokenPolicy {
    Objects.requireNonNull(lifetime, "lifetime must not be null");
    Objects.requireNonNull(clockSkew, "clock skew must not be null");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new IllegalArgumentException("lifetime must be positive");
    }
    if (clockSkew.isNegative()) {
      throw new IllegalArgumentException("clock skew must not be negative");
    }
    if (clockSkew.compareTo(MAX_SKEW) > 0) {
      throw new IllegalArgumentException("clock skew must not exceed " + MAX_SKEW);
    }
  }

  /** Single-use, 30 seconds, 5 seconds of skew. */
  public static TokenPolicy defaults() {
    return DEFAULTS;
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.singleUse = singleUse;
    b.lifetime = lifetime;
    b.clockSkew = clockSkew;
    return b;
  }

  /** Builds a {@link TokenPolicy}; not thread-safe. */
  public static final class Builder {
    private boolean singleUse = DEFAULTS.singleUse;
    private Duration lifetime = DEFAULTS.lifetime;
    private Duration clockSkew = DEFAULTS.clockSkew;

    private Builder() {}

    /** Tokens are used up by their first successful verification (the default). */
    public Builder singleUse() {
      this.singleUse = true;
      return this;
    }

    /** Tokens may be verified any number of times until they expire. */
    public Builder reusable() {
      this.singleUse = false;
      return this;
    }

    /** How long an issued token lives. */
    public Builder lifetime(Duration lifetime) {
      this.lifetime = lifetime;
      return this;
    }

    /** How far clocks may disagree. */
    public Builder clockSkew(Duration clockSkew) {
      this.clockSkew = clockSkew;
      return this;
    }

    /** Builds the policy, failing fast on invalid values. */
    public TokenPolicy build() {
      return new TokenPolicy(singleUse, lifetime, clockSkew);
    }
  }
}
