package io.github.wsauth.jwt;

import static io.github.wsauth.jwt.TestJwts.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.wsauth.Identity;
import io.github.wsauth.IssuedToken;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.testkit.MutableClock;
import org.junit.jupiter.api.Test;

class JwtKeysTest {
  private final MutableClock clock = MutableClock.at(NOW);

  @Test
  void generateEc256_isAPrivateP256KeyWithItsId_thatSignsEs256TokensItsPublicPartVerifies() throws Exception {
    ECKey key = JwtKeys.generateEc256("2030-01");
    assertThat(key.getCurve()).isEqualTo(Curve.P_256);
    assertThat(key.getKeyID()).isEqualTo("2030-01");
    assertThat(key.isPrivate()).isTrue();
    assertThat(JwtKeys.generateEc256("2030-01").toPublicJWK()).isNotEqualTo(key.toPublicJWK());

    TokenIssuer issuer = JwtTokens.issuer(TestJwts.issuerConfig(key, clock, TestJwts.REUSABLE).build());
    IssuedToken token = issuer.issue("alice");
    assertThat(SignedJWT.parse(token.value()).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    TokenVerifier verifier = JwtTokens.verifier(JwtVerifierConfig.builder().issuer(TestJwts.ISS)
        .audience(TestJwts.AUD).policy(TestJwts.REUSABLE).clock(clock).algorithms(JWSAlgorithm.ES256)
        .keys(new JWKSet(key.toPublicJWK())).build());
    assertThat(verifier.verify(token.value()).verifiedIdentity().map(Identity::subject)).contains("alice");
  }

  @Test
  void generateEc256_withoutKeyId_isRefused() {
    assertThatThrownBy(() -> JwtKeys.generateEc256("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key id must not be empty");
    assertThatThrownBy(() -> JwtKeys.generateEc256(null)).isInstanceOf(NullPointerException.class);
  }
}
