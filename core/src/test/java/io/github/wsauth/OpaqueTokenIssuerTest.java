package io.github.wsauth;

import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenStoreUnavailableException;
import io.github.wsauth.store.TokenStoreFullException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class OpaqueTokenIssuerTest {
  private final TestClock clock = TestClock.atStart();
  private final TokenStore store = TokenStore.inMemory(clock);
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);

  @Test
  void issue_gives43CharBase64UrlTokensThatAreUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      IssuedToken t = issuer.issue("alice");
      assertThat(t.value()).hasSize(43).matches("[A-Za-z0-9_-]{43}");
      assertThat(OpaqueTokenVerifier.isOpaqueShape(t.value())).isTrue();
      assertThat(seen.add(t.value())).isTrue();
    }
  }

  @Test
  void issue_carriesExpiryAndPolicy() {
    IssuedToken t = issuer.issue("alice");
    assertThat(t.subject()).isEqualTo("alice");
    assertThat(t.expiresAt()).isEqualTo(TestClock.START.plusSeconds(30));
    assertThat(t.singleUse()).isTrue();
    assertThat(t.expiresInSeconds(clock)).isEqualTo(30);
    clock.advance(Duration.ofMinutes(1));
    assertThat(t.expiresInSeconds(clock)).isZero();
  }

  @Test
  void issue_storesOnlyTheHashWithExpiryPlusSkew() {
    IssuedToken t = issuer.issue("alice", Map.of("role", "admin"));
    TokenLookup found = store.find(TokenHash.of(t.value()));
    assertThat(found.isValid()).isTrue();
    StoredToken entry = found.token().orElseThrow();
    assertThat(entry.subject()).isEqualTo("alice");
    assertThat(entry.attributes()).containsEntry("role", "admin");
    assertThat(entry.expiresAt()).isEqualTo(TestClock.START.plusSeconds(35));
    assertThat(entry.singleUse()).isTrue();
    assertThat(entry.toString()).doesNotContain(t.value());
  }

  @Test
  void issue_reusablePolicy_marksEntryReusable() {
    TokenIssuer reusable = TokenIssuer.opaque(store, TokenPolicy.builder().reusable().build(), clock);
    IssuedToken t = reusable.issue("bob");
    assertThat(t.singleUse()).isFalse();
    assertThat(store.find(TokenHash.of(t.value())).token().orElseThrow().singleUse()).isFalse();
  }

  @Test
  void issue_validatesSubjectAndAttributes() {
    assertThatThrownBy(() -> issuer.issue("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subject must not be empty");
    assertThatThrownBy(() -> issuer.issue("a".repeat(257))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256");
    assertThat(issuer.issue("a".repeat(256)).subject()).hasSize(256);
    assertThatThrownBy(() -> issuer.issue("ali\nce")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control");
    assertThatThrownBy(() -> issuer.issue(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> issuer.issue("alice", null)).isInstanceOf(NullPointerException.class);
    Map<String, String> many = new HashMap<>();
    for (int i = 0; i < 33; i++) {
      many.put("k" + i, "v");
    }
    assertThatThrownBy(() -> issuer.issue("alice", many)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32");
    assertThatThrownBy(() -> issuer.issue("alice", Map.of("", "v"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> issuer.issue("alice", Map.of("k", "v".repeat(1025))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void issue_unpairedSurrogate_isRefused_pairsAreFine() {
    // Not Unicode text: it would not survive a UTF-8 database column, a JWT, or the JDBC store's JSON column.
    for (String bad : new String[] {"ali\ud800ce", "\udc00alice", "alice\ud83d", "\ude00\ud83d"}) {
      assertThatThrownBy(() -> issuer.issue(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("subject must not contain unpaired surrogates");
      assertThatThrownBy(() -> issuer.issue("alice", Map.of("k", bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("attribute names and values must not contain unpaired surrogates");
      assertThatThrownBy(() -> issuer.issue("alice", Map.of(bad, "v"))).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("attribute names and values must not contain unpaired surrogates");
    }
    IssuedToken ok = issuer.issue("al\ud83d\ude00ce", Map.of("\ud83d\ude00", "\udbff\udfff"));
    assertThat(ok.subject()).isEqualTo("al\ud83d\ude00ce");
  }

  @Test
  void issue_nothingSavedWhenValidationFails() {
    // A store of one entry: had the refused issue saved anything, the next issue would find the store full.
    TokenStore one = TokenStore.inMemory(clock, 1);
    TokenIssuer i = TokenIssuer.opaque(one, TokenPolicy.defaults(), clock);
    assertThatThrownBy(() -> i.issue("")).isInstanceOf(IllegalArgumentException.class);
    assertThat(i.issue("alice").value()).isNotEmpty();
  }

  @Test
  void issue_storeFull_throwsClearException() {
    TokenIssuer small = TokenIssuer.opaque(TokenStore.inMemory(clock, 2), TokenPolicy.defaults(), clock);
    small.issue("a");
    small.issue("b");
    assertThatThrownBy(() -> small.issue("c")).isInstanceOf(TokenStoreFullException.class)
        .isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessage("in-memory token store holds its maximum of 2 outstanding tokens");
  }

  @Test
  void issue_storeCollision_refusesToHandOutToken() {
    FailingTokenStore alwaysTaken = new FailingTokenStore(store);
    alwaysTaken.colliding = true;
    TokenIssuer broken = TokenIssuer.opaque(alwaysTaken, TokenPolicy.defaults(), clock);
    assertThatThrownBy(() -> broken.issue("alice")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("collision");
  }

  @Test
  void factory_rejectsNulls() {
    assertThatThrownBy(() -> TokenIssuer.opaque(null, TokenPolicy.defaults(), clock))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> TokenIssuer.opaque(store, null, clock)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> TokenIssuer.opaque(store, TokenPolicy.defaults(), null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void toString_showsPolicyOnly() {
    assertThat(issuer.toString()).startsWith("OpaqueTokenIssuer[");
  }
}
