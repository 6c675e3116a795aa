package io.github.wsauth.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a {@link TokenStore}: the hash of a token (never the token), whom it was issued to, and until when
 * the store must honour it.
 *
 * @param hash the SHA-256 of the token
 * @param subject the subject the token was issued to
 * @param attributes user attributes issued with the token; copied, never null
 * @param expiresAt the instant after which the store treats the entry as expired: never returned as valid,
 *     and free to purge. Issuers set it to the token's expiry plus the policy's clock skew
 * @param singleUse whether {@link TokenStore#consume} uses the entry up (true) or leaves it valid (false)
 */
public record StoredToken(
    TokenHash hash, String subject, Map<String, String> attributes, Instant expiresAt, boolean singleUse) {

  /** Validates and copies. */
  public StoredToken {
    Objects.requireNonNull(hash, "hash must not be null");
    Objects.requireNonNull(subject, "subject must not be null");
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    attributes = Map.copyOf(attributes);
  }

  /** Whether the entry is expired at {@code now}: strictly after {@link #expiresAt()}. */
  public boolean isExpiredAt(Instant now) {
    return now.isAfter(expiresAt);
  }
}
