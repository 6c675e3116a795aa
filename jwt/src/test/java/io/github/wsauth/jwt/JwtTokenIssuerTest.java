package io.github.wsauth.jwt;


import static io.github.wsauth.jwt.TestJwts.AUD;
import static io.github.wsauth.jwt.TestJwts.ISS;
import static io.github.wsauth.jwt.TestJwts.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.wsauth.IssuedToken;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.testkit.MutableClock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwtTokenIssuerTest {
  private final MutableClock clock = MutableClock.at(NOW.plusMillis(750));

  private TokenIssuer issuer(JWK key) {
    return JwtTokens.issuer(TestJwts.issuerConfig(key, clock, TestJwts.SINGLE_USE).build());
  }

  @Test
  void issue_writesExactlyAlgTypAndKidInTheHeader() throws Exception {
    Map<JWK, JWSAlgorithm> expected = Map.of(TestKeys.HS, JWSAlgorithm.HS256, TestKeys.EC, JWSAlgorithm.ES256,
        TestKeys.ED, JWSAlgorithm.EdDSA, TestKeys.RSA, JWSAlgorithm.RS256);
    for (Map.Entry<JWK, JWSAlgorithm> e : expected.entrySet()) {
      SignedJWT jwt = SignedJWT.parse(issuer(e.getKey()).issue("alice").value());
      assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(e.getValue());
      assertThat(jwt.getHeader().getType().getType()).isEqualTo("wsauth+jwt");
      assertThat(jwt.getHeader().getKeyID()).isEqualTo(e.getKey().getKeyID());
      assertThat(jwt.getHeader().getIncludedParams()).containsExactlyInAnyOrder("alg", "typ", "kid");
    }
  }

  @Test
  void issue_writesRegisteredClaimsInWholeSeconds() throws Exception {
    IssuedToken issued = issuer(TestKeys.EC).issue("alice", Map.of("role", "admin"));
    JWTClaimsSet c = SignedJWT.parse(issued.value()).getJWTClaimsSet();

    assertThat(c.getIssuer()).isEqualTo(ISS);
    assertThat(c.getSubject()).isEqualTo("alice");
    assertThat(c.getAudience()).containsExactly(AUD);
    assertThat(c.getIssueTime().toInstant()).isEqualTo(NOW);
    assertThat(c.getExpirationTime().toInstant()).isEqualTo(NOW.plus(TestJwts.LIFETIME));
    assertThat(c.getStringClaim("role")).isEqualTo("admin");
    assertThat(c.getClaims().keySet()).containsExactlyInAnyOrder("iss", "sub", "aud", "iat", "exp", "jti", "role");
    assertThat(issued.expiresAt()).isEqualTo(NOW.plus(TestJwts.LIFETIME));
    assertThat(issued.singleUse()).isTrue();
    assertThat(issued.subject()).isEqualTo("alice");
  }

  @Test
  void issue_jtiIs128RandomBitsAndUnique() throws Exception {
    TokenIssuer issuer = issuer(TestKeys.HS);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String jti = SignedJWT.parse(issuer.issue("alice").value()).getJWTClaimsSet().getJWTID();
      assertThat(Base64.getUrlDecoder().decode(jti)).hasSize(16);
      assertThat(seen.add(jti)).isTrue();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"iss", "sub", "aud", "exp", "nbf", "iat", "jti"})
  void issue_attributeNamedLikeARegisteredClaim_isRefused(String name) {
    assertThatThrownBy(() -> issuer(TestKeys.HS).issue("alice", Map.of(name, "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registered");
  }

  @Test
  void issue_invalidSubject_isRefused() {
    assertThatThrownBy(() -> issuer(TestKeys.HS).issue("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> issuer(TestKeys.HS).issue("a\nb")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void issue_lifetimeFromThePolicy() throws Exception {
    var policy = TestJwts.REUSABLE.toBuilder().lifetime(Duration.ofMinutes(2)).build();
    IssuedToken t = JwtTokens.issuer(TestJwts.issuerConfig(TestKeys.ED, clock, policy).build()).issue("alice");
    JWTClaimsSet c = SignedJWT.parse(t.value()).getJWTClaimsSet();
    assertThat(Duration.between(c.getIssueTime().toInstant(), c.getExpirationTime().toInstant()))
        .isEqualTo(Duration.ofMinutes(2));
    assertThat(t.singleUse()).isFalse();
  }

  @Test
  void toString_neverShowsTheTokenOrKey() {
    IssuedToken t = issuer(TestKeys.HS).issue("alice");
    assertThat(t.toString()).doesNotContain(t.value());
    assertThat(issuer(TestKeys.HS).toString()).doesNotContain(TestKeys.HS.getKeyValue().toString())
        .startsWith("JwtTokenIssuer[JwtIssuerConfig[issuer=" + TestJwts.ISS).contains("alg=HS256", "kid=hs-1");
  }
}
