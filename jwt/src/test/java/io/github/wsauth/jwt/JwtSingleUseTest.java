package io.github.wsauth.jwt;


import static io.github.wsauth.jwt.TestJwts.ISS;
import static io.github.wsauth.jwt.TestJwts.NOW;
import static io.github.wsauth.jwt.TestJwts.claims;
import static io.github.wsauth.jwt.TestJwts.hs256Token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenStoreFullException;
import io.github.wsauth.store.TokenStoreUnavailableException;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.testkit.MutableClock;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Single-use JWTs: the jti is recorded once, whatever spelling of the token carries it. */
class JwtSingleUseTest {
  /** Order of the P-256 group. */
  private static final BigInteger P256_N =
      new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
  /** Order of the Ed25519 group, L = 2^252 + 27742317777372353535851937790883648493. */
  private static final BigInteger ED25519_L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

  private final MutableClock clock = MutableClock.at(NOW);
  private RecordingStore store;
  private TokenVerifier verifier;

  @BeforeEach
  void setUp() {
    store = new RecordingStore(TokenStore.inMemory(clock));
    verifier = JwtTokens.verifier(TestJwts.singleUseConfig(clock, store, TestKeys.verificationKeys()).build());
  }

  private RejectionReason rejection(String token) {
    Verification v = verifier.verify(token);
    assertThat(v).isInstanceOf(Verification.Rejected.class);
    return ((Verification.Rejected) v).reason();
  }

  private String issue(com.nimbusds.jose.jwk.JWK key) {
    TokenIssuer issuer = JwtTokens.issuer(TestJwts.issuerConfig(key, clock, TestJwts.SINGLE_USE).build());
    return issuer.issue("alice").value();
  }

  @Test
  void verify_replayedToken_isAlreadyUsed() {
    String t = issue(TestKeys.EC);
    assertThat(verifier.verify(t).isVerified()).isTrue();
    assertThat(rejection(t)).isEqualTo(RejectionReason.ALREADY_USED);
    assertThat(rejection(t)).isEqualTo(RejectionReason.ALREADY_USED);
  }

  @Test
  void verify_recordsTheDomainSeparatedJtiUntilExpiryPlusSkew() throws Exception {
    String t = issue(TestKeys.HS);
    SignedJWT jwt = SignedJWT.parse(t);
    assertThat(verifier.verify(t).isVerified()).isTrue();

    assertThat(store.saved).hasSize(1);
    StoredToken entry = store.saved.get(0);
    String jti = jwt.getJWTClaimsSet().getJWTID();
    assertThat(entry.hash()).isEqualTo(TokenHash.of("jwt-jti:" + ISS + ":" + jti));
    assertThat(entry.hash()).isNotEqualTo(TokenHash.of(t)).isNotEqualTo(TokenHash.of(jti));
    assertThat(entry.subject()).isEqualTo("alice");
    assertThat(entry.attributes()).isEmpty();
    assertThat(entry.singleUse()).isTrue();
    assertThat(entry.expiresAt()).isEqualTo(NOW.plus(TestJwts.LIFETIME).plus(TestJwts.SKEW));
  }

  @Test
  void verify_rejectedToken_recordsNothing() {
    String t = issue(TestKeys.HS);
    String tampered = t.substring(0, t.length() - 2) + (t.endsWith("AA") ? "QA" : "AA");
    assertThat(rejection(tampered)).isIn(RejectionReason.BAD_SIGNATURE, RejectionReason.MALFORMED);
    clock.set(NOW.plus(TestJwts.LIFETIME).plus(TestJwts.SKEW).plusSeconds(1));
    assertThat(rejection(t)).isEqualTo(RejectionReason.EXPIRED);
    assertThat(store.calls).hasValue(0);
  }

  @Test
  void verify_replayAfterExpiry_isExpiredNotAccepted() {
    String t = issue(TestKeys.HS);
    assertThat(verifier.verify(t).isVerified()).isTrue();
    clock.set(NOW.plus(TestJwts.LIFETIME).plus(TestJwts.SKEW).plusSeconds(1));
    store.delegate.purgeExpired();
    assertThat(rejection(t)).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void verify_storeUnavailable_throwsAndConsumesNothing() {
    String t = issue(TestKeys.HS);
    store.failure = new TokenStoreUnavailableException("database down");
    assertThatThrownBy(() -> verifier.verify(t)).isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessageNotContaining(t);
    store.failure = null;
    assertThat(verifier.verify(t).isVerified()).isTrue();
  }

  @Test
  void verify_storeFull_throwsUnavailable() {
    String t = issue(TestKeys.HS);
    store.failure = new TokenStoreFullException("full");
    assertThatThrownBy(() -> verifier.verify(t)).isInstanceOf(TokenStoreUnavailableException.class);
  }

  @Test
  void verify_storeThrowsAnyRuntimeException_failsClosedAsUnavailable() {
    String t = issue(TestKeys.HS);
    store.failure = new IllegalStateException("pool closed");
    assertThatThrownBy(() -> verifier.verify(t)).isInstanceOf(TokenStoreUnavailableException.class)
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining(t);
  }

  // ---- re-encodings of the same token -------------------------------------------------------------------------

  /** Of the original and its re-encoding, in either order, exactly one verifies. */
  private void assertOnlyOneOf(String original, String reencoded) {
    assertThat(reencoded).isNotEqualTo(original);
    for (boolean reencodedFirst : new boolean[] {false, true}) {
      setUp();
      String first = reencodedFirst ? reencoded : original;
      String second = reencodedFirst ? original : reencoded;
      int ok = (verifier.verify(first).isVerified() ? 1 : 0) + (verifier.verify(second).isVerified() ? 1 : 0);
      assertThat(ok).as("successes, re-encoded first: %s", reencodedFirst).isEqualTo(1);
    }
  }

  private static String[] parts(String t) {
    return t.split("\\.");
  }

  @Test
  void verify_signatureWithBase64Padding_cannotBeReplayed() {
    for (com.nimbusds.jose.jwk.JWK key : List.of(TestKeys.HS, TestKeys.EC, TestKeys.ED, TestKeys.RSA)) {
      String t = issue(key);
      String padded = t + "=".repeat((4 - parts(t)[2].length() % 4) % 4);
      assertOnlyOneOf(t, padded);
      assertThat(rejection(padded)).isEqualTo(RejectionReason.MALFORMED);
    }
  }

  @Test
  void verify_signatureWithAlteredUnusedBits_cannotBeReplayed() {
    for (com.nimbusds.jose.jwk.JWK key : List.of(TestKeys.HS, TestKeys.EC, TestKeys.ED, TestKeys.RSA)) {
      String t = issue(key);
      String altered = withAlteredTrailingBits(t);
      assertOnlyOneOf(t, altered);
      setUp();
      assertThat(rejection(altered)).isEqualTo(RejectionReason.MALFORMED);
    }
  }

  /** Sets the lowest unused bit of the signature's last base64url character (all signatures here have some). */
  private static String withAlteredTrailingBits(String t) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = t.charAt(t.length() - 1);
    assertThat(parts(t)[2].length() % 4).isNotZero();
    return t.substring(0, t.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1);
  }

