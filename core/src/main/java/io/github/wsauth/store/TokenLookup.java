package io.github.wsauth.store;

import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link TokenStore} found for a hash. Only {@link Status#VALID} carries the entry: an expired, used up
 * or revoked entry is never handed out. Built only by the static factories, so the entry is there exactly when the
 * status is {@code VALID}; it holds no {@code Optional} field and no null, and {@link #token()} returns an
 * {@code Optional} (issue 14: no {@code Optional} inside records). Immutable and thread-safe.
 */
public final class TokenLookup {

  private static final TokenLookup NOT_FOUND = new TokenLookup(Status.NOT_FOUND, null);
  private static final TokenLookup EXPIRED = new TokenLookup(Status.EXPIRED, null);
  private static final TokenLookup ALREADY_USED = new TokenLookup(Status.ALREADY_USED, null);
  private static final TokenLookup REVOKED = new TokenLookup(Status.REVOKED, null);

  private final Status status;
  /** Non-null exactly when {@link #status} is VALID; the factories guarantee it. */
  private final StoredToken entry;

  private TokenLookup(Status status, StoredToken entry) {
    this.status = status;
    this.entry = entry;
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
    return new TokenLookup(Status.VALID, Objects.requireNonNull(token, "token must not be null"));
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

  /** What the store found. */
  public Status status() {
    return status;
  }

  /** The entry, present exactly when the status is {@link Status#VALID}. */
  public Optional<StoredToken> token() {
    return Optional.ofNullable(entry);
  }

  /** Whether the lookup is {@link Status#VALID}. */
  public boolean isValid() {
    return status == Status.VALID;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenLookup l && l.status == status && Objects.equals(l.entry, entry);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, entry);
  }

  /** The status, and the entry's {@code toString()} (a hash prefix, never a token) when there is one. */
  @Override
  public String toString() {
    return "TokenLookup[status=" + status + (entry == null ? "" : ", token=" + entry) + "]";
  }
}
