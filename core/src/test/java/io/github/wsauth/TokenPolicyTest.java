package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class TokenPolicyTest {

  @Test
  void defaults_areSingleUseThirtySecondsFiveSecondsSkew() {
    TokenPolicy d = TokenPolicy.defaults();
    assertThat(d.singleUse()).isTrue();
    assertThat(d.lifetime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.clockSkew()).isEqualTo(Duration.ofSeconds(5));
    assertThat(TokenPolicy.builder().build()).isEqualTo(d);
  }

  @Test
  void builder_setsEveryField() {
    TokenPolicy p = TokenPolicy.builder().reusable().lifetime(Duration.ofMinutes(5)).clockSkew(Duration.ZERO).build();
    assertThat(p.singleUse()).isFalse();
    assertThat(p.lifetime()).isEqualTo(Duration.ofMinutes(5));
    assertThat(p.clockSkew()).isEqualTo(Duration.ZERO);
    assertThat(p.toBuilder().singleUse().build().singleUse()).isTrue();
    assertThat(p.toBuilder().build()).isEqualTo(p);
  }

  @Test
  void builder_rejectsNonPositiveLifetime() {
    assertThatThrownBy(() -> TokenPolicy.builder().lifetime(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("lifetime must be positive");
    assertThatThrownBy(() -> TokenPolicy.builder().lifetime(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokenPolicy.builder().lifetime(null).build()).isInstanceOf(NullPointerException.class);
  }

  @Test
  void builder_rejectsNegativeOrHugeSkew() {
    assertThatThrownBy(() -> TokenPolicy.builder().clockSkew(Duration.ofMillis(-1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("clock skew must not be negative");
    assertThatThrownBy(() -> TokenPolicy.builder().clockSkew(Duration.ofMinutes(5).plusNanos(1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not exceed");
    assertThat(TokenPolicy.builder().clockSkew(Duration.ofMinutes(5)).build().clockSkew())
        .isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> TokenPolicy.builder().clockSkew(null).build()).isInstanceOf(NullPointerException.class);
  }
}