  @Test
  void nimbusAlone_acceptsPaddingAndStrayBits_whichIsWhyTheShapeCheckExists() throws Exception {
    // Characterisation of Nimbus 10.10 without our pre-parse check: both spellings verify. If this ever fails,
    // Nimbus became strict; our check stays as defence in depth.
    String t = issue(TestKeys.HS);
    MACVerifier mac = new MACVerifier(TestKeys.HS);
    assertThat(SignedJWT.parse(t + "=").verify(mac)).isTrue();
    assertThat(SignedJWT.parse(withAlteredTrailingBits(t)).verify(mac)).isTrue();
  }

  @Test
  void verify_ecdsaSignatureWithHighS_cannotBeReplayed() throws Exception {
    String t = issue(TestKeys.EC);
    byte[] sig = Base64.getUrlDecoder().decode(parts(t)[2]);
    byte[] r = java.util.Arrays.copyOfRange(sig, 0, 32);
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(sig, 32, 64));
    byte[] malleated = concat(r, unsigned32(P256_N.subtract(s)));
    String highS = parts(t)[0] + "." + parts(t)[1] + "." + TestJwts.b64(malleated);

    // (n - s) is a valid ECDSA signature of the same bytes: Nimbus (like the JDK) accepts it ...
    assertThat(SignedJWT.parse(highS).verify(new ECDSAVerifier(TestKeys.EC.toECPublicKey()))).isTrue();
    // ... so it is the jti, not the token string, that stops the replay.
    assertOnlyOneOf(t, highS);
    setUp();
    assertThat(verifier.verify(t).isVerified()).isTrue();
    assertThat(rejection(highS)).isEqualTo(RejectionReason.ALREADY_USED);
  }

  @Test
  void verify_ed25519SignatureWithSPlusL_isBadSignature() {
    String t = issue(TestKeys.ED);
    byte[] sig = Base64.getUrlDecoder().decode(parts(t)[2]);
    byte[] sLittleEndian = java.util.Arrays.copyOfRange(sig, 32, 64);
    BigInteger s = new BigInteger(1, reverse(sLittleEndian));
    byte[] sPlusL = reverse(unsigned32(s.add(ED25519_L)));
    byte[] malleated = concat(java.util.Arrays.copyOfRange(sig, 0, 32), sPlusL);
    String forged = parts(t)[0] + "." + parts(t)[1] + "." + TestJwts.b64(malleated);
    // RFC 8032 §5.1.7 requires S < L; the JDK enforces it.
    assertThat(rejection(forged)).isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(verifier.verify(t).isVerified()).isTrue();
  }

  private static byte[] unsigned32(BigInteger v) {
    byte[] b = v.toByteArray();
    byte[] out = new byte[32];
    int copy = Math.min(32, b.length);
    System.arraycopy(b, b.length - copy, out, 32 - copy, copy);
    return out;
  }

  private static byte[] reverse(byte[] b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[b.length - 1 - i];
    }
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  // ---- the race -------------------------------------------------------------------------------------------------

  @Test
  void verify_raceOf16ThreadsOn1000Tokens_exactlyOneSuccessPerToken() throws Exception {
    int tokens = 1000;
    int threads = 16;
    List<String> issued = new ArrayList<>(tokens);
    for (int i = 0; i < tokens; i++) {
      Map<String, Object> c = claims(NOW);
      c.put("sub", "user-" + i);
      issued.add(hs256Token(c));
    }
    AtomicIntegerArray successes = new AtomicIntegerArray(tokens);
    AtomicIntegerArray alreadyUsed = new AtomicIntegerArray(tokens);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int th = 0; th < threads; th++) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < tokens; i++) {
          order.add(i);
        }
        Collections.shuffle(order, new java.util.Random(th));
        done.add(pool.submit(() -> {
          start.await();
          for (int i : order) {
            Verification v = verifier.verify(issued.get(i));
            if (v.isVerified()) {
              successes.incrementAndGet(i);
            } else if (((Verification.Rejected) v).reason() == RejectionReason.ALREADY_USED) {
              alreadyUsed.incrementAndGet(i);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int i = 0; i < tokens; i++) {
      assertThat(successes.get(i)).as("successes of token %d", i).isEqualTo(1);
      assertThat(alreadyUsed.get(i)).as("replays of token %d", i).isEqualTo(threads - 1);
    }
  }
}
