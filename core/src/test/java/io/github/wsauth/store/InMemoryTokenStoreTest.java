package io.github.wsauth.store;

import io.github.wsauth.TestClock;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The in-memory store's own behaviour; the shared contract runs in wsauth-testkit. */
class InMemoryTokenStoreTest {
  private final TestClock clock = TestClock.atStart();

  private static StoredToken entry(String token, Instant expiresAt) {
    return new StoredToken(TokenHash.of(token), "alice", Map.of(), expiresAt, true);
  }

  @Test
  void saveIfAbsent_pastMaximum_throwsClearExceptionAndRecoversAfterExpiry() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, 3);
    for (int i = 0; i < 3; i++) {
      assertThat(store.saveIfAbsent(entry("t" + i, clock.instant().plusSeconds(10)))).isTrue();
    }
    assertThatThrownBy(() -> store.saveIfAbsent(entry("t3", clock.instant().plusSeconds(10))))
        .isInstanceOf(TokenStoreFullException.class)
        .hasMessage("in-memory token store holds its maximum of 3 outstanding tokens");
    assertThat(store.size()).isEqualTo(3);
    clock.advance(Duration.ofSeconds(11));
    assertThat(store.saveIfAbsent(entry("t3", clock.instant().plusSeconds(10)))).isTrue();
    assertThat(store.size()).isEqualTo(1);
  }

  static StoredToken numbered(long n, Instant expiresAt) {
    byte[] bytes = new byte[TokenHash.LENGTH];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (n >>> (8 * i));
    }
    return new StoredToken(TokenHash.fromBytes(bytes), "alice", Map.of(), expiresAt, true);
  }

  static void assertFull(InMemoryTokenStore store, StoredToken token) {
    assertThatThrownBy(() -> store.saveIfAbsent(token)).isInstanceOf(TokenStoreFullException.class);
  }

  @Test
  void saveIfAbsent_fullWithExpiredEntries_purgesAtMostOncePerSecondOfTheClock() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, 3);
    Instant start = clock.instant();
    assertThat(store.saveIfAbsent(numbered(1, start.plusMillis(5_000)))).isTrue();
    assertThat(store.saveIfAbsent(numbered(2, start.plusMillis(5_500)))).isTrue();
    assertThat(store.saveIfAbsent(numbered(3, start.plusSeconds(60)))).isTrue();
    long examined = store.examinedEntries();

    // 5.2 s: the first has expired (same second as the bound): one purge of the three, and the save succeeds.
    clock.set(start.plusMillis(5_200));
    assertThat(store.saveIfAbsent(numbered(4, start.plusSeconds(60)))).isTrue();
    assertThat(store.examinedEntries() - examined).isEqualTo(3);
    // 5.7 s: the second has expired too, but the store purged during this second: refused, nothing examined.
    clock.set(start.plusMillis(5_700));
    assertFull(store, numbered(5, start.plusSeconds(60)));
    assertThat(store.examinedEntries() - examined).isEqualTo(3);
    // 6.0 s: a new second: one more purge, and the save succeeds.
    clock.set(start.plusSeconds(6));
    assertThat(store.saveIfAbsent(numbered(5, start.plusSeconds(60)))).isTrue();
    assertThat(store.examinedEntries() - examined).isEqualTo(6);
    // 7 s: full of tokens that expire at 60 s: the purge raised the bound, so no scan however many seconds pass.
    for (int s = 7; s < 60; s++) {
      clock.set(start.plusSeconds(s));
      assertFull(store, numbered(6, start.plusSeconds(90)));
    }
    assertThat(store.examinedEntries() - examined).isEqualTo(6);
  }

  @Test
  void saveIfAbsent_aShorterLivedSave_lowersTheBound() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, 2);
    Instant start = clock.instant();
    assertThat(store.saveIfAbsent(numbered(1, start.plusSeconds(60)))).isTrue();
    assertThat(store.saveIfAbsent(numbered(2, start.plusSeconds(2)))).isTrue();
    clock.advance(Duration.ofSeconds(3));
    assertThat(store.saveIfAbsent(numbered(3, start.plusSeconds(60)))).isTrue();
    assertThat(store.find(numbered(2, start).hash()).status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
  }

  @Test
  void saveIfAbsent_overAnExpiredEntry_lowersTheBound() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, 2);
    Instant start = clock.instant();
    assertThat(store.saveIfAbsent(numbered(1, start.plusSeconds(1)))).isTrue();
    store.purgeExpired(); // bound: 1 s
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.saveIfAbsent(numbered(1, start.plusSeconds(4)))).isTrue(); // replaces the expired entry
    assertThat(store.saveIfAbsent(numbered(2, start.plusSeconds(60)))).isTrue();
    clock.advance(Duration.ofSeconds(3));
    assertThat(store.saveIfAbsent(numbered(3, start.plusSeconds(60)))).isTrue();
    assertThat(store.find(numbered(1, start).hash()).status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
  }

  @Test
  void purgeExpired_leavesTheBoundAtTheEarliestRemainingExpiry() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, 2);
    Instant start = clock.instant();
    assertThat(store.saveIfAbsent(numbered(1, start.plusSeconds(10)))).isTrue();
    assertThat(store.saveIfAbsent(numbered(2, start.plusSeconds(20)))).isTrue();
    assertThat(store.purgeExpired()).isZero();
    assertThat(store.examinedEntries()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(11));
    assertThat(store.saveIfAbsent(numbered(3, start.plusSeconds(60)))).isTrue();
    assertThat(store.examinedEntries()).isEqualTo(4);
    assertThat(store.find(numbered(1, start).hash()).status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
  }

  @Test
  void saveIfAbsent_purgesWhenTheMapReaches1024ThenWhenItDoubles() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, TokenStore.DEFAULT_MAX_TOKENS);
    Instant expiry = clock.instant().plusSeconds(30);
    for (int i = 0; i < 1024; i++) {
      store.saveIfAbsent(numbered(i, expiry));
    }
    assertThat(store.examinedEntries()).isZero();
    store.saveIfAbsent(numbered(1024, expiry)); // the map holds 1024: one purge first
    assertThat(store.examinedEntries()).isEqualTo(1024);
    for (int i = 1025; i < 2048; i++) {
      store.saveIfAbsent(numbered(i, expiry));
    }
    assertThat(store.examinedEntries()).as("no purge until the map has doubled").isEqualTo(1024);
    store.saveIfAbsent(numbered(2048, expiry));
    assertThat(store.examinedEntries()).isEqualTo(1024 + 2048);
  }

  @Test
  void find_expiredEntry_isExpiredAndRemoved() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, 10);
    StoredToken e = entry("tok", clock.instant().plusSeconds(1));
    store.saveIfAbsent(e);
    assertThat(store.find(e.hash()).status()).isEqualTo(TokenLookup.Status.VALID);
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.find(e.hash()).status()).isEqualTo(TokenLookup.Status.EXPIRED);
    assertThat(store.size()).isZero();
    assertThat(store.find(e.hash()).status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
  }

  @Test
  void find_showsUsedAndRevoked() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, 10);
    StoredToken used = entry("used", clock.instant().plusSeconds(10));
    StoredToken revoked = entry("revoked", clock.instant().plusSeconds(10));
    store.saveIfAbsent(used);
    store.saveIfAbsent(revoked);
    assertThat(store.consume(used.hash()).isValid()).isTrue();
    assertThat(store.revoke(revoked.hash())).isTrue();
    assertThat(store.find(used.hash()).status()).isEqualTo(TokenLookup.Status.ALREADY_USED);
    assertThat(store.find(revoked.hash()).status()).isEqualTo(TokenLookup.Status.REVOKED);
    assertThat(store.consume(revoked.hash()).status()).isEqualTo(TokenLookup.Status.REVOKED);
  }

  @Test
  void revoke_unknownUsedRevokedOrExpired_isFalse() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, 10);
    StoredToken live = entry("live", clock.instant().plusSeconds(10));
    StoredToken used = entry("used", clock.instant().plusSeconds(10));
    StoredToken expiring = entry("expiring", clock.instant().plusSeconds(1));
    store.saveIfAbsent(live);
    store.saveIfAbsent(used);
    store.saveIfAbsent(expiring);
    store.consume(used.hash());
    assertThat(store.revoke(TokenHash.of("unknown"))).isFalse();
    assertThat(store.revoke(used.hash())).isFalse();
    assertThat(store.revoke(live.hash())).isTrue();
    assertThat(store.revoke(live.hash())).isFalse();
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.revoke(expiring.hash())).isFalse();
  }

  @Test
  void purgeExpired_returnsHowManyItRemoved() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, 10);
    store.saveIfAbsent(entry("a", clock.instant().plusSeconds(1)));
    store.saveIfAbsent(entry("b", clock.instant().plusSeconds(1)));
    store.saveIfAbsent(entry("c", clock.instant().plusSeconds(10)));
    assertThat(store.purgeExpired()).isZero();
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.purgeExpired()).isEqualTo(2);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.purgeExpired()).isZero();
  }

  @Test
  void inMemory_rejectsNonPositiveMaximum() {
    assertThatThrownBy(() -> TokenStore.inMemory(clock, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximum number of tokens must be positive");
    assertThatThrownBy(() -> TokenStore.inMemory(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void issuing_manyShortLivedTokens_keepsMemoryBounded() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, TokenStore.DEFAULT_MAX_TOKENS);
    TokenPolicy policy = TokenPolicy.builder().lifetime(Duration.ofSeconds(1)).clockSkew(Duration.ZERO).build();
    TokenIssuer issuer = TokenIssuer.opaque(store, policy, clock);
    int maxSize = 0;
    for (int i = 0; i < 20_000; i++) {
      issuer.issue("user");
      clock.advance(Duration.ofMillis(10)); // ~100 tokens live at any time; 20,000 issued in total
      maxSize = Math.max(maxSize, store.size());
    }
    // Purging runs when the map reaches 1024 entries (or doubles), so it never grows towards 20,000.
    assertThat(maxSize).isLessThanOrEqualTo(1024);
    assertThat(store.purgeExpired()).isGreaterThanOrEqualTo(0);
    assertThat(store.size()).isLessThanOrEqualTo(101);
  }

  @Test
  void issuing_slowly_purgesAtLeastEveryMinute() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, TokenStore.DEFAULT_MAX_TOKENS);
    TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
    for (int i = 0; i < 200; i++) {
      issuer.issue("user");
      clock.advance(Duration.ofSeconds(1));
    }
    // 35 s live (30 s + 5 s skew) at one token per second, plus at most one minute of expired leftovers.
    assertThat(store.size()).isLessThanOrEqualTo(35 + 61);
  }

  @Test
  void expiredEntry_isNeverReturnedAndIsReplaceable() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, 10);
    StoredToken e = entry("tok", clock.instant().plusSeconds(1));
    assertThat(store.saveIfAbsent(e)).isTrue();
    assertThat(store.saveIfAbsent(e)).isFalse();
    clock.advance(Duration.ofSeconds(2));
    assertThat(store.consume(e.hash()).status()).isEqualTo(TokenLookup.Status.EXPIRED);
    assertThat(store.saveIfAbsent(entry("tok", clock.instant().plusSeconds(1)))).isTrue();
    assertThat(store.consume(e.hash()).isValid()).isTrue();
  }

  @Test
  void toString_showsCountsOnly() {
    InMemoryTokenStore store = new InMemoryTokenStore(clock, 10);
    store.saveIfAbsent(entry("secret-token", clock.instant().plusSeconds(1)));
    assertThat(store.toString()).isEqualTo("InMemoryTokenStore[entries=1, max=10]");
  }
}
