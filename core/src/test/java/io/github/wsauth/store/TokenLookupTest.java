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
    // Only the factories build lookups (no public constructor), so no VALID lookup lacks its entry.
    assertThatThrownBy(() -> TokenLookup.valid(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("token must not be null");
    assertThat(TokenLookup.class.getConstructors()).isEmpty();
  }

  @Test
  void valueSemantics_andToStringWithoutOptional() {
    assertThat(TokenLookup.valid(ENTRY)).isEqualTo(TokenLookup.valid(ENTRY))
        .hasSameHashCodeAs(TokenLookup.valid(ENTRY)).isNotEqualTo(TokenLookup.notFound());
    assertThat(java.util.stream.Stream.of(TokenLookup.valid(ENTRY), TokenLookup.notFound(), TokenLookup.expired(),
        TokenLookup.alreadyUsed(), TokenLookup.revoked()).map(Object::hashCode).distinct()).hasSize(5);
    assertThat(TokenLookup.notFound()).hasToString("TokenLookup[status=NOT_FOUND]");
    assertThat(TokenLookup.valid(ENTRY).toString()).startsWith("TokenLookup[status=VALID, token=StoredToken[")
        .doesNotContain("Optional");
    assertThat(TokenLookup.class.isRecord()).isFalse();
    assertThat(TokenLookup.class.getDeclaredFields()).noneMatch(f -> f.getType() == Optional.class);
  }

  @Test
  void storedToken_expiryIsStrictlyAfter() {
    assertThat(ENTRY.isExpiredAt(TestClock.START)).isFalse();
    assertThat(ENTRY.isExpiredAt(TestClock.START.plusNanos(1))).isTrue();
  }
}
