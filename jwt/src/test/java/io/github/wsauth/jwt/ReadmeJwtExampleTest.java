package io.github.wsauth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import io.github.wsauth.Identity;
import io.github.wsauth.IssuedToken;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.store.TokenStore;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The README's JWT example, compiled and run (moved from core's ReadmeExampleTest with the JWT support). */
class ReadmeJwtExampleTest {

  @Test
  void readmeJwt_issueThenVerify_acceptsOnceThenRejectsReplay() throws Exception {
    Clock clock = Clock.systemUTC();
    TokenStore store = TokenStore.inMemory(clock);
    ECKey ecKey = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();

    // --- README: JWT ---
    TokenIssuer issuer = JwtTokens.issuer(JwtIssuerConfig.builder()
        .signingKey(ecKey).issuer("https://app.example").audience("wss://ws.example")
        .policy(TokenPolicy.defaults()).clock(clock).build());
    IssuedToken token = issuer.issue("alice");

    TokenVerifier verifier = JwtTokens.verifier(JwtVerifierConfig.builder()
        .issuer("https://app.example").audience("wss://ws.example")
        .algorithms(JWSAlgorithm.ES256)
        .keys(new JWKSet(ecKey.toPublicJWK()))
        .policy(TokenPolicy.defaults()).store(store)
        .clock(clock).build());
    // --- end ---

    assertThat(verifier.verify(token.value()).verifiedIdentity().map(Identity::subject)).contains("alice");
    assertThat(verifier.verify(token.value()))
        .isEqualTo(Verification.rejected(RejectionReason.ALREADY_USED));
  }
}
