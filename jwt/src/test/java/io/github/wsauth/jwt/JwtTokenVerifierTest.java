package io.github.wsauth.jwt;


import static io.github.wsauth.jwt.TestJwts.AUD;
import static io.github.wsauth.jwt.TestJwts.ISS;
import static io.github.wsauth.jwt.TestJwts.NOW;
import static io.github.wsauth.jwt.TestJwts.claims;
import static io.github.wsauth.jwt.TestJwts.header;
import static io.github.wsauth.jwt.TestJwts.hs256;
import static io.github.wsauth.jwt.TestJwts.hs256Token;
import static io.github.wsauth.jwt.TestJwts.token;
import static io.github.wsauth.jwt.TestJwts.tokenFromJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import io.github.wsauth.AuthDecision;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.UpgradeRequest;
import io.github.wsauth.Verification;
import io.github.wsauth.testkit.MutableClock;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per attack on the verifier (RFC 8725), with hand-forged tokens and a fixed clock. Header attacks
 * that involve fetching ({@code jku}, {@code x5u}) are in {@link JwtRemoteKeysTest}.
 */
class JwtTokenVerifierTest {
  private final MutableClock clock = MutableClock.at(NOW);
  private TokenVerifier verifier;

  @BeforeEach
  void setUp() {
    // Every attack below is asked of both paths, which must agree (JwtDifferentialTest).
    verifier = new DifferentialVerifier(JwtTokens.verifier(TestJwts.verifierConfig(clock).build()));
  }

  private RejectionReason rejection(String token) {
    Verification v = verifier.verify(token);
    assertThat(v).isInstanceOf(Verification.Rejected.class);
    return ((Verification.Rejected) v).reason();
  }

  // ---- good paths -------------------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"HS256", "ES256", "EdDSA", "RS256"})
  void verify_issuedToken_isVerifiedForEachAlgorithm(String alg) {
    var key = Map.of("HS256", TestKeys.HS, "ES256", TestKeys.EC, "EdDSA", TestKeys.ED, "RS256", TestKeys.RSA)
        .get(alg);
    TokenIssuer issuer = JwtTokens.issuer(TestJwts.issuerConfig(key, clock, TestJwts.REUSABLE).build());

    String token = issuer.issue("alice", Map.of("role", "admin")).value();
    Verification v = verifier.verify(token);

    assertThat(v.verifiedIdentity()).get().satisfies(id -> {
      assertThat(id.subject()).isEqualTo("alice");
      assertThat(id.attributes()).containsExactly(Map.entry("role", "admin"));
      assertThat(id.expiresAt()).isEqualTo(NOW.plus(TestJwts.LIFETIME));
      assertThat(id.source()).isEmpty();
    });
  }

  @Test
  void verify_handForgedValidToken_isVerified() {
    // The baseline every attack below deviates from in exactly one way.
    assertThat(verifier.verify(hs256Token(claims(NOW))).isVerified()).isTrue();
  }

  @Test
  void verify_audienceAsSingleElementArray_isVerified() {
    Map<String, Object> c = claims(NOW);
    c.put("aud", List.of(AUD));
    assertThat(verifier.verify(hs256Token(c)).isVerified()).isTrue();
  }

  @Test
  void verify_typWithApplicationPrefixOrOtherCase_isVerified() {
    for (String typ : List.of("application/wsauth+jwt", "WSAUTH+JWT")) {
      Map<String, Object> h = header("HS256", "hs-1");
      h.put("typ", typ);
      assertThat(verifier.verify(token(h, claims(NOW), hs256(TestKeys.HS.toByteArray()))).isVerified())
          .as(typ).isTrue();
    }
  }

  @Test
  void verify_nonStringCustomClaims_areNotAttributes() {
    Map<String, Object> c = claims(NOW);
    c.put("role", "admin");
    c.put("level", 3);
    c.put("tags", List.of("a"));
    Identity id = verifier.verify(hs256Token(c)).verifiedIdentity().orElseThrow();
    assertThat(id.attributes()).containsExactly(Map.entry("role", "admin"));
  }

