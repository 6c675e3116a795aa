package io.github.wsauth.jwt;

import static io.github.wsauth.jwt.TestJwts.NOW;
import static io.github.wsauth.jwt.TestJwts.claims;
import static io.github.wsauth.jwt.TestJwts.header;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.Verification;
import io.github.wsauth.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lean path's own checks, each on an otherwise valid token signed with the right key, so that only the check
 * under test can reject it; each asserts the reason, on the lean path alone and on the production path (which
 * must agree with the Nimbus path, {@link JwtDifferentialTest}).
 */
class LeanJwsTest {
  private final MutableClock clock = MutableClock.at(NOW);
  private final JwtTokenVerifier verifier =
      (JwtTokenVerifier) JwtTokens.verifier(TestJwts.verifierConfig(clock).build());

  private static final Verification MALFORMED = Verification.rejected(RejectionReason.MALFORMED);
  private static final Verification BAD_SIGNATURE = Verification.rejected(RejectionReason.BAD_SIGNATURE);

  private static String hs256(String headerJson, String claimsJson) {
    return TestJwts.tokenFromJson(headerJson.getBytes(StandardCharsets.UTF_8),
        claimsJson.getBytes(StandardCharsets.UTF_8), TestJwts.hs256(TestKeys.HS.toByteArray()));
  }

  private static String validClaims() {
    return TestJwts.json(claims(NOW));
  }

  private void assertBoth(String token, Verification expected) {
    assertThat(verifier.verifyLeanOnly(token)).as("lean path").isEqualTo(expected);
    assertThat(verifier.verify(token)).as("production path").isEqualTo(expected);
  }

  private static RejectionReason reason(Verification v) {
    return ((Verification.Rejected) v).reason();
  }

  @Test
  void validHs256Token_isVerifiedOnTheLeanPath() {
    String token = hs256("{\"alg\":\"HS256\",\"typ\":\"wsauth+jwt\",\"kid\":\"hs-1\"}", validClaims());
    assertThat(verifier.verifyLeanOnly(token).isVerified()).isTrue();
  }

  @Test
  void duplicateHeaderParameter_isMalformed() {
    String claims = validClaims();
    assertBoth(hs256("{\"alg\":\"HS256\",\"typ\":\"wsauth+jwt\",\"typ\":\"wsauth+jwt\",\"kid\":\"hs-1\"}", claims),
        MALFORMED);
    assertBoth(hs256("{\"alg\":\"HS256\",\"alg\":\"HS256\",\"typ\":\"wsauth+jwt\",\"kid\":\"hs-1\"}", claims),
        MALFORMED);
  }

  @Test
  void typOrKidNotAString_isMalformed() {
    String claims = validClaims();
    assertBoth(hs256("{\"alg\":\"HS256\",\"typ\":1,\"kid\":\"hs-1\"}", claims), MALFORMED);
    assertBoth(hs256("{\"alg\":\"HS256\",\"typ\":\"wsauth+jwt\",\"kid\":1}", claims), MALFORMED);
  }

  @Test
  void typ_isComparedAsNimbusDoes() {
    String claims = validClaims();
    for (String ours : new String[] {"WSAUTH+JWT", "application/wsauth+jwt", "Application/WSauth+jwt"}) {
      String token = hs256("{\"alg\":\"HS256\",\"typ\":\"" + ours + "\",\"kid\":\"hs-1\"}", claims);
      assertThat(verifier.verifyLeanOnly(token).isVerified()).as(ours).isTrue();
    }
    // A long s (U+017F) equals "s" ignoring case, but Nimbus's hash of the lower-case string tells it apart.
    for (String other : new String[] {"w\u017fauth+jwt", "application/w\u017fauth+jwt", "jwt"}) {
      String token = hs256("{\"alg\":\"HS256\",\"typ\":\"" + other + "\",\"kid\":\"hs-1\"}", claims);
      assertThat(reason(verifier.verifyLeanOnly(token))).as(other).isEqualTo(RejectionReason.INVALID_CLAIMS);
      assertThat(verifier.verify(token)).as(other).isEqualTo(verifier.verifyWithNimbus(token));
    }
  }

