package io.github.wsauth.jwt;

import static io.github.wsauth.jwt.TestJwts.AUD;
import static io.github.wsauth.jwt.TestJwts.ISS;
import static io.github.wsauth.jwt.TestJwts.LIFETIME;
import static io.github.wsauth.jwt.TestJwts.NOW;
import static io.github.wsauth.jwt.TestJwts.SKEW;
import static io.github.wsauth.jwt.TestJwts.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jwt.JWTClaimsSet;

import io.github.wsauth.RejectionReason;
import io.github.wsauth.testkit.MutableClock;

/**
 * The claims checks one by one, each on otherwise valid claims, asserting which check fired (its message): the
 * end-to-end tests in {@link JwtTokenVerifierTest} see only the {@link RejectionReason}, which several checks share.
 */
class ClockClaimsVerifierTest {
  private final ClockClaimsVerifier verifier = new ClockClaimsVerifier(ISS, AUD, LIFETIME, SKEW, MutableClock.at(NOW));

  /**
   * The claims as given, with no normalisation (Nimbus's parser would turn a numeric {@code sub} into a string or
   * refuse a numeric {@code aud}): the checks must hold whatever a claims set holds. Dates become {@link Date}s.
   */
  private static JWTClaimsSet raw(Map<String, Object> claims) {
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
    claims.forEach((name, value) -> b.claim(name, List.of("iat", "exp", "nbf").contains(name)
        ? new Date(((Number) value).longValue() * 1000) : value));
    return b.build();
  }

  private void assertRejected(Map<String, Object> claims, String message) throws Exception {
    JWTClaimsSet set = raw(claims);
    assertThatThrownBy(() -> verifier.verify(set, null)).isInstanceOf(JwtRejection.class).hasMessage(message)
        .satisfies(e -> assertThat(((JwtRejection) e).reason()).isEqualTo(RejectionReason.INVALID_CLAIMS));
  }

  @Test
  void verify_validClaims_passes() throws Exception {
    JWTClaimsSet set = raw(claims(NOW));
    assertThatCode(() -> verifier.verify(set, null)).doesNotThrowAnyException();
  }

  @Test
  void verify_jtiOf255Characters_passes_256_isOversized() throws Exception {
    Map<String, Object> c = claims(NOW);
    c.put("jti", "j".repeat(ClockClaimsVerifier.MAX_JTI_LENGTH));
    JWTClaimsSet set = raw(c);
    assertThatCode(() -> verifier.verify(set, null)).doesNotThrowAnyException();
    c.put("jti", "j".repeat(ClockClaimsVerifier.MAX_JTI_LENGTH + 1));
    assertRejected(c, "missing or oversized jti");
  }

  @Test
  void verify_subjectOf256Characters_passes_257_isOversized() throws Exception {
    Map<String, Object> c = claims(NOW);
    c.put("sub", "s".repeat(256));
    JWTClaimsSet set = raw(c);
    assertThatCode(() -> verifier.verify(set, null)).doesNotThrowAnyException();
    c.put("sub", "s".repeat(257));
    assertRejected(c, "oversized subject");
  }

  @Test
  void verify_missingIssuer_isAnIssuerMismatch() throws Exception {
    Map<String, Object> c = claims(NOW);
    c.remove("iss");
    assertRejected(c, "issuer mismatch");
  }

  @Test
  void verify_nonStringSubjectOrIssuer_isNotAString() throws Exception {
    Map<String, Object> c = claims(NOW);
    c.put("sub", 42);
    assertRejected(c, "sub is not a string");
    c = claims(NOW);
    c.put("iss", List.of(ISS));
    assertRejected(c, "iss is not a string");
  }

  @Test
  void verify_audience_eachShapeHasItsMessage() throws Exception {
    Map<String, Object> c = claims(NOW);
    c.remove("aud");
    assertRejected(c, "audience mismatch");
    c.put("aud", 42);
    assertRejected(c, "aud is neither a string nor an array");
    c.put("aud", Map.of("a", AUD));
    assertRejected(c, "aud is neither a string nor an array");
    c.put("aud", List.of(AUD, 42));
    assertRejected(c, "aud holds a non-string");
    c.put("aud", List.of());
    assertRejected(c, "audience mismatch");
  }

  @Test
  void verify_iatNotADate_isNotANumericDate() throws Exception {
    JWTClaimsSet set = new JWTClaimsSet.Builder(raw(claims(NOW))).claim("iat", "yesterday").build();
    assertThatThrownBy(() -> verifier.verify(set, null)).isInstanceOf(JwtRejection.class)
        .hasMessage("iat is not a NumericDate");
  }

  @Test
  void verify_missingIatOrExp_isMissingNotMistyped() throws Exception {
    Map<String, Object> c = claims(NOW);
    c.remove("iat");
    assertRejected(c, "missing iat or exp");
    c = claims(NOW);
    c.remove("exp");
    assertRejected(c, "missing iat or exp");
  }
}
