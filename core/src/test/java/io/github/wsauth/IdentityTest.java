package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class IdentityTest {
  private static final Instant EXP = Instant.parse("2030-01-01T00:00:30Z");

  @Test
  void of_copiesAttributesAndIsAPrincipal() {
    Map<String, String> attrs = new HashMap<>(Map.of("role", "admin"));
    Identity id = Identity.of("alice", attrs, EXP);
    attrs.put("role", "root");
    assertThat(id.attribute("role")).contains("admin");
    assertThat(id.attribute("missing")).isEmpty();
    assertThat(id.getName()).isEqualTo("alice");
    assertThat(id.source()).isEmpty();
    assertThat(id.withSource(CredentialSource.COOKIE).source()).contains(CredentialSource.COOKIE);
  }

  @Test
  void isExpiredAt_strictlyAfter() {
    Identity id = Identity.of("alice", Map.of(), EXP);
    assertThat(id.isExpiredAt(EXP)).isFalse();
    assertThat(id.isExpiredAt(EXP.plusNanos(1))).isTrue();
  }

  @Test
  void validation() {
    assertThatThrownBy(() -> Identity.of("", Map.of(), EXP)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Identity.of(null, Map.of(), EXP)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Identity.of("a", Map.of(), null)).isInstanceOf(NullPointerException.class);
  }
}