  // ---- algorithm attacks ------------------------------------------------------------------------------------

  @Test
  void verify_algNone_isBadSignature() {
    // Exactly "none": Nimbus parses an unsecured JWT, which the processor refuses.
    String unsecured = TestJwts.b64(TestJwts.json(header("none", "hs-1"))) + "."
        + TestJwts.b64(TestJwts.json(claims(NOW))) + ".";
    assertThat(rejection(unsecured)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"None", "NONE", "nOnE"})
  void verify_algNoneInOtherCasingsWithEmptySignature_isMalformed(String none) {
    // Other casings are JWS algorithm names Nimbus does not know; a JWS with an empty signature does not parse.
    String unsecured = TestJwts.b64(TestJwts.json(header(none, "hs-1"))) + "."
        + TestJwts.b64(TestJwts.json(claims(NOW))) + ".";
    assertThat(rejection(unsecured)).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void verify_algNoneWithAValidHmacAttached_isMalformed() {
    // An unsecured JWT with a third part does not parse.
    String forged = token(header("none", "hs-1"), claims(NOW), hs256(TestKeys.HS.toByteArray()));
    assertThat(rejection(forged)).isEqualTo(RejectionReason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"None", "NONE", "nOnE"})
  void verify_algNoneInOtherCasingsWithAValidHmacAttached_isBadSignature(String none) {
    // The HMAC is right for the bytes, but an algorithm outside the allow-list never selects a key.
    String forged = token(header(none, "hs-1"), claims(NOW), hs256(TestKeys.HS.toByteArray()));
    assertThat(rejection(forged)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_hs512WithTheSharedSecret_isBadSignature() {
    String t = token(header("HS512", "hs-1"), claims(NOW), TestJwts.hmac("HmacSHA512", TestKeys.HS.toByteArray()));
    assertThat(rejection(t)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_rs384WithTheRsaKey_isBadSignature() {
    String t = token(header("RS384", "rsa-1"), claims(NOW), TestJwts.rs("SHA384withRSA", TestKeys.RSA));
    assertThat(rejection(t)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_lowerCaseAlgName_isBadSignature() {
    String t = token(header("hs256", "hs-1"), claims(NOW), hs256(TestKeys.HS.toByteArray()));
    assertThat(rejection(t)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_validTokenOfAnAlgorithmOutsideTheAllowList_isBadSignature() {
    TokenVerifier esOnly = JwtTokens.verifier(TestJwts.verifierConfig(clock).algorithms(JWSAlgorithm.ES256).build());
    assertThat(esOnly.verify(hs256Token(claims(NOW))).verifiedIdentity()).isEmpty();
    assertThat(((Verification.Rejected) esOnly.verify(hs256Token(claims(NOW)))).reason())
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_hs256SignedWithRsaPublicKeyBytes_isBadSignature() throws Exception {
    assertConfusionRejected("rsa-1", publicKeyEncodings(TestKeys.RSA.toRSAPublicKey().getEncoded(),
        TestKeys.RSA.toPublicJWK().toJSONString()));
  }

  @Test
  void verify_hs256SignedWithEcPublicKeyBytes_isBadSignature() throws Exception {
    assertConfusionRejected("ec-1", publicKeyEncodings(TestKeys.EC.toECPublicKey().getEncoded(),
        TestKeys.EC.toPublicJWK().toJSONString()));
  }

  /** DER, PEM (with and without a final newline) and JWK JSON: what confusion exploits have used as the secret. */
  private static List<byte[]> publicKeyEncodings(byte[] der, String jwkJson) {
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END PUBLIC KEY-----";
    return List.of(der, pem.getBytes(StandardCharsets.US_ASCII), (pem + "\n").getBytes(StandardCharsets.US_ASCII),
        jwkJson.getBytes(StandardCharsets.UTF_8));
  }

  private void assertConfusionRejected(String kid, List<byte[]> secrets) {
    // Both with HS256 in the allow-list (the key type binding stops it) and without (the allow-list stops it).
    TokenVerifier asymmetricOnly = JwtTokens.verifier(TestJwts.verifierConfig(clock)
        .algorithms(JWSAlgorithm.RS256, JWSAlgorithm.ES256).build());
    for (byte[] secret : secrets) {
      String forged = token(header("HS256", kid), claims(NOW), hs256(secret));
      assertThat(rejection(forged)).isEqualTo(RejectionReason.BAD_SIGNATURE);
      assertThat(asymmetricOnly.verify(forged).isVerified()).isFalse();
    }
  }

  @Test
  void verify_tokenSignedByAnotherKeyUnderAKnownKid_isBadSignature() {
    ECKey other = TestKeys.ec("ec-1");
    OctetKeyPair otherEd = JwtKeys.generateEd25519("ed-1");
    assertThat(rejection(token(header("ES256", "ec-1"), claims(NOW), TestJwts.es256(other))))
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(rejection(token(header("EdDSA", "ed-1"), claims(NOW), TestJwts.ed25519(otherEd))))
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(rejection(token(header("HS256", "hs-1"), claims(NOW), hs256(TestKeys.oct("x").toByteArray()))))
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_tokenSignedByTheRightKeyUnderAnotherAlgorithmsKid_isBadSignature() {
    // ES256 header naming the Ed25519 key's kid: the kid exists, but not among keys bound to ES256.
    String t = token(header("ES256", "ed-1"), claims(NOW), TestJwts.es256(TestKeys.EC));
    assertThat(rejection(t)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  // ---- header attacks ---------------------------------------------------------------------------------------

  @Test
  void verify_embeddedJwkOfTheAttacker_isBadSignature() {
    ECKey attacker = TestKeys.ec("attacker");
    Map<String, Object> h = header("ES256", "attacker");
    h.put("jwk", attacker.toPublicJWK().toJSONObject());
    assertThat(rejection(token(h, claims(NOW), TestJwts.es256(attacker)))).isEqualTo(RejectionReason.BAD_SIGNATURE);

    // Same, naming a known kid: the embedded key must not be used instead of the configured one.
    h.put("kid", "ec-1");
    assertThat(rejection(token(h, claims(NOW), TestJwts.es256(attacker)))).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_embeddedJwkEvenWithAValidSignature_isBadSignature() {
    // Our issuer never embeds keys; a header that does is refused outright rather than ignored.
    Map<String, Object> h = header("ES256", "ec-1");
    h.put("jwk", TestKeys.EC.toPublicJWK().toJSONObject());
    assertThat(rejection(token(h, claims(NOW), TestJwts.es256(TestKeys.EC))))
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_embeddedX5c_isBadSignature() {
    Map<String, Object> h = header("ES256", "ec-1");
    h.put("x5c", List.of(TestJwts.b64("not really a certificate").replace('-', '+').replace('_', '/') + "=="));
    String t = token(h, claims(NOW), TestJwts.es256(TestKeys.EC));
    assertThat(rejection(t)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_unknownKid_isBadSignature() {
    String t = token(header("HS256", "hs-9"), claims(NOW), hs256(TestKeys.HS.toByteArray()));
    assertThat(rejection(t)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_missingKid_isBadSignature() {
    String t = token(header("HS256", null), claims(NOW), hs256(TestKeys.HS.toByteArray()));
    assertThat(rejection(t)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_critHeader_isBadSignature() {
    Map<String, Object> h = header("HS256", "hs-1");
    h.put("crit", List.of("wsauth-ext"));
    h.put("wsauth-ext", true);
    assertThat(rejection(token(h, claims(NOW), hs256(TestKeys.HS.toByteArray()))))
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_unencodedPayloadHeader_isBadSignature() {
    Map<String, Object> h = header("HS256", "hs-1");
    h.put("b64", false);
    h.put("crit", List.of("b64"));
    assertThat(rejection(token(h, claims(NOW), hs256(TestKeys.HS.toByteArray()))))
        .isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"JWT", "at+jwt", "wsauth+jwt2", "application/jwt", ""})
  void verify_wrongTyp_isInvalidClaims(String typ) {
    Map<String, Object> h = header("HS256", "hs-1");
    h.put("typ", typ);
    assertThat(rejection(token(h, claims(NOW), hs256(TestKeys.HS.toByteArray()))))
        .isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void verify_missingTyp_isInvalidClaims() {
    Map<String, Object> h = header("HS256", "hs-1");
    h.remove("typ");
    assertThat(rejection(token(h, claims(NOW), hs256(TestKeys.HS.toByteArray()))))
        .isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  // ---- claims -----------------------------------------------------------------------------------------------

  @Test
  void verify_wrongIssuer_isInvalidClaims() {
    Map<String, Object> c = claims(NOW);
    c.put("iss", ISS + "/");
    assertThat(rejection(hs256Token(c))).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void verify_missingIssuer_isInvalidClaims() {
    Map<String, Object> c = claims(NOW);
    c.remove("iss");
    assertThat(rejection(hs256Token(c))).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void verify_wrongAudience_isInvalidClaims() {
    Map<String, Object> c = claims(NOW);
    c.put("aud", "wss://other.example.com");
    assertThat(rejection(hs256Token(c))).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void verify_wrongAudience_saysWhichClaim_withoutItsValue() {
    Map<String, Object> c = claims(NOW);
    c.put("aud", "wss://other.example.com");
    Verification v = verifier.verify(hs256Token(c));
    assertThat(v).isEqualTo(Verification.rejected(RejectionReason.INVALID_CLAIMS,
        "invalid token claims (audience mismatch)"));
    assertThat(v.toString()).doesNotContain("other.example").doesNotContain(AUD);
    Map<String, Object> i = claims(NOW);
    i.put("iss", ISS + "/");
    assertThat(((Verification.Rejected) verifier.verify(hs256Token(i))).detail())
        .isEqualTo("invalid token claims (issuer mismatch)");
    Map<String, Object> h = header("HS256", "hs-1");
    h.put("typ", "JWT");
    assertThat(((Verification.Rejected) verifier.verify(token(h, claims(NOW), hs256(TestKeys.HS.toByteArray()))))
        .detail()).isEqualTo("invalid token claims (unexpected typ)");
  }

  @Test
  void verify_wrongAudience_handshakeRejectionNamesTheClaim() {
    Map<String, Object> c = claims(NOW);
    c.put("aud", "wss://other.example.com");
    HandshakeAuthenticator auth = HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
        .verifier(verifier).originPolicy(OriginPolicy.anyOrigin()).build();
    AuthDecision d = auth.authenticate(UpgradeRequest.builder().requestTarget("/ws")
        .header("Authorization", "Bearer " + hs256Token(c)).build());
    assertThat(d).isInstanceOfSatisfying(AuthDecision.Rejected.class, r -> {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.reason()).isEqualTo("invalid token claims (audience mismatch)");
    });
  }

  @Test
  void verify_expired_keepsThePlainDescription() {
    Map<String, Object> c = claims(NOW.minusSeconds(3600));
    assertThat(verifier.verify(hs256Token(c))).isEqualTo(Verification.rejected(RejectionReason.EXPIRED));
  }

  @Test
  void verify_missingAudience_isInvalidClaims() {
    Map<String, Object> c = claims(NOW);
    c.remove("aud");
    assertThat(rejection(hs256Token(c))).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void verify_audienceArrayWithExtraAudiences_isInvalidClaims() {
    // Documented choice: a token addressed to other services too could be replayed there; it is refused.
    Map<String, Object> c = claims(NOW);
    c.put("aud", List.of(AUD, "wss://other.example.com"));
    assertThat(rejection(hs256Token(c))).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"exp", "iat", "jti", "sub"})
  void verify_missingRequiredClaim_isInvalidClaims(String claim) {
    Map<String, Object> c = claims(NOW);
    c.remove(claim);
    assertThat(rejection(hs256Token(c))).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jti", "sub"})
  void verify_emptyRequiredStringClaim_isInvalidClaims(String claim) {
    Map<String, Object> c = claims(NOW);
    c.put(claim, "");
    assertThat(rejection(hs256Token(c))).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void verify_subjectOfWhatIssuersAccept_isVerified_oneLongerIsAnInvalidClaim_neverAnException() {
    Map<String, Object> c = claims(NOW);
    c.put("sub", "s".repeat(256));
    Verification v = verifier.verify(hs256Token(c));
    assertThat(v).isInstanceOfSatisfying(Verification.Verified.class,
        ok -> assertThat(ok.identity().subject()).isEqualTo("s".repeat(256)));
    c.put("sub", "s".repeat(257));
    assertThat(verifier.verify(hs256Token(c)))
        .isEqualTo(Verification.rejected(RejectionReason.INVALID_CLAIMS, "invalid token claims (oversized subject)"));
  }

  @Test
  void verify_expiredBeyondSkew_isExpired() {
    String t = hs256Token(claims(NOW));
    clock.set(NOW.plus(TestJwts.LIFETIME).plus(TestJwts.SKEW).plusMillis(1));
    assertThat(rejection(t)).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void verify_expiredWithinSkew_isVerified() {
    String t = hs256Token(claims(NOW));
    clock.set(NOW.plus(TestJwts.LIFETIME).plus(TestJwts.SKEW));
    assertThat(verifier.verify(t).isVerified()).isTrue();
  }

  @Test
  void verify_issuedInTheFutureBeyondSkew_isInvalidClaims() {
    String t = hs256Token(claims(NOW.plus(TestJwts.SKEW).plusSeconds(1)));
    assertThat(rejection(t)).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void verify_issuedInTheFutureWithinSkew_isVerified() {
    assertThat(verifier.verify(hs256Token(claims(NOW.plus(TestJwts.SKEW)))).isVerified()).isTrue();
  }

  @Test
  void verify_lifetimeAboveThePolicy_isInvalidClaims() {
    Map<String, Object> c = claims(NOW);
    c.put("exp", NOW.plus(TestJwts.LIFETIME).plusSeconds(1).getEpochSecond());
    assertThat(rejection(hs256Token(c))).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void verify_expNotAfterIat_isInvalidClaims() {
    Map<String, Object> c = claims(NOW);
    c.put("exp", NOW.getEpochSecond());
    assertThat(rejection(hs256Token(c))).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void verify_notBeforeInTheFuture_isInvalidClaims() {
    Map<String, Object> c = claims(NOW);
    c.put("nbf", NOW.plusSeconds(30).getEpochSecond());
    assertThat(rejection(hs256Token(c))).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void verify_notBeforeAtNowPlusSkew_isVerified_oneSecondLaterIsNotYetValid() {
    Map<String, Object> c = claims(NOW);
    c.put("nbf", NOW.plus(TestJwts.SKEW).getEpochSecond());
    assertThat(verifier.verify(hs256Token(c)).isVerified()).isTrue();
    c.put("nbf", NOW.plus(TestJwts.SKEW).plusSeconds(1).getEpochSecond());
    assertThat(verifier.verify(hs256Token(c)))
        .isEqualTo(Verification.rejected(RejectionReason.INVALID_CLAIMS, "invalid token claims (not yet valid)"));
  }

  @Test
  void verify_expAsString_isMalformed() {
    // JWTClaimsSet.parse refuses a non-numeric NumericDate before the signature is even checked.
    Map<String, Object> c = claims(NOW);
    c.put("exp", String.valueOf(NOW.plusSeconds(30).getEpochSecond()));
    assertThat(rejection(hs256Token(c))).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void verify_usesTheInjectedClockNotTheSystemClock() {
    // Issued in 2030 with a 60 s lifetime: by the system clock it is not yet valid; by ours it is.
    assertThat(verifier.verify(hs256Token(claims(NOW))).isVerified()).isTrue();
    // And a token that is fresh by the system clock is long expired by a clock set in 2040.
    clock.set(NOW.plus(Duration.ofDays(3650)));
    assertThat(rejection(hs256Token(claims(NOW)))).isEqualTo(RejectionReason.EXPIRED);
  }

  // ---- encoding and parsing ---------------------------------------------------------------------------------

  @Test
  void verify_nonUtf8BytesInPayload_isMalformed() {
    // Validly signed: only the strict UTF-8 check stands between these bytes and a U+FFFD attribute.
    for (byte[] bad : List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0xaf},
        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})) {
      byte[] payload = withBytes(TestJwts.json(claims(NOW)), "\"role\":\"", bad);
      String t = tokenFromJson(TestJwts.json(header("HS256", "hs-1")).getBytes(StandardCharsets.UTF_8), payload,
          hs256(TestKeys.HS.toByteArray()));
      assertThat(rejection(t)).isEqualTo(RejectionReason.MALFORMED);
    }
  }

  @Test
  void verify_nonUtf8BytesInHeader_isMalformed() {
    byte[] header = withBytes(TestJwts.json(header("HS256", "hs-1")), "\"x\":\"", new byte[] {(byte) 0xfe});
    String t = tokenFromJson(header, TestJwts.json(claims(NOW)).getBytes(StandardCharsets.UTF_8),
        hs256(TestKeys.HS.toByteArray()));
    assertThat(rejection(t)).isEqualTo(RejectionReason.MALFORMED);
  }

  /** The JSON object with {@code "<prefix><bad bytes>"} added as its last member. */
  private static byte[] withBytes(String json, String memberPrefix, byte[] bad) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] head = (json.substring(0, json.length() - 1) + "," + memberPrefix).getBytes(StandardCharsets.UTF_8);
    out.write(head, 0, head.length);
    out.write(bad, 0, bad.length);
    out.write('"');
    out.write('}');
    return out.toByteArray();
  }

  @Test
  void verify_duplicateClaimInPayload_isMalformed() {
    // {"sub":"alice",...,"sub":"mallory"}: parsers disagree on which wins, so neither may.
    String json = TestJwts.json(claims(NOW));
    byte[] payload = (json.substring(0, json.length() - 1) + ",\"sub\":\"mallory\"}").getBytes(StandardCharsets.UTF_8);
    String t = tokenFromJson(TestJwts.json(header("HS256", "hs-1")).getBytes(StandardCharsets.UTF_8), payload,
        hs256(TestKeys.HS.toByteArray()));
    assertThat(rejection(t)).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void verify_duplicateAlgInHeader_isMalformed() {
    String json = TestJwts.json(header("HS256", "hs-1"));
    byte[] header = (json.substring(0, json.length() - 1) + ",\"alg\":\"none\"}").getBytes(StandardCharsets.UTF_8);
    String t = tokenFromJson(header, TestJwts.json(claims(NOW)).getBytes(StandardCharsets.UTF_8),
        hs256(TestKeys.HS.toByteArray()));
    assertThat(rejection(t)).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void verify_deeplyNestedPayload_isMalformed() {
    String json = TestJwts.json(claims(NOW));
    String nested = "[".repeat(2000) + "]".repeat(2000);
    byte[] payload = (json.substring(0, json.length() - 1) + ",\"deep\":" + nested + "}")
        .getBytes(StandardCharsets.UTF_8);
    String t = tokenFromJson(TestJwts.json(header("HS256", "hs-1")).getBytes(StandardCharsets.UTF_8), payload,
        hs256(TestKeys.HS.toByteArray()));
    assertThat(rejection(t)).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void verify_payloadNotAJsonObject_isMalformed() {
    for (String payload : List.of("[]", "\"alice\"", "{", "null", "")) {
      String t = tokenFromJson(TestJwts.json(header("HS256", "hs-1")).getBytes(StandardCharsets.UTF_8),
          payload.getBytes(StandardCharsets.UTF_8), hs256(TestKeys.HS.toByteArray()));
      assertThat(rejection(t)).as(payload).isEqualTo(RejectionReason.MALFORMED);
    }
  }

  @Test
  void verify_whitespaceAnywhere_isMalformed() {
    String t = hs256Token(claims(NOW));
    for (String bad : List.of(" " + t, t + " ", t + "\n", "\t" + t, t.replaceFirst("\\.", ". "),
        t.substring(0, 10) + "\r\n" + t.substring(10))) {
      assertThat(rejection(bad)).isEqualTo(RejectionReason.MALFORMED);
    }
    assertThat(verifier.verify(t).isVerified()).isTrue();
  }

  @Test
  void verify_wrongNumberOfSegments_isMalformed() {
    String t = hs256Token(claims(NOW));
    String[] p = t.split("\\.");
    for (String bad : List.of(p[0] + "." + p[1], t + ".", t + "." + p[2] + "." + p[2], "." + p[1] + "." + p[2],
        p[0] + ".." + p[2], "..", "", "a.b.c")) {
      assertThat(rejection(bad)).as(bad).isEqualTo(RejectionReason.MALFORMED);
    }
  }

  @Test
  void verify_null_isMalformed() {
    assertThat(rejection(null)).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void verify_tokenAtTheLengthCap_isVerifiedAndOneAboveIsMalformed() {
    // Pad an attribute until the token is exactly 8192 characters, then one more.
    String padded = null;
    for (int n = 5000; n < 8192; n++) {
      Map<String, Object> c = claims(NOW);
      c.put("pad", "x".repeat(n));
      String t = hs256Token(c);
      if (t.length() == JwtVerifierConfig.DEFAULT_MAX_TOKEN_LENGTH
          || t.length() == JwtVerifierConfig.DEFAULT_MAX_TOKEN_LENGTH - 1) {
        padded = t;
        break;
      }
    }
    assertThat(padded).isNotNull();
    assertThat(verifier.verify(padded).isVerified()).isTrue();
    Map<String, Object> c = claims(NOW);
    c.put("pad", "x".repeat(6200));
    String over = hs256Token(c);
    assertThat(over.length()).isGreaterThan(JwtVerifierConfig.DEFAULT_MAX_TOKEN_LENGTH);
    assertThat(rejection(over)).isEqualTo(RejectionReason.MALFORMED);
  }

  // ---- no token in anything printable -------------------------------------------------------------------------

  @Test
  void toString_neverShowsKeyMaterial() {
    assertThat(verifier.toString()).doesNotContain(TestKeys.HS.getKeyValue().toString())
        .contains(ISS);
    JwtIssuerConfig ic = TestJwts.issuerConfig(TestKeys.RSA, clock, TestJwts.REUSABLE).build();
    assertThat(ic.toString()).doesNotContain(TestKeys.RSA.getPrivateExponent().toString()).contains("rsa-1");
    assertThat(JwtTokens.issuer(ic).toString()).doesNotContain(TestKeys.RSA.getPrivateExponent().toString());
  }

  @Test
  void verify_rotationToANewKidInALocalSet_verifiesBoth() {
    ECKey next = TestKeys.ec("ec-2");
    TokenVerifier rotating = JwtTokens.verifier(JwtVerifierConfig.builder().issuer(ISS).audience(AUD)
        .algorithms(JWSAlgorithm.ES256).policy(TestJwts.REUSABLE).clock(clock)
        .keys(new JWKSet(List.of(TestKeys.EC.toPublicJWK(), next.toPublicJWK()))).build());
    for (ECKey key : List.of(TestKeys.EC, next)) {
      String t = JwtTokens.issuer(TestJwts.issuerConfig(key, clock, TestJwts.REUSABLE).build()).issue("bob").value();
      assertThat(rotating.verify(t).verifiedIdentity()).get().extracting(Identity::subject).isEqualTo("bob");
    }
    // The old verifier set does not know ec-2.
    String t2 = JwtTokens.issuer(TestJwts.issuerConfig(next, clock, TestJwts.REUSABLE).build()).issue("bob").value();
    assertThat(rejection(t2)).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }
}