  @Test
  void duplicateUnregisteredClaim_isMalformed() {
    String claims = validClaims();
    String dup = claims.substring(0, claims.length() - 1) + ",\"x\":\"1\",\"x\":\"2\"}";
    assertBoth(hs256("{\"alg\":\"HS256\",\"typ\":\"wsauth+jwt\",\"kid\":\"hs-1\"}", dup), MALFORMED);
    String once = claims.substring(0, claims.length() - 1) + ",\"x\":\"1\",\"y\":\"2\"}";
    assertThat(verifier.verifyLeanOnly(hs256("{\"alg\":\"HS256\",\"typ\":\"wsauth+jwt\",\"kid\":\"hs-1\"}", once))
        .isVerified()).isTrue();
  }

  @Test
  void signatureOfAWholeNumberOfQuads_isABadSignature() {
    // 44 characters (33 bytes): a signature segment whose length is a multiple of 4 is decoded in full.
    String token = TestJwts.hs256Token(claims(NOW));
    String sig44 = token.substring(0, token.lastIndexOf('.') + 1) + "A".repeat(44);
    assertBoth(sig44, BAD_SIGNATURE);
  }

  @Test
  void rs256_badSignature_isRefused() {
    String token = TestJwts.token(header("RS256", "rsa-1"), claims(NOW), TestJwts.signingFor(JWSAlgorithm.RS256));
    assertThat(verifier.verifyLeanOnly(token).isVerified()).isTrue();
    int mid = token.lastIndexOf('.') + 20;
    char c = token.charAt(mid);
    String flipped = token.substring(0, mid) + (c == 'A' ? 'B' : 'A') + token.substring(mid + 1);
    assertBoth(flipped, BAD_SIGNATURE);
  }

  @Test
  void es256_isVerifiedOnTheLeanPath_andAnotherKeysSignatureIsRefused() throws Exception {
    String token = TestJwts.token(header("ES256", "ec-1"), claims(NOW), TestJwts.signingFor(JWSAlgorithm.ES256));
    assertThat(verifier.verifyLeanOnly(token).isVerified()).isTrue();
    // A well-formed signature (r and s in range) by another key with the same kid.
    ECKey other = TestKeys.ec("ec-1");
    String forged = TestJwts.token(header("ES256", "ec-1"), claims(NOW), TestJwts.es256(other));
    assertBoth(forged, BAD_SIGNATURE);
  }

  private JwtTokenVerifier verifierWithKeySource(JWKSource<SecurityContext> source) {
    return (JwtTokenVerifier) JwtTokens.verifier(JwtVerifierConfig.builder().issuer(TestJwts.ISS)
        .audience(TestJwts.AUD).algorithms(JWSAlgorithm.HS256).keySource(source).policy(TestJwts.REUSABLE)
        .clock(clock).build());
  }

  @Test
  void keySourceFailure_isABadSignature_onBothPaths() {
    JwtTokenVerifier failing = verifierWithKeySource((selector, context) -> {
      throw new KeySourceException("unreachable");
    });
    String token = TestJwts.hs256Token(claims(NOW));
    assertThat(failing.verifyLeanOnly(token)).isEqualTo(BAD_SIGNATURE);
    assertThat(failing.verifyWithNimbus(token)).isEqualTo(BAD_SIGNATURE);
  }

  @Test
  void keySourceThrowingARuntimeException_isMalformed_onBothPaths() {
    JwtTokenVerifier failing = verifierWithKeySource((selector, context) -> {
      throw new IllegalStateException("broken source");
    });
    String token = TestJwts.hs256Token(claims(NOW));
    assertThat(failing.verifyLeanOnly(token)).isEqualTo(MALFORMED);
    assertThat(failing.verifyWithNimbus(token)).isEqualTo(MALFORMED);
  }

