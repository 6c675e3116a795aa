package io.github.wsauth.jwt;


import static io.github.wsauth.jwt.TestJwts.NOW;
import static io.github.wsauth.jwt.TestJwts.claims;
import static io.github.wsauth.jwt.TestJwts.header;
import static io.github.wsauth.jwt.TestJwts.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.testkit.MutableClock;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Remote JWK Sets through Nimbus's JWKSourceBuilder, against a real HTTP server on 127.0.0.1; and proof that
 * {@code jku}/{@code x5u} headers are never fetched.
 */
class JwtRemoteKeysTest {
  private final MutableClock clock = MutableClock.at(NOW);
  private JwksServer jwks;
  private JwksServer attacker;

  @BeforeEach
  void start() throws Exception {
    jwks = new JwksServer();
    attacker = new JwksServer();
  }

  @AfterEach
  void stop() {
    jwks.close();
    attacker.close();
  }

  private TokenVerifier remoteVerifier() {
    return JwtTokens.verifier(JwtVerifierConfig.builder().issuer(TestJwts.ISS).audience(TestJwts.AUD)
        .algorithms(JWSAlgorithm.ES256, JWSAlgorithm.EdDSA, JWSAlgorithm.RS256)
        .remoteKeys(jwks.url("/.well-known/jwks.json"))
        .policy(TestJwts.REUSABLE).clock(clock).build());
  }

  private String issue(JWK key) {
    return JwtTokens.issuer(TestJwts.issuerConfig(key, clock, TestJwts.REUSABLE).build()).issue("alice").value();
  }

  @Test
  void remote_asymmetricKeys_verifyAndAreCached() {
    jwks.serve(new JWKSet(List.of(TestKeys.EC, TestKeys.ED, TestKeys.RSA)));
    TokenVerifier verifier = remoteVerifier();
    for (JWK key : List.of(TestKeys.EC, TestKeys.ED, TestKeys.RSA)) {
      assertThat(verifier.verify(issue(key)).isVerified()).as(key.getKeyID()).isTrue();
    }
    assertThat(jwks.requests).hasValue(1);
  }

  @Test
  void remote_rotationToANewKid_isPickedUpByOneRefetch() {
    ECKey next = TestKeys.ec("ec-2");
    jwks.serve(new JWKSet(TestKeys.EC));
    TokenVerifier verifier = remoteVerifier();
    assertThat(verifier.verify(issue(TestKeys.EC)).isVerified()).isTrue();
    assertThat(jwks.requests).hasValue(1);

    // The app rotates: publishes ec-2 next to ec-1 and starts signing with ec-2.
    jwks.serve(new JWKSet(List.of(TestKeys.EC, next)));
    assertThat(verifier.verify(issue(next)).isVerified()).isTrue();
    assertThat(jwks.requests).hasValue(2);
    assertThat(verifier.verify(issue(TestKeys.EC)).isVerified()).isTrue();
    assertThat(verifier.verify(issue(next)).isVerified()).isTrue();
    assertThat(jwks.requests).hasValue(2);
  }

  @Test
  void remote_floodOfUnknownKids_isRateLimitedAndRejected() {
    jwks.serve(new JWKSet(TestKeys.EC));
    TokenVerifier verifier = remoteVerifier();
    for (int i = 0; i < 50; i++) {
      String t = token(header("ES256", "made-up-" + i), claims(NOW), TestJwts.es256(TestKeys.EC));
      assertThat(verifier.verify(t)).isEqualTo(Verification.rejected(RejectionReason.BAD_SIGNATURE));
    }
    // At most two fetches per 30 s, however many kids an attacker invents.
    assertThat(jwks.requests.get()).isBetween(1, 2);
    assertThat(verifier.verify(issue(TestKeys.EC)).isVerified()).isTrue();
  }

  @Test
  void remote_serverError_isBadSignatureNotAnException() {
    jwks.status(500);
    TokenVerifier verifier = remoteVerifier();
    assertThat(verifier.verify(issue(TestKeys.EC))).isEqualTo(Verification.rejected(RejectionReason.BAD_SIGNATURE));
    assertThat(jwks.requests.get()).isPositive();
  }

  @Test
  void remote_keySetOverTheSizeLimit_isNotUsed() {
    // The same key set twice: as it is, and padded past the 50 KiB the client reads (JwtKeys.remote).
    String set = new JWKSet(TestKeys.EC).toPublicJWKSet().toString();
    jwks.serveRaw(set.substring(0, set.length() - 1) + " ".repeat(51_200) + "}");
    assertThat(remoteVerifier().verify(issue(TestKeys.EC)))
        .isEqualTo(Verification.rejected(RejectionReason.BAD_SIGNATURE));
    jwks.serveRaw(set.substring(0, set.length() - 1) + " ".repeat(40_000) + "}");
    assertThat(remoteVerifier().verify(issue(TestKeys.EC)).isVerified()).as("the same set under the limit").isTrue();
  }

