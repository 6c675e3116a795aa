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
    assertThat(id.attributes()).isEqualTo(Map.of("role", "admin"));
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

  @Test
  void tokenId_isKeptBySource_andNeverShown() {
    Identity id = Identity.of("alice", Map.of("role", "admin"), EXP).withTokenId("tid-1")
        .withSource(CredentialSource.QUERY_PARAMETER);
    assertThat(id.tokenId()).contains("tid-1");
    assertThat(Identity.of("alice", Map.of(), EXP).tokenId()).isEmpty();
    assertThat(id.toString()).isEqualTo("Identity[source=QUERY_PARAMETER, expiresAt=2030-01-01T00:00:30Z]");
    assertThat(id).isEqualTo(Identity.of("alice", Map.of("role", "admin"), EXP).withSource(CredentialSource
        .QUERY_PARAMETER).withTokenId("tid-1")).hasSameHashCodeAs(id.withTokenId("tid-1"));
    assertThat(id).isNotEqualTo(id.withTokenId("tid-2"));
    assertThatThrownBy(() -> id.withTokenId("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenId must be 1 to 255 characters");
    assertThatThrownBy(() -> id.withTokenId("x".repeat(256))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void opaqueVerifier_tagsTheTokenHashAsTokenId() {
    TestClock clock = TestClock.atStart();
    io.github.wsauth.store.TokenStore store = io.github.wsauth.store.TokenStore.inMemory(clock);
    String token = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock).issue("alice").value();
    Identity id = TokenVerifier.opaque(store, TokenPolicy.defaults()).verify(token).verifiedIdentity().orElseThrow();
    assertThat(id.tokenId()).contains(io.github.wsauth.store.TokenHash.of(token).toHex());
  }
  @Test
  void equalsAndHashCode_coverEveryPart() {
    Identity a = Identity.of("alice", Map.of("role", "admin"), EXP).withTokenId("t1");
    assertThat(a).isEqualTo(Identity.of("alice", Map.of("role", "admin"), EXP).withTokenId("t1"))
        .hasSameHashCodeAs(Identity.of("alice", Map.of("role", "admin"), EXP).withTokenId("t1"));
    assertThat(java.util.stream.Stream.of(a, Identity.of("bob", Map.of("role", "admin"), EXP).withTokenId("t1"),
        Identity.of("alice", Map.of(), EXP).withTokenId("t1"), a.withTokenId("t2"),
        a.withSource(CredentialSource.COOKIE)).map(Object::hashCode).distinct()).hasSize(5);
  }
}
