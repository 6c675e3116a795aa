package io.github.wsauth.store;

import java.time.Clock;

/**
 * The SPI for server-side token state: opaque tokens, and the ids of single-use JWTs.
 *
 * <h2>Contract</h2>
 * Every implementation must keep this contract; run the {@code wsauth-testkit} contract test against yours.
 * <ul>
 *   <li>It keeps only {@link TokenHash hashes}, never tokens.</li>
 *   <li>{@link #saveIfAbsent} adds an entry unless a live (unexpired) entry with the same hash exists; an
 *       expired entry is replaced.</li>
 *   <li>{@link #consume} is atomic: for a single-use entry, exactly one of any number of concurrent callers
 *       (threads, processes, nodes) gets {@link TokenLookup.Status#VALID}; the others get {@code
 *       ALREADY_USED}, or {@code NOT_FOUND} from a store that deletes entries as it consumes them (it must say so
 *       in its documentation). A reusable entry is returned unchanged.</li>
 *   <li>An entry past its {@link StoredToken#expiresAt()}, by the store's clock, is never returned as valid.</li>
 *   <li>{@link #revoke} and {@link #revokeAll} make entries {@code REVOKED} (or {@code NOT_FOUND}) for good.</li>
 *   <li>{@link #purgeExpired} removes expired entries so memory or table size stays bounded.</li>
 *   <li>Any infrastructure failure throws {@link TokenStoreUnavailableException} and changes nothing: a
 *       failed {@code consume} must not use the token up.</li>
 *   <li>Exception messages name the operation and the failure (e.g. an SQLState), never a token, a hash or a
 *       credential: wsauth logs them so operators can see why handshakes get 503.</li>
 * </ul>
 * Implementations must be thread-safe.
 */
public interface TokenStore {

  /** The default maximum of outstanding tokens of {@link #inMemory(Clock)}. */
  int DEFAULT_MAX_TOKENS = 1_000_000;

  /**
   * Adds the entry unless a live entry with the same hash exists.
   *
   * @return true if added, false if a live entry with this hash already exists (nothing changed)
   * @throws TokenStoreFullException if the store is at its maximum size
   * @throws TokenStoreUnavailableException if the store failed
   */
  boolean saveIfAbsent(StoredToken token);

  /** Looks an entry up without changing it. */
  TokenLookup find(TokenHash hash);

  /**
   * Uses a single-use entry up, atomically, or returns a reusable entry unchanged. Exactly one concurrent
   * caller wins a single-use entry.
   */
  TokenLookup consume(TokenHash hash);

  /**
   * Revokes one entry.
   *
   * @return whether a live entry was revoked
   */
  boolean revoke(TokenHash hash);

  /**
   * Revokes every live entry of a subject.
   *
   * @return how many entries were revoked
   */
  int revokeAll(String subject);

  /**
   * Removes expired entries (including used-up and revoked ones past their expiry).
   *
   * @return how many entries were removed
   */
  int purgeExpired();

  /**
   * An in-memory store for one process, with at most {@value #DEFAULT_MAX_TOKENS} outstanding tokens. No global
   * lock: operations on different tokens never contend. Expired entries are purged as the store grows.
   */
  static TokenStore inMemory(Clock clock) {
    return new InMemoryTokenStore(clock, DEFAULT_MAX_TOKENS);
  }

  /**
   * An in-memory store holding at most {@code maxTokens} outstanding tokens; past that, {@link #saveIfAbsent}
   * throws {@link TokenStoreFullException}, in constant time: a full store purges expired entries first only if an
   * entry may have expired, and at most once per second of {@code clock}.
   */
  static TokenStore inMemory(Clock clock, int maxTokens) {
    return new InMemoryTokenStore(clock, maxTokens);
  }
}
