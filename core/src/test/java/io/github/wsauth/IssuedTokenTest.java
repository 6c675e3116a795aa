package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class IssuedTokenTest {
  @Test
  void toString_neverShowsTheToken() {
    IssuedToken t = new IssuedToken("SECRET-VALUE", "alice", TestClock.START, true);
    assertThat(t.toString()).doesNotContain("SECRET").contains("alice").contains("value=<redacted>");
  }

  @Test
  void expiresInSeconds_isWholeSecondsAndNeverNegative() {
    TestClock clock = TestClock.atStart();
    IssuedToken t = new IssuedToken("v", "alice", TestClock.START.plusMillis(30_900), true);
    assertThat(t.expiresInSeconds(clock)).isEqualTo(30);
    clock.advance(Duration.ofSeconds(40));
    assertThat(t.expiresInSeconds(clock)).isZero();
  }
}
