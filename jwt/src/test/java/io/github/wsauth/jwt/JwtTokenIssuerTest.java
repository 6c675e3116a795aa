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
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.IssuedToken;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.testkit.MutableClock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
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
  void issue_tokenAtTheCredentialCap_isIssued_longerIsRefusedNamingOnlyTheLengths() throws Exception {
    TokenIssuer issuer = issuer(TestKeys.HS); // HS256 and a 128-bit jti: the length depends only on the claims
    String full = "x".repeat(1024); // attribute values are capped at 1024: two full ones, then a growing third
    int base = issuer.issue("alice", Map.of("a", full, "b", full, "c", "")).value().length();
    int n = (CredentialExtractor.MAX_CREDENTIAL_LENGTH - base) * 3 / 4 - 8;
    String longest = null;
    IllegalArgumentException refused = null;
    for (; refused == null; n++) {
      try {
        longest = issuer.issue("alice", Map.of("a", full, "b", full, "c", "v".repeat(n))).value();
      } catch (IllegalArgumentException e) {
        refused = e;
      }
    }
    assertThat(longest).as("the search starts below the cap").isNotNull();
    // base64url lengths skip 4k+1, so the longest issuable token is 4096 characters or one or two shorter
    assertThat(longest.length()).isBetween(CredentialExtractor.MAX_CREDENTIAL_LENGTH - 2,
        CredentialExtractor.MAX_CREDENTIAL_LENGTH);
    assertThat(SignedJWT.parse(longest).getJWTClaimsSet().getStringClaim("c")).hasSize(n - 2);
    assertThat(refused).hasMessageMatching("the token would be 409[7-9] characters, over the 4096-character"
        + " credential cap of every credential path: issue fewer or shorter attributes")
        .hasMessageNotContaining("vvvv").hasMessageNotContaining("alice");
    // what the attribute limits allow (32 values of 1024 characters) is far longer, and refused the same way
    Map<String, String> most = new HashMap<>();
    for (int i = 0; i < 32; i++) {
      most.put("attribute-" + i, full);
    }
    assertThatThrownBy(() -> issuer.issue("alice", most)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the token would be ").hasMessageContaining("4096-character credential cap");
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
