package io.github.wsauth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * {@link TokenStore#inMemory(Clock)}: a {@link ConcurrentHashMap} of compact entries. Single-use consumption is a
 * compare-and-set on the entry's state, so concurrent consumers of one token race on one word and consumers of
 * different tokens never contend. Expired entries are purged when the map has doubled since the last purge or a
 * minute has passed, which keeps the amortised cost per save constant and memory bounded.
 */
final class InMemoryTokenStore implements TokenStore {
  private static final int LIVE = 0;
  private static final int USED = 1;
  private static final int REVOKED = 2;
  private static final int MIN_PURGE_SIZE = 1024;
  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

  private final ConcurrentHashMap<TokenHash, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;
  private final int maxTokens;
  private final AtomicBoolean purging = new AtomicBoolean();
  private volatile long nextPurgeSize = MIN_PURGE_SIZE;
  private volatile Instant nextPurgeTime;

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
      purgeExpired();
      if (entries.mappingCount() >= maxTokens) {
        throw new TokenStoreFullException(
            "in-memory token store holds its maximum of " + maxTokens + " outstanding tokens");
      }
    }
    Entry fresh = new Entry(token);
    while (true) {
      Entry existing = entries.putIfAbsent(token.hash(), fresh);
      if (existing == null) {
        return true;
      }
      if (!existing.isExpiredAt(now)) {
        return false;
      }
      if (entries.replace(token.hash(), existing, fresh)) {
        return true;
      }
    }
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
    int removed = 0;
    for (Map.Entry<TokenHash, Entry> e : entries.entrySet()) {
      if (e.getValue().isExpiredAt(now) && entries.remove(e.getKey(), e.getValue())) {
        removed++;
      }
    }
    return removed;
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