  @Test
  void remote_keyServerThatDoesNotAnswer_isBadSignatureWithinItsTimeouts_notAHang() {
    jwks.serve(new JWKSet(TestKeys.EC));
    jwks.delay(20_000);
    TokenVerifier verifier = remoteVerifier();
    long start = System.nanoTime();
    Verification v = verifier.verify(issue(TestKeys.EC));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(v).isEqualTo(Verification.rejected(RejectionReason.BAD_SIGNATURE));
    // 500 ms read timeout, one retry: about a second, far from the server's 20 s (a bound, not a benchmark).
    assertThat(millis).as("ms until the verifier gave up").isLessThan(10_000);
    assertThat(jwks.requests).as("the first attempt and its one retry").hasValue(2);
  }

  @Test
  void remote_bodyThatIsNotAJwkSet_isBadSignatureNotAnException() {
    TokenVerifier verifier = remoteVerifier();
    for (String garbage : List.of("<html>oops</html>", "{\"keys\": 42}", "[]", "")) {
      jwks.serveRaw(garbage);
      assertThat(verifier.verify(issue(TestKeys.EC))).as(garbage)
          .isEqualTo(Verification.rejected(RejectionReason.BAD_SIGNATURE));
    }
  }

  @Test
  void remote_plainHttpToANonLoopbackHost_isRefused() throws Exception {
    assertThatThrownBy(() -> JwtKeys.remote(new URL("http://keys.example.com/jwks.json")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
    assertThatThrownBy(() -> JwtKeys.remote(new URL("ftp://127.0.0.1/jwks.json")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(JwtKeys.remote(new URL("https://keys.example.com/jwks.json"))).isNotNull();
    assertThat(JwtKeys.remote(new URL("http://localhost:1/jwks.json"))).isNotNull();
  }

  // ---- headers that point at keys are never fetched ---------------------------------------------------------

  @Test
  void verify_jkuHeaderPointingAtTheAttackersKeys_isNeverFetched() {
    ECKey evil = TestKeys.ec("evil");
    attacker.serve(new JWKSet(evil));
    jwks.serve(new JWKSet(TestKeys.EC));
    TokenVerifier local = JwtTokens.verifier(TestJwts.verifierConfig(clock).build());
    TokenVerifier remote = remoteVerifier();
    for (String kid : List.of("evil", "ec-1")) {
      Map<String, Object> h = header("ES256", kid);
      h.put("jku", attacker.url("/jwks.json").toString());
      String t = token(h, claims(NOW), TestJwts.es256(evil));
      assertThat(local.verify(t)).isEqualTo(Verification.rejected(RejectionReason.BAD_SIGNATURE));
      assertThat(remote.verify(t)).isEqualTo(Verification.rejected(RejectionReason.BAD_SIGNATURE));
    }
    // Even with a valid signature by the real key, a jku header is refused.
    Map<String, Object> h = header("ES256", "ec-1");
    h.put("jku", attacker.url("/jwks.json").toString());
    assertThat(remote.verify(token(h, claims(NOW), TestJwts.es256(TestKeys.EC))).isVerified()).isFalse();
    assertThat(attacker.requests).hasValue(0);
  }

  @Test
  void verify_x5uHeaderPointingAtTheAttacker_isNeverFetched() {
    ECKey evil = TestKeys.ec("evil");
    TokenVerifier local = JwtTokens.verifier(TestJwts.verifierConfig(clock).build());
    for (String kid : List.of("evil", "ec-1")) {
      Map<String, Object> h = header("ES256", kid);
      h.put("x5u", attacker.url("/cert.pem").toString());
      String t = token(h, claims(NOW), TestJwts.es256(evil));
      assertThat(local.verify(t)).isEqualTo(Verification.rejected(RejectionReason.BAD_SIGNATURE));
    }
    Map<String, Object> h = header("ES256", "ec-1");
    h.put("x5u", attacker.url("/cert.pem").toString());
    assertThat(local.verify(token(h, claims(NOW), TestJwts.es256(TestKeys.EC))))
        .isEqualTo(Verification.rejected(RejectionReason.BAD_SIGNATURE));
    assertThat(attacker.requests).hasValue(0);
  }
}
