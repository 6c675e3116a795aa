package io.github.wsauth;

import io.github.wsauth.store.TokenStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ShapeDispatchingVerifierTest {
  private final List<String> opaqueCalls = new ArrayList<>();
  private final List<String> jwtCalls = new ArrayList<>();
  private final TokenVerifier opaque = token -> {
    opaqueCalls.add(token);
    return Verification.verified(Identity.of("opaque-user", Map.of(), Instant.EPOCH));
  };
  private final TokenVerifier jwt = token -> {
    jwtCalls.add(token);
    return Verification.rejected(RejectionReason.BAD_SIGNATURE);
  };
  private final TokenVerifier both = TokenVerifier.byShape(opaque, jwt);

  @Test
  void verify_tokenWithDots_goesToJwt() {
    Verification v = both.verify("eyJh.eyJi.c2ln");
    assertThat(((Verification.Rejected) v).reason()).isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(jwtCalls).containsExactly("eyJh.eyJi.c2ln");
    assertThat(opaqueCalls).isEmpty();
  }

  @Test
  void verify_tokenWithoutDots_goesToOpaque() {
    assertThat(both.verify("abc").isVerified()).isTrue();
    assertThat(opaqueCalls).containsExactly("abc");
    assertThat(jwtCalls).isEmpty();
  }

  @Test
  void verify_realOpaqueToken_throughByShape() {
    TestClock clock = TestClock.atStart();
    TokenStore store = TokenStore.inMemory(clock);
    IssuedToken t = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock).issue("alice");
    TokenVerifier v = TokenVerifier.byShape(TokenVerifier.opaque(store, TokenPolicy.defaults()), jwt);
    assertThat(v.verify(t.value()).verifiedIdentity().orElseThrow().subject()).isEqualTo("alice");
  }

  @Test
  void verify_null_isMalformedWithoutCallingEither() {
    assertThat(((Verification.Rejected) both.verify(null)).reason()).isEqualTo(RejectionReason.MALFORMED);
    assertThat(opaqueCalls).isEmpty();
    assertThat(jwtCalls).isEmpty();
  }

  @Test
  void factory_rejectsNulls() {
    assertThatThrownBy(() -> TokenVerifier.byShape(null, jwt)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> TokenVerifier.byShape(opaque, null)).isInstanceOf(NullPointerException.class);
  }
  @Test
  void verify_tokenWhoseFirstCharacterIsADot_goesToJwt() {
    both.verify(".eyJi.c2ln");
    assertThat(jwtCalls).containsExactly(".eyJi.c2ln");
    assertThat(opaqueCalls).isEmpty();
  }
}