  @Test
  void tokenOfExactlyTheCap_isReadByEachPath() {
    Map<String, Object> padded = claims(NOW);
    padded.put("pad", "x".repeat(200)); // above the smallest cap allowed (256)
    String token = TestJwts.hs256Token(padded);
    JwtTokenVerifier capped = (JwtTokenVerifier) JwtTokens.verifier(
        TestJwts.verifierConfig(clock).maxTokenLength(token.length()).build());
    assertThat(capped.verifyLeanOnly(token).isVerified()).isTrue();
    assertThat(capped.verifyWithNimbus(token).isVerified()).isTrue();
    JwtTokenVerifier tight = (JwtTokenVerifier) JwtTokens.verifier(
        TestJwts.verifierConfig(clock).maxTokenLength(token.length() - 1).build());
    assertThat(tight.verifyLeanOnly(token)).isEqualTo(MALFORMED);
    assertThat(tight.verifyWithNimbus(token)).isEqualTo(MALFORMED);
  }

  @Test
  void typWithTheHashOfOurType_isRefused() {
    // "wsauth+i\u0096t" has the hash of "wsauth+jwt" ('j' - 1, 'w' + 31): only the comparison tells them apart.
    String claims = validClaims();
    for (String other : new String[] {"wsauth+i\u0096t", "application/wsauth+i\u0096t"}) {
      assertThat(other.toLowerCase().hashCode() == "wsauth+jwt".hashCode()
          || other.toLowerCase().hashCode() == "application/wsauth+jwt".hashCode()).isTrue();
      String token = hs256("{\"alg\":\"HS256\",\"typ\":\"" + other + "\",\"kid\":\"hs-1\"}", claims);
      assertThat(reason(verifier.verifyLeanOnly(token))).as(other).isEqualTo(RejectionReason.INVALID_CLAIMS);
      assertThat(verifier.verify(token)).as(other).isEqualTo(verifier.verifyWithNimbus(token));
    }
  }

  @Test
  void kidNotAString_isMalformed_beforeTheTypIsLookedAt() {
    assertBoth(hs256("{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":1}", validClaims()), MALFORMED);
  }

  @Test
  void algOutsideTheAllowList_isABadSignature_evenWithItsKeyInTheSet() {
    JwtTokenVerifier es256Only = (JwtTokenVerifier) JwtTokens.verifier(
        TestJwts.verifierConfig(clock).algorithms(JWSAlgorithm.ES256).build());
    String token = TestJwts.hs256Token(claims(NOW));
    assertThat(verifier.verifyLeanOnly(token).isVerified()).isTrue();
    assertThat(es256Only.verifyLeanOnly(token)).isEqualTo(BAD_SIGNATURE);
    assertThat(es256Only.verify(token)).isEqualTo(BAD_SIGNATURE);
    String hs384 = hs256("{\"alg\":\"HS384\",\"typ\":\"wsauth+jwt\",\"kid\":\"hs-1\"}", validClaims());
    assertThat(verifier.verifyLeanOnly(hs384)).isEqualTo(BAD_SIGNATURE);
  }

  @Test
  void es256SignatureOutOfRangeOrOfTheWrongLength_isRefused() {
    String token = TestJwts.token(header("ES256", "ec-1"), claims(NOW), TestJwts.signingFor(JWSAlgorithm.ES256));
    String input = token.substring(0, token.lastIndexOf('.') + 1);
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    byte[] sig = java.util.Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
    byte[] zeroR = sig.clone();
    java.util.Arrays.fill(zeroR, 0, 32, (byte) 0);
    byte[] maxS = sig.clone();
    java.util.Arrays.fill(maxS, 32, 64, (byte) 0xff); // s above the group order
    for (byte[] bad : new byte[][] {new byte[64], zeroR, maxS, java.util.Arrays.copyOf(sig, 63),
        java.util.Arrays.copyOf(sig, 65), java.util.Arrays.copyOf(sig, 96)}) {
      assertBoth(input + b64.encodeToString(bad), BAD_SIGNATURE);
    }
  }
}
