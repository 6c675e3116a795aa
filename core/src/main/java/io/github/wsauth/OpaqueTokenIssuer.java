package io.github.wsauth;

import io.github.wsauth.internal.Subjects;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/** {@link TokenIssuer#opaque}: 256 random bits, base64url without padding; the store keeps only the SHA-256. */
final class OpaqueTokenIssuer implements TokenIssuer {
  static final int TOKEN_BYTES = 32;
  static final int TOKEN_LENGTH = 43;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final SecureRandom random = new SecureRandom();
  private final TokenStore store;
  private final TokenPolicy policy;
  private final Clock clock;

  OpaqueTokenIssuer(TokenStore store, TokenPolicy policy, Clock clock) {
    this.store = Objects.requireNonNull(store, "store must not be null");
    this.policy = Objects.requireNonNull(policy, "policy must not be null");
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
  }

  @Override
  public IssuedToken issue(String subject, Map<String, String> attributes) {
    Subjects.validate(subject, attributes);
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    String value = ENCODER.encodeToString(bytes);
    Instant expiresAt = clock.instant().plus(policy.lifetime());
    StoredToken entry = new StoredToken(
        TokenHash.of(value), subject, attributes, expiresAt.plus(policy.clockSkew()), policy.singleUse());
    if (!store.saveIfAbsent(entry)) {
      // 2^-256: a collision means the random source is broken; refuse to hand out a shared token.
      throw new IllegalStateException("token collision: the random number generator is not working");
    }
    return new IssuedToken(value, subject, expiresAt, policy.singleUse());
  }

  @Override
  public String toString() {
    return "OpaqueTokenIssuer[" + policy + "]";
  }
}
