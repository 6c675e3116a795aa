package io.github.wsauth.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.TokenStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link TokenStore} contract as a JUnit 5 test: extend it, return your store from {@link #createStore}, and
 * run it. A store that passes keeps the guarantees wsauth relies on: atomic single-use consumption, expiry by the
 * given clock, revocation, purging, and no entry handed out after it expired.
 *
 * <pre>{@code
 * class MyStoreContractTest extends TokenStoreContractTest {
 *   @Override
 *   protected TokenStore createStore(MutableClock clock) {
 *     return new MyStore(dataSource, clock);
 *   }
 * }
 * }</pre>
 *
 * <p>Expiry instants used here are whole milliseconds, so stores may keep millisecond precision. The store must
 * read time from the clock it is given.
 */
public abstract class TokenStoreContractTest {
  /** Where the clock starts. */
  protected static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  /** The clock given to the store; tests move it. */
  protected MutableClock clock;
  /** The store under test, fresh for each test. */
  protected TokenStore store;

  /** For subclasses, one per store implementation. */
  protected TokenStoreContractTest() {}

  /**
   * Creates the store under test. Each call must return a store with no entries that reads time from {@code
   * clock}.
   */
  protected abstract TokenStore createStore(MutableClock clock) throws Exception;

  /** Releases the store after each test; override to close connections or drop tables. */
  protected void closeStore(TokenStore store) throws Exception {}

  /**
   * Whether the store keeps a consumed single-use entry until it expires, so that a second use is {@code
   * ALREADY_USED} (true, the default). Override to return false for a store that deletes entries as it consumes
   * them: the contract then expects {@code NOT_FOUND} for a second use, and still exactly one winner.
   */
  protected boolean keepsUsedEntries() {
    return true;
  }

  /** What a second use of a consumed single-use entry finds: see {@link #keepsUsedEntries()}. */
  protected final TokenLookup.Status usedStatus() {
    return keepsUsedEntries() ? TokenLookup.Status.ALREADY_USED : TokenLookup.Status.NOT_FOUND;
  }

  /** How many threads race in the concurrency tests; override to lower it for slow stores. */
  protected int raceThreads() {
    return 16;
  }

  @BeforeEach
  void setUpStore() throws Exception {
    clock = MutableClock.at(START);
    store = createStore(clock);
  }

  @AfterEach
  void tearDownStore() throws Exception {
    closeStore(store);
  }

  /** A random token hash. */
  protected static TokenHash randomHash() {
    return TokenHash.of(UUID.randomUUID().toString());
  }

  /** An entry for {@code subject} that expires {@code ttl} from now. */
  protected StoredToken entry(String subject, Duration ttl, boolean singleUse) {
    return new StoredToken(randomHash(), subject, Map.of(), clock.instant().plus(ttl), singleUse);
  }

  @Test
  void saveIfAbsent_newEntry_isFoundWithItsFields() {
    StoredToken t = new StoredToken(randomHash(), "alice", Map.of("role", "admin", "tenant", "t1"),
        START.plusSeconds(30), true);
    assertThat(store.saveIfAbsent(t)).isTrue();

    TokenLookup found = store.find(t.hash());
    assertThat(found.status()).isEqualTo(TokenLookup.Status.VALID);
    StoredToken back = found.token().orElseThrow();
    assertThat(back.hash()).isEqualTo(t.hash());
    assertThat(back.subject()).isEqualTo("alice");
    assertThat(back.attributes()).isEqualTo(Map.of("role", "admin", "tenant", "t1"));
    assertThat(back.expiresAt()).isEqualTo(t.expiresAt());
    assertThat(back.singleUse()).isTrue();
  }

  @Test
  void saveIfAbsent_liveDuplicate_returnsFalseAndKeepsTheFirst() {
    StoredToken first = entry("alice", Duration.ofSeconds(30), true);
    StoredToken second = new StoredToken(first.hash(), "mallory", Map.of(), first.expiresAt(), false);
    assertThat(store.saveIfAbsent(first)).isTrue();
    assertThat(store.saveIfAbsent(second)).isFalse();
    assertThat(store.find(first.hash()).token().orElseThrow().subject()).isEqualTo("alice");
  }

  @Test
  void saveIfAbsent_overExpiredEntry_replacesIt() {
    StoredToken old = entry("alice", Duration.ofSeconds(10), true);
    store.saveIfAbsent(old);
    clock.advance(Duration.ofSeconds(11));
    StoredToken fresh = new StoredToken(old.hash(), "bob", Map.of(), clock.instant().plusSeconds(10), true);
    assertThat(store.saveIfAbsent(fresh)).isTrue();
    assertThat(store.consume(old.hash()).token().orElseThrow().subject()).isEqualTo("bob");
  }

  @Test
  void find_unknownHash_isNotFound() {
    assertThat(store.find(randomHash()).status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
    assertThat(store.consume(randomHash()).status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
  }

  @Test
  void find_doesNotConsume() {
    StoredToken t = entry("alice", Duration.ofSeconds(30), true);
    store.saveIfAbsent(t);
    assertThat(store.find(t.hash()).isValid()).isTrue();
    assertThat(store.find(t.hash()).isValid()).isTrue();
    assertThat(store.consume(t.hash()).isValid()).isTrue();
  }

  @Test
  void consume_singleUse_succeedsOnceThenAlreadyUsed() {
    StoredToken t = entry("alice", Duration.ofSeconds(30), true);
    store.saveIfAbsent(t);
    assertThat(store.consume(t.hash()).status()).isEqualTo(TokenLookup.Status.VALID);
    assertThat(store.consume(t.hash()).status()).isEqualTo(usedStatus());
    assertThat(store.find(t.hash()).status()).isEqualTo(usedStatus());
  }

  @Test
  void consume_reusable_succeedsUntilExpiry() {
    StoredToken t = entry("alice", Duration.ofSeconds(30), false);
    store.saveIfAbsent(t);
    for (int i = 0; i < 5; i++) {
      assertThat(store.consume(t.hash()).status()).isEqualTo(TokenLookup.Status.VALID);
    }
    clock.advance(Duration.ofSeconds(31));
    assertThat(store.consume(t.hash()).isValid()).isFalse();
  }

  @Test
  void consume_atExpiryInstant_isStillValid() {
    StoredToken t = entry("alice", Duration.ofSeconds(30), true);
    store.saveIfAbsent(t);
    clock.set(t.expiresAt());
    assertThat(store.consume(t.hash()).isValid()).isTrue();
  }

  @Test
  void expiredEntry_isNeverReturned() {
    StoredToken single = entry("alice", Duration.ofSeconds(30), true);
    StoredToken reusable = entry("alice", Duration.ofSeconds(30), false);
    store.saveIfAbsent(single);
    store.saveIfAbsent(reusable);
    clock.advance(Duration.ofSeconds(30).plusMillis(1));
    for (StoredToken t : List.of(single, reusable)) {
      TokenLookup found = store.find(t.hash());
      TokenLookup consumed = store.consume(t.hash());
      assertThat(found.isValid()).isFalse();
      assertThat(found.token()).isEmpty();
      assertThat(consumed.isValid()).isFalse();
      assertThat(consumed.status()).isIn(TokenLookup.Status.EXPIRED, TokenLookup.Status.NOT_FOUND);
    }
  }

  @Test
  void revoke_liveEntry_isRevokedForGood() {
    StoredToken t = entry("alice", Duration.ofSeconds(30), false);
    store.saveIfAbsent(t);
    assertThat(store.revoke(t.hash())).isTrue();
    assertThat(store.revoke(t.hash())).isFalse();
    assertThat(store.consume(t.hash()).status()).isIn(TokenLookup.Status.REVOKED, TokenLookup.Status.NOT_FOUND);
    assertThat(store.find(t.hash()).isValid()).isFalse();
  }

  @Test
  void revoke_unknownOrUsed_returnsFalse() {
    assertThat(store.revoke(randomHash())).isFalse();
    StoredToken t = entry("alice", Duration.ofSeconds(30), true);
    store.saveIfAbsent(t);
    store.consume(t.hash());
    assertThat(store.revoke(t.hash())).isFalse();
  }

  @Test
  void revokeAll_revokesOnlyThatSubjectsLiveEntries() {
    StoredToken a1 = entry("alice", Duration.ofSeconds(30), true);
    StoredToken a2 = entry("alice", Duration.ofSeconds(30), false);
    StoredToken a3 = entry("alice", Duration.ofSeconds(30), true);
    StoredToken b1 = entry("bob", Duration.ofSeconds(30), true);
    List.of(a1, a2, a3, b1).forEach(store::saveIfAbsent);
    store.consume(a3.hash());

    assertThat(store.revokeAll("alice")).isEqualTo(2);
    assertThat(store.consume(a1.hash()).isValid()).isFalse();
    assertThat(store.consume(a2.hash()).isValid()).isFalse();
    assertThat(store.consume(b1.hash()).isValid()).isTrue();
    assertThat(store.revokeAll("nobody")).isZero();
  }

  @Test
  void purgeExpired_removesExpiredAndKeepsLive() {
    List<StoredToken> shortLived = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      StoredToken t = entry("u" + i, Duration.ofSeconds(10), i % 2 == 0);
      shortLived.add(t);
      store.saveIfAbsent(t);
    }
    store.consume(shortLived.get(0).hash());
    StoredToken live = entry("alice", Duration.ofSeconds(60), true);
    store.saveIfAbsent(live);

    clock.advance(Duration.ofSeconds(11));
    // The consumed entry is one of the ten, unless the store deleted it when it was consumed.
    assertThat(store.purgeExpired()).isEqualTo(keepsUsedEntries() ? 10 : 9);
    assertThat(store.purgeExpired()).isZero();
    for (StoredToken t : shortLived) {
      assertThat(store.find(t.hash()).status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
    }
    assertThat(store.consume(live.hash()).isValid()).isTrue();
  }

  @Test
  void consume_concurrentCallers_exactlyOneWins() throws Exception {
    int threads = raceThreads();
    int tokens = 50;
    List<StoredToken> entries = new ArrayList<>();
    for (int i = 0; i < tokens; i++) {
      StoredToken t = entry("user" + i, Duration.ofMinutes(5), true);
      entries.add(t);
      assertThat(store.saveIfAbsent(t)).isTrue();
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (StoredToken t : entries) {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<TokenLookup>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          Callable<TokenLookup> race = () -> {
            start.await();
            return store.consume(t.hash());
          };
          results.add(pool.submit(race));
        }
        start.countDown();
        int winners = 0;
        for (Future<TokenLookup> f : results) {
          TokenLookup r = f.get(30, TimeUnit.SECONDS);
          if (r.isValid()) {
            winners++;
          } else {
            assertThat(r.status()).isEqualTo(usedStatus());
          }
        }
        assertThat(winners).as("winners for one single-use token").isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void saveIfAbsent_concurrentSameHash_exactlyOneSaves() throws Exception {
    int threads = raceThreads();
    TokenHash hash = randomHash();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String subject = "s" + i;
        results.add(pool.submit(() -> {
          start.await();
          return store.saveIfAbsent(new StoredToken(hash, subject, Map.of(), START.plusSeconds(60), true));
        }));
      }
      start.countDown();
      int saved = 0;
      for (Future<Boolean> f : results) {
        if (f.get(30, TimeUnit.SECONDS)) {
          saved++;
        }
      }
      assertThat(saved).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nullArguments_areRejected() {
    assertThatThrownBy(() -> store.saveIfAbsent(null)).isInstanceOf(NullPointerException.class);
  }
}
