package io.github.wsauth.store;

import io.github.wsauth.TestClock;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/**
 * The in-memory store at its default maximum. A class of its own so that mutation testing (the {@code pit}
 * profile) can leave this slow fill of 1,000,000 entries out: the small cases of {@link InMemoryTokenStoreTest}
 * pin the same code.
 */
class InMemoryTokenStoreScaleTest {
  private final TestClock clock = TestClock.atStart();

  /**
   * Issue 13, item 10: a full store of 1,000,000 live tokens refuses a save without looking at any entry (it
   * scanned all of them on every refused save: 184 ms each). Counted, not timed.
   */
  @Test
  void saveIfAbsent_fullOfLiveTokensAtOneMillion_refusesWithoutExaminingAnyEntry() {
    int max = TokenStore.DEFAULT_MAX_TOKENS;
    InMemoryTokenStore store = new InMemoryTokenStore(clock, max);
    Instant expiry = clock.instant().plusSeconds(30);
    for (int i = 0; i < max; i++) {
      store.saveIfAbsent(InMemoryTokenStoreTest.numbered(i, expiry));
    }
    assertThat(store.size()).isEqualTo(max);
    long examinedWhileFilling = store.examinedEntries();
    for (int i = 0; i < 100; i++) {
      InMemoryTokenStoreTest.assertFull(store, InMemoryTokenStoreTest.numbered(max + i, expiry));
      clock.advance(Duration.ofMillis(200)); // 20 s in all, always before the first expiry
    }
    assertThat(store.examinedEntries() - examinedWhileFilling).as("entries examined by 100 refused saves")
        .isZero();
    // Once the tokens have expired, the next save purges them all (one scan) and succeeds.
    clock.advance(Duration.ofSeconds(11));
    assertThat(store.saveIfAbsent(InMemoryTokenStoreTest.numbered(max, clock.instant().plusSeconds(30)))).isTrue();
    assertThat(store.examinedEntries() - examinedWhileFilling).isEqualTo(max);
    assertThat(store.size()).isEqualTo(1);
  }
}
