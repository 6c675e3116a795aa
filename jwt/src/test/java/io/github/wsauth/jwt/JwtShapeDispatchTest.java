package io.github.wsauth.jwt;


import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsauth.RejectionReason;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.testkit.MutableClock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link TokenVerifier#byShape}: one server accepting opaque tokens and JWTs side by side. */
class JwtShapeDispatchTest {
  private final MutableClock clock = MutableClock.at(TestJwts.NOW);
  private final TokenStore store = TokenStore.inMemory(clock);

  @Test
  void byShape_acceptsOpaqueAndJwtTokens_eachOnce() {
    TokenIssuer opaqueIssuer = TokenIssuer.opaque(store, TestJwts.SINGLE_USE, clock);
    TokenIssuer jwtIssuer = JwtTokens.issuer(TestJwts.issuerConfig(TestKeys.ED, clock, TestJwts.SINGLE_USE).build());
    TokenVerifier verifier = TokenVerifier.byShape(TokenVerifier.opaque(store, TestJwts.SINGLE_USE),
        JwtTokens.verifier(TestJwts.singleUseConfig(clock, store, TestKeys.verificationKeys()).build()));

    String opaque = opaqueIssuer.issue("alice", Map.of("k", "v")).value();
    String jwt = jwtIssuer.issue("bob", Map.of("k", "w")).value();

    assertThat(verifier.verify(opaque).verifiedIdentity()).get().satisfies(id -> {
      assertThat(id.subject()).isEqualTo("alice");
      assertThat(id.attributes()).containsEntry("k", "v");
    });
    assertThat(verifier.verify(jwt).verifiedIdentity()).get().satisfies(id -> {
      assertThat(id.subject()).isEqualTo("bob");
      assertThat(id.attributes()).containsEntry("k", "w");
    });
    // Both single-use, in the same store, without interfering.
    assertThat(verifier.verify(opaque)).isEqualTo(Verification.rejected(RejectionReason.ALREADY_USED));
    assertThat(verifier.verify(jwt)).isEqualTo(Verification.rejected(RejectionReason.ALREADY_USED));
  }
}
