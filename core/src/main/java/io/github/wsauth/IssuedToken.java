package io.github.wsauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A freshly issued token, to hand to the client once.
 *
 * @param value the token; a secret: hand it to the client, never log it
 * @param subject whom it was issued to
 * @param expiresAt when it expires (verifiers accept it up to the policy's clock skew later)
 * @param singleUse whether its first successful verification uses it up
 */
public record IssuedToken(String value, String subject, Instant expiresAt, boolean singleUse) {

  /** Validates. */
  public IssuedToken {
    Objects.requireNonNull(value, "value must not be null");
    Objects.requireNonNull(subject, "subject must not be null");
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
  }

  /** Whole seconds until expiry by {@code clock}, never negative: e.g. {@code expires_in} in a JSON answer. */
  public long expiresInSeconds(Clock clock) {
    long s = Duration.between(clock.instant(), expiresAt).getSeconds();
    return Math.max(0, s);
  }

  /** Never shows the token. */
  @Override
  public String toString() {
    return "IssuedToken[subject=" + subject + ", expiresAt=" + expiresAt + ", singleUse=" + singleUse
        + ", value=<redacted>]";
  }
}
