package io.github.wsauth.store;

import io.github.wsauth.TestClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TokenLookupTest {
  private static final StoredToken ENTRY =
      new StoredToken(TokenHash.of("t"), "alice", Map.of(), TestClock.START, true);

  @Test
  void onlyValidCarriesTheEntry() {
    assertThat(TokenLookup.valid(ENTRY).token()).contains(ENTRY);
    assertThat(TokenLookup.valid(ENTRY).isValid()).isTrue();
    for (TokenLookup l : new TokenLookup[] {TokenLookup.notFound(), TokenLookup.expired(), TokenLookup.alreadyUsed(),
        TokenLookup.revoked()}) {
      assertThat(l.token()).isEmpty();
      assertThat(l.isValid()).isFalse();
    }
    assertThatThrownBy(() -> new TokenLookup(TokenLookup.Status.VALID, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenLookup(TokenLookup.Status.REVOKED, Optional.of(ENTRY)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void storedToken_expiryIsStrictlyAfter() {
    assertThat(ENTRY.isExpiredAt(TestClock.START)).isFalse();
    assertThat(ENTRY.isExpiredAt(TestClock.START.plusNanos(1))).isTrue();
  }
}
