package io.github.wsauth.jwt;


import static io.github.wsauth.jwt.TestJwts.NOW;
import static io.github.wsauth.jwt.TestJwts.claims;
import static io.github.wsauth.jwt.TestJwts.hs256Token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The length cap: checked first, before any decoding, key lookup or store access. */
class JwtLengthCapTest {
  private final MutableClock clock = MutableClock.at(NOW);
  private final AtomicInteger keyLookups = new AtomicInteger();
  private final RecordingStore store = new RecordingStore(TokenStore.inMemory(clock));

  private TokenVerifier verifier(int cap) {
    ImmutableJWKSet<SecurityContext> keys = new ImmutableJWKSet<>(TestKeys.verificationKeys());
    JWKSource<SecurityContext> counting = (JWKSelector selector, SecurityContext ctx) -> {
      keyLookups.incrementAndGet();
      return keys.get(selector, ctx);
    };
    return JwtTokens.verifier(JwtVerifierConfig.builder().issuer(TestJwts.ISS).audience(TestJwts.AUD)
        .algorithms(com.nimbusds.jose.JWSAlgorithm.HS256).keySource(counting).policy(TestJwts.SINGLE_USE)
        .store(store).clock(clock).maxTokenLength(cap).build());
  }

  /** A validly signed single-use token of about {@code length} characters. */
  private static String signedTokenOfLength(int length) {
    Map<String, Object> c = claims(NOW);
    c.put("pad", "x".repeat(length * 3 / 4 - 200));
    return hs256Token(c);
  }

  @Test
  void verify_validTokenAboveTheCap_isMalformedAndTouchesNothing() {
    String t = signedTokenOfLength(9 * 1024);
    assertThat(t.length()).isGreaterThan(JwtVerifierConfig.DEFAULT_MAX_TOKEN_LENGTH);

    Verification v = verifier(JwtVerifierConfig.DEFAULT_MAX_TOKEN_LENGTH).verify(t);
    assertThat(v).isEqualTo(Verification.rejected(RejectionReason.MALFORMED));
    assertThat(keyLookups).hasValue(0);
    assertThat(store.calls).hasValue(0);

    // The same token passes under a larger cap: the cap, and nothing else, rejected it.
    assertThat(verifier(16 * 1024).verify(t).isVerified()).isTrue();
    assertThat(keyLookups).hasValue(1);
  }

  @Test
  void verify_validTokenOfExactlyTheCap_isVerified_oneMore_isMalformed() {
    String t = null;
    for (int pad = 1; t == null || t.length() != 4096; pad++) {
      Map<String, Object> c = claims(NOW);
      c.put("pad", "x".repeat(pad));
      String candidate = hs256Token(c);
      if (candidate.length() > 4096) {
        throw new AssertionError("no padding gives exactly 4096 characters");
      }
      t = candidate;
    }
    assertThat(verifier(4096).verify(t).isVerified()).as("at the cap").isTrue();
    assertThat(verifier(4095).verify(t)).isEqualTo(Verification.rejected(RejectionReason.MALFORMED));
  }

  /** A bug below the verifier (here a key source that throws) is a rejection, never an exception or a null. */
  @Test
  void verify_keySourceThrowingARuntimeException_isMalformedNotAnException() {
    TokenVerifier throwing = JwtTokens.verifier(JwtVerifierConfig.builder().issuer(TestJwts.ISS)
        .audience(TestJwts.AUD).algorithms(com.nimbusds.jose.JWSAlgorithm.HS256)
        .keySource((selector, ctx) -> {
          throw new IllegalStateException("key source bug");
        })
        .policy(TestJwts.SINGLE_USE).store(store).clock(clock).build());
    assertThat(throwing.verify(hs256Token(claims(NOW)))).isEqualTo(Verification.rejected(RejectionReason.MALFORMED));
    assertThat(store.calls).hasValue(0);
  }

  @Test
  void verify_oneMegabyteToken10000Times_isRejectedWithoutLookingAtIt() {
    // A 1 MB string shaped like a JWS. Parsing it would mean base64-decoding and JSON-parsing a megabyte, 10,000
    // times (gigabytes of work, minutes); the cap check reads only its length. The bound below is two orders of
    // magnitude above what the cap check needs, so it cannot flake, yet fails if anything reads the token.
    String huge = "eyJhbGciOiJIUzI1NiJ9." + "A".repeat(1 << 20) + ".AAAA";
    TokenVerifier verifier = verifier(JwtVerifierConfig.DEFAULT_MAX_TOKEN_LENGTH);
    List<Verification> last = new java.util.ArrayList<>(1);
    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      Verification v = null;
      for (int i = 0; i < 10_000; i++) {
        v = verifier.verify(huge);
      }
      last.add(v);
    });
    assertThat(last.get(0)).isEqualTo(Verification.rejected(RejectionReason.MALFORMED));
    assertThat(keyLookups).hasValue(0);
    assertThat(store.calls).hasValue(0);
  }
}
