package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class AdapterConfigTest {
  /** The smallest adapter: a config with only the shared settings. */
  private static final class TestConfig extends AdapterConfig {
    TestConfig(TestBuilder b) {
      super(b);
    }
  }

  private static final class TestBuilder extends AdapterConfig.BaseBuilder<TestBuilder> {
    @Override
    protected TestBuilder self() {
      return this;
    }
  }

  @Test
  void defaults_noCloseOnExpiry_1008_systemUtc() {
    TestConfig config = new TestConfig(new TestBuilder());
    assertThat(config.closeOnExpiry()).isFalse();
    assertThat(config.expiryCloseCode()).isEqualTo(1008);
    assertThat(config.clock()).isEqualTo(Clock.systemUTC());
  }

  @Test
  void settersAreCopiedAndReturnTheAdaptersBuilder() {
    Clock fixed = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    TestBuilder b = new TestBuilder();
    assertThat(b.closeOnExpiry(true).expiryCloseCode(4001).clock(fixed)).isSameAs(b);
    TestConfig config = new TestConfig(b);
    assertThat(config.closeOnExpiry()).isTrue();
    assertThat(config.expiryCloseCode()).isEqualTo(4001);
    assertThat(config.clock()).isSameAs(fixed);
  }

  @Test
  void expiryCloseCode_outsideTheAllowedCodes_isRefused() {
    TestBuilder b = new TestBuilder();
    for (int ok : new int[] {1000, 1001, 1008, 3000, 4999}) {
      assertThat(new TestConfig(b.expiryCloseCode(ok)).expiryCloseCode()).isEqualTo(ok);
    }
    for (int bad : new int[] {999, 1002, 1007, 1009, 1011, 2999, 5000}) {
      assertThatIllegalArgumentException().isThrownBy(() -> b.expiryCloseCode(bad))
          .withMessage("expiry close code must be 1000, 1001, 1008 or 3000-4999: " + bad);
    }
    assertThatNullPointerException().isThrownBy(() -> b.clock(null)).withMessage("clock must not be null");
  }
}
