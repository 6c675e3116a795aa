package io.github.wsauth.store;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link TokenStore} found for a hash. Only {@link Status#VALID} carries the entry: an expired, used up
 * or revoked entry is never handed out.
 *
 * @param status what the store found
 * @param token the entry, present exactly when the status is {@link Status#VALID}
 */
public record TokenLookup(Status status, Optional<StoredToken> token) {

  private static final TokenLookup NOT_FOUND = new TokenLookup(Status.NOT_FOUND, Optional.empty());
  private static final TokenLookup EXPIRED = new TokenLookup(Status.EXPIRED, Optional.empty());
  private static final TokenLookup ALREADY_USED = new TokenLookup(Status.ALREADY_USED, Optional.empty());
  private static final TokenLookup REVOKED = new TokenLookup(Status.REVOKED, Optional.empty());

  /** Validates that only a valid lookup carries an entry. */
  public TokenLookup {
    Objects.requireNonNull(status, "status must not be null");
    Objects.requireNonNull(token, "token must not be null");
    if ((status == Status.VALID) != token.isPresent()) {
      throw new IllegalArgumentException("a lookup carries an entry exactly when it is VALID");
    }
  }

  /** What a store can find for a hash. */
  public enum Status {
    /** A live entry; for {@link TokenStore#consume} on a single-use entry, this caller won it. */
    VALID,
    /** No entry: never issued, or purged. */
    NOT_FOUND,
    /** The entry exists but is past {@link StoredToken#expiresAt()}. */
    EXPIRED,
    /** A single-use entry that was already consumed. */
    ALREADY_USED,
    /** The entry was revoked. */
    REVOKED
  }

  /** A live entry. */
  public static TokenLookup valid(StoredToken token) {
    return new TokenLookup(Status.VALID, Optional.of(token));
  }

  /** No entry. */
  public static TokenLookup notFound() {
    return NOT_FOUND;
  }

  /** An expired entry. */
  public static TokenLookup expired() {
    return EXPIRED;
  }

  /** A single-use entry already consumed. */
  public static TokenLookup alreadyUsed() {
    return ALREADY_USED;
  }

  /** A revoked entry. */
  public static TokenLookup revoked() {
    return REVOKED;
  }

  /** Whether the lookup is {@link Status#VALID}. */
  public boolean isValid() {
    return status == Status.VALID;
  }
}
