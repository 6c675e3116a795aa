package io.github.wsauth.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link TokenStore#inMemory(Clock)}: a {@link ConcurrentHashMap} of compact entries. Single-use consumption is a
 * compare-and-set on the entry's state, so concurrent consumers of one token race on one word and consumers of
 * different tokens never contend. Expired entries are purged when the map has doubled since the last purge or a
 * minute has passed, which keeps the amortised cost per save constant and memory bounded.
 *
 * <p>When the store is full, a save is refused in constant time: the store keeps a lower bound of the earliest
 * expiry of its entries (lowered by every save, recomputed by every purge), so a refusal while nothing can have
 * expired looks at no entry, and a full store purges at most once per second of its clock, one thread at a time.
 * A flood of saves into a full store therefore costs one scan per second, not one per save (issue 13: 184 ms per
 * refused save at 1,000,000 entries before). The bound lives in the store, not in the entries: no memory per token.
 */
final class InMemoryTokenStore implements TokenStore {
  private static final int LIVE = 0;
  private static final int USED = 1;
  private static final int REVOKED = 2;
  private static final int MIN_PURGE_SIZE = 1024;
  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);
  private static final long FULL_PURGE_INTERVAL_SECONDS = 1;

  private final ConcurrentHashMap<TokenHash, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final int maxTokens;
  private final AtomicBoolean purging = new AtomicBoolean();
  private volatile long nextPurgeSize = MIN_PURGE_SIZE;
  private volatile Instant nextPurgeTime;
  /**
   * No entry expires before this epoch second: lowered (after the insert) by every save, reset and recomputed by
   * every purge. Only ever too low, never too high, except while a purge is running.
   */
  private final AtomicLong earliestExpirySecond = new AtomicLong(Long.MAX_VALUE);
  private volatile long nextFullPurgeSecond = Long.MIN_VALUE;
  /** Entries looked at by purges, for the test that shows a refused save looks at none. */
  private final LongAdder examined = new LongAdder();

  InMemoryTokenStore(Clock clock, int maxTokens) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("maximum number of tokens must be positive");
    }
    this.maxTokens = maxTokens;
    this.nextPurgeTime = clock.instant().plus(PURGE_INTERVAL);
  }

  @Override
  public boolean saveIfAbsent(StoredToken token) {
    Objects.requireNonNull(token, "token must not be null");
    Instant now = clock.instant();
    maybePurge(now);
    if (entries.mappingCount() >= maxTokens) {
      purgeWhenFull(now);
      if (entries.mappingCount() >= maxTokens) {
        throw new TokenStoreFullException(
            "in-memory token store holds its maximum of " + maxTokens + " outstanding tokens");
      }
    }
    Entry fresh = new Entry(token);
    Entry existing;
    while ((existing = entries.putIfAbsent(token.hash(), fresh)) != null) {
      if (!existing.isExpiredAt(now)) {
        return false;
      }
      if (entries.replace(token.hash(), existing, fresh)) {
        break;
      }
    }
    // After the insert, never before: a purge that resets the bound either sees this entry or runs its reset
    // before this line.
    lowerEarliestExpiry(fresh.expiresAtSecond);
    return true;
  }

  @Override
  public TokenLookup find(TokenHash hash) {
    Entry e = entries.get(hash);
    if (e == null) {
      return TokenLookup.notFound();
    }
    if (e.isExpiredAt(clock.instant())) {
      entries.remove(hash, e);
      return TokenLookup.expired();
    }
    switch (e.state) {
      case LIVE:
        return TokenLookup.valid(e.toStoredToken(hash));
      case USED:
        return TokenLookup.alreadyUsed();
      default:
        return TokenLookup.revoked();
    }
  }

  @Override
  public TokenLookup consume(TokenHash hash) {
    Entry e = entries.get(hash);
    if (e == null) {
      return TokenLookup.notFound();
    }
    if (e.isExpiredAt(clock.instant())) {
      entries.remove(hash, e);
      return TokenLookup.expired();
    }
    if (!e.singleUse) {
      return e.state == LIVE ? TokenLookup.valid(e.toStoredToken(hash)) : TokenLookup.revoked();
    }
    if (Entry.STATE.compareAndSet(e, LIVE, USED)) {
      return TokenLookup.valid(e.toStoredToken(hash));
    }
    return e.state == REVOKED ? TokenLookup.revoked() : TokenLookup.alreadyUsed();
  }

  @Override
  public boolean revoke(TokenHash hash) {
    Entry e = entries.get(hash);
    return e != null && !e.isExpiredAt(clock.instant()) && Entry.STATE.compareAndSet(e, LIVE, REVOKED);
  }

  @Override
  public int revokeAll(String subject) {
    Objects.requireNonNull(subject, "subject must not be null");
    Instant now = clock.instant();
    int revoked = 0;
    for (Entry e : entries.values()) {
      if (e.subject.equals(subject) && !e.isExpiredAt(now) && Entry.STATE.compareAndSet(e, LIVE, REVOKED)) {
        revoked++;
      }
    }
    return revoked;
  }

  @Override
  public int purgeExpired() {
    Instant now = clock.instant();
    // Reset before the scan: an entry inserted before the iterator exists is seen by it, and one inserted later
    // lowers the bound itself after this reset, so the bound is right again when the scan ends.
    earliestExpirySecond.set(Long.MAX_VALUE);
    long earliest = Long.MAX_VALUE;
    int removed = 0;
    long visited = 0;
    for (Map.Entry<TokenHash, Entry> e : entries.entrySet()) {
      visited++;
      Entry entry = e.getValue();
      if (!entry.isExpiredAt(now)) {
        earliest = Math.min(earliest, entry.expiresAtSecond);
      } else if (entries.remove(e.getKey(), entry)) {
        removed++;
      }
    }
    lowerEarliestExpiry(earliest);
    examined.add(visited);
    return removed;
  }

  /**
   * The full store's purge: only if some entry may have expired, at most once per second of the clock, and never
   * by two threads at once; every other refused save returns without looking at any entry.
   */
  private void purgeWhenFull(Instant now) {
    long second = now.getEpochSecond();
    if (second < earliestExpirySecond.get() || second < nextFullPurgeSecond) {
      return; // nothing can have expired (every expiry is at or after that second), or purged just now
    }
    if (purging.compareAndSet(false, true)) {
      try {
        nextFullPurgeSecond = second + FULL_PURGE_INTERVAL_SECONDS;
        purgeExpired();
      } finally {
        purging.set(false);
      }
    }
  }

  private void lowerEarliestExpiry(long second) {
    // A plain read first: with one lifetime for all tokens a save almost never lowers the bound, so saves on
    // different threads do not all write this one word.
    if (second < earliestExpirySecond.get()) {
      earliestExpirySecond.accumulateAndGet(second, Math::min);
    }
  }

  private void maybePurge(Instant now) {
    if ((entries.mappingCount() >= nextPurgeSize || now.isAfter(nextPurgeTime)) && purging.compareAndSet(false, true)) {
      try {
        purgeExpired();
        nextPurgeSize = Math.max(MIN_PURGE_SIZE, 2 * entries.mappingCount());
        nextPurgeTime = now.plus(PURGE_INTERVAL);
      } finally {
        purging.set(false);
      }
    }
  }

  /** How many entries all purges so far have looked at; for the test that a refused save is O(1). */
  long examinedEntries() {
    return examined.sum();
  }

  /** How many entries the map holds right now, expired ones included; for tests of the memory bound. */
  int size() {
    return entries.size();
  }

  @Override
  public String toString() {
    return "InMemoryTokenStore[entries=" + entries.mappingCount() + ", max=" + maxTokens + "]";
  }

  /** A compact entry: the expiry is inlined as seconds and nanos rather than held as an {@link Instant}. */
  private static final class Entry {
    static final AtomicIntegerFieldUpdater<Entry> STATE = AtomicIntegerFieldUpdater.newUpdater(Entry.class, "state");

    final String subject;
    final Map<String, String> attributes;
    final long expiresAtSecond;
    final int expiresAtNano;
    final boolean singleUse;
    volatile int state = LIVE;

    Entry(StoredToken token) {
      this.subject = token.subject();
      this.attributes = token.attributes();
      this.expiresAtSecond = token.expiresAt().getEpochSecond();
      this.expiresAtNano = token.expiresAt().getNano();
      this.singleUse = token.singleUse();
    }

    boolean isExpiredAt(Instant now) {
      long s = now.getEpochSecond();
      return s > expiresAtSecond || (s == expiresAtSecond && now.getNano() > expiresAtNano);
    }

    StoredToken toStoredToken(TokenHash hash) {
      return new StoredToken(hash, subject, attributes, Instant.ofEpochSecond(expiresAtSecond, expiresAtNano), singleUse);
    }
  }
}
