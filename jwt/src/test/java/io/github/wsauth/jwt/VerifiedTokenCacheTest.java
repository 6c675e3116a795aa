package io.github.wsauth.jwt;

import static io.github.wsauth.jwt.TestJwts.AUD;
import static io.github.wsauth.jwt.TestJwts.ISS;
import static io.github.wsauth.jwt.TestJwts.NOW;
import static io.github.wsauth.jwt.TestJwts.claims;
import static io.github.wsauth.jwt.TestJwts.hs256Token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.lifetime.Revocation;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.testkit.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache. A hit is told apart from a full verification by taking the key away after the first
 * verification: the full path then has no key (BAD_SIGNATURE), a hit still answers.
 */
class VerifiedTokenCacheTest {
  private final MutableClock clock = MutableClock.at(NOW);
  private final AtomicBoolean keyPresent = new AtomicBoolean(true);
  private final RevocationBus bus = RevocationBus.inProcess();

  /** The HS key while {@link #keyPresent}, none after. */
  private final JWKSource<SecurityContext> source = (selector, context) ->
      keyPresent.get() ? selector.select(new JWKSet(List.<JWK>of(TestKeys.HS))) : List.of();

  private TokenVerifier verifier(int cacheSize) {
    JwtVerifierConfig.Builder b = JwtVerifierConfig.builder().issuer(ISS).audience(AUD)
        .algorithms(JWSAlgorithm.HS256).keySource(source).policy(TestJwts.REUSABLE).clock(clock)
        .verifiedTokenCache(cacheSize);
    return JwtTokens.verifier(b.revocations(bus).build());
  }

  private static RejectionReason reason(Verification v) {
    return ((Verification.Rejected) v).reason();
  }

  @Test
  void sipHash128_matchesTheReferenceVectors() {
    long k0 = 0x0706050403020100L;
    long k1 = 0x0f0e0d0c0b0a0908L;
    // Reference SipHash-2-4-128 of the bytes 00 01 .. (n-1), written as UTF-16LE chars (two bytes a char).
    assertThat(VerifiedTokenCache.sipHash128(k0, k1, ""))
        .isEqualTo(new VerifiedTokenCache.Fingerprint(0xe6a825ba047f81a3L, 0x930255c71472f66dL));
    assertThat(VerifiedTokenCache.sipHash128(k0, k1, bytesAsChars(2)))
        .isEqualTo(new VerifiedTokenCache.Fingerprint(0xc75da4a48d227781L, 0xe4ff0af6de8ba3fcL));
    assertThat(VerifiedTokenCache.sipHash128(k0, k1, bytesAsChars(8)))
        .isEqualTo(new VerifiedTokenCache.Fingerprint(0x61f55862baa9623bL, 0xb49714f364e2830fL));
    assertThat(VerifiedTokenCache.sipHash128(k0, k1, bytesAsChars(14)))
        .isEqualTo(new VerifiedTokenCache.Fingerprint(0x9cded766aceffc31L, 0x024949e45f48c77eL));
    assertThat(VerifiedTokenCache.sipHash128(k0, k1, bytesAsChars(16)))
        .isEqualTo(new VerifiedTokenCache.Fingerprint(0xbb54b067caa4e26eL, 0x77052385bf1533fdL));
  }

  @Test
  void sipHash128Latin1_matchesTheReferenceVectors_oneBytePerChar() {
    long k0 = 0x0706050403020100L;
    long k1 = 0x0f0e0d0c0b0a0908L;
    // The same reference SipHash-2-4-128 of the bytes 00 01 .. (n-1), written one byte per char.
    assertThat(VerifiedTokenCache.sipHash128Latin1(k0, k1, ""))
        .isEqualTo(new VerifiedTokenCache.Fingerprint(0xe6a825ba047f81a3L, 0x930255c71472f66dL));
    assertThat(VerifiedTokenCache.sipHash128Latin1(k0, k1, bytesAsLatin1(2)))
        .isEqualTo(new VerifiedTokenCache.Fingerprint(0xc75da4a48d227781L, 0xe4ff0af6de8ba3fcL));
    assertThat(VerifiedTokenCache.sipHash128Latin1(k0, k1, bytesAsLatin1(8)))
        .isEqualTo(new VerifiedTokenCache.Fingerprint(0x61f55862baa9623bL, 0xb49714f364e2830fL));
    assertThat(VerifiedTokenCache.sipHash128Latin1(k0, k1, bytesAsLatin1(14)))
        .isEqualTo(new VerifiedTokenCache.Fingerprint(0x9cded766aceffc31L, 0x024949e45f48c77eL));
    assertThat(VerifiedTokenCache.sipHash128Latin1(k0, k1, bytesAsLatin1(16)))
        .isEqualTo(new VerifiedTokenCache.Fingerprint(0xbb54b067caa4e26eL, 0x77052385bf1533fdL));
  }

  @Test
  void sipHash128Latin1_refusesACharAboveFF_inAWholeWordOrInTheTail() {
    assertThat(VerifiedTokenCache.sipHash128Latin1(1, 2, "abcdefg\u0100ijk")).isNull(); // in a full word
    assertThat(VerifiedTokenCache.sipHash128Latin1(1, 2, "abcdefgh\u0100")).isNull(); // in the last word
    assertThat(VerifiedTokenCache.sipHash128Latin1(1, 2, "abcdefgh\u00ff")).isNotNull();
    for (int at = 0; at < 16; at++) { // every position of a full word, and of the next
      StringBuilder b = new StringBuilder("abcdefghijklmnopq");
      b.setCharAt(at, '\u0100');
      assertThat(VerifiedTokenCache.sipHash128Latin1(1, 2, b.toString())).as("U+0100 at %d", at).isNull();
    }
  }

  @Test
  void fingerprint_ofANonLatin1String_isTheUtf16HashAndDiffersFromTheSameBytesOneByteAChar() {
    VerifiedTokenCache cache = new VerifiedTokenCache(8, clock);
    String utf16 = "\u0100"; // UTF-16LE bytes 00 01
    String latin1 = "\u0000\u0001"; // the same two bytes, one a char
    assertThat(cache.fingerprint(utf16)).isEqualTo(cache.fingerprint(utf16))
        .isNotEqualTo(cache.fingerprint(latin1));
    assertThat(cache.fingerprint("x" + utf16)).isNotEqualTo(cache.fingerprint("x"));
  }

  private static String bytesAsLatin1(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append((char) i);
    }
    return b.toString();
  }

  private static String bytesAsChars(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i += 2) {
      b.append((char) ((i + 1) << 8 | i));
    }
    return b.toString();
  }

  @Test
  void fingerprint_isKeyedPerCache() {
    String token = hs256Token(claims(NOW));
    VerifiedTokenCache a = new VerifiedTokenCache(8, clock);
    VerifiedTokenCache b = new VerifiedTokenCache(8, clock);
    assertThat(a.fingerprint(token)).isEqualTo(a.fingerprint(token)).isNotEqualTo(b.fingerprint(token));
  }

  @Test
  void verify_secondTime_isAnsweredFromTheCache() {
    TokenVerifier v = verifier(16);
    String token = hs256Token(claims(NOW));
    Verification first = v.verify(token);
    assertThat(first.isVerified()).isTrue();

    keyPresent.set(false);
    assertThat(v.verify(token)).isEqualTo(first);
    // Another token is not: the full path runs, and has no key.
    assertThat(reason(v.verify(hs256Token(claims(NOW))))).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_withoutCache_alwaysRunsTheFullPath() {
    TokenVerifier v = verifier(0);
    String token = hs256Token(claims(NOW));
    assertThat(v.verify(token).isVerified()).isTrue();
    keyPresent.set(false);
    assertThat(reason(v.verify(token))).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void verify_rejectedToken_isNotCached() {
    TokenVerifier v = verifier(16);
    Map<String, Object> c = claims(NOW);
    c.put("aud", "wss://other.example");
    String token = hs256Token(c);
    assertThat(reason(v.verify(token))).isEqualTo(RejectionReason.INVALID_CLAIMS);
    assertThat(reason(v.verify(token))).isEqualTo(RejectionReason.INVALID_CLAIMS);
  }

  @Test
  void hit_endsAtExp_thenTheFullPathDecides() {
    TokenVerifier v = verifier(16);
    String token = hs256Token(claims(NOW)); // exp = NOW + 60 s
    assertThat(v.verify(token).isVerified()).isTrue();
    keyPresent.set(false);

    clock.set(NOW.plusSeconds(60));
    assertThat(v.verify(token).isVerified()).as("at exp: a hit").isTrue();
    clock.set(NOW.plusSeconds(60).plusMillis(1));
    assertThat(reason(v.verify(token))).as("after exp: the full path, keyless").isEqualTo(
        RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void hit_needsTheTimeChecksToPass_whenTheClockGoesBack() {
    TokenVerifier v = verifier(16);
    String token = hs256Token(claims(NOW.plusSeconds(5))); // iat = now + skew: accepted now
    assertThat(v.verify(token).isVerified()).isTrue();
    keyPresent.set(false);
    assertThat(v.verify(token).isVerified()).as("a hit").isTrue();

    clock.set(NOW.minusMillis(1)); // iat is now beyond now + skew
    assertThat(reason(v.verify(token))).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void hit_honoursNbfAsTheFullPathDoes() {
    TokenVerifier v = verifier(16);
    Map<String, Object> c = claims(NOW);
    c.put("nbf", NOW.plusSeconds(5).getEpochSecond());
    String token = hs256Token(c);
    assertThat(v.verify(token).isVerified()).isTrue();
    keyPresent.set(false);
    clock.set(NOW.minusMillis(1));
    assertThat(reason(v.verify(token))).isEqualTo(RejectionReason.BAD_SIGNATURE);
  }

  @Test
  void subjectRevocation_dropsThatSubjectsEntriesOnly() {
    TokenVerifier v = verifier(16);
    String alice = hs256Token(claims(NOW));
    Map<String, Object> c = claims(NOW);
    c.put("sub", "bob");
    String bob = hs256Token(c);
    assertThat(v.verify(alice).isVerified()).isTrue();
    assertThat(v.verify(bob).isVerified()).isTrue();
    keyPresent.set(false);

    bus.publish(Revocation.subject("alice"));
    assertThat(reason(v.verify(alice))).isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(v.verify(bob).isVerified()).isTrue();
  }

  @Test
  void tokenRevocation_dropsThatJtisEntryOnly() {
    TokenVerifier v = verifier(16);
    Map<String, Object> c1 = claims(NOW);
    Map<String, Object> c2 = claims(NOW);
    String t1 = hs256Token(c1);
    String t2 = hs256Token(c2);
    assertThat(v.verify(t1).isVerified()).isTrue();
    assertThat(v.verify(t2).isVerified()).isTrue();
    keyPresent.set(false);

    bus.publish(Revocation.token((String) c1.get("jti")));
    assertThat(reason(v.verify(t1))).isEqualTo(RejectionReason.BAD_SIGNATURE);
    assertThat(v.verify(t2).isVerified()).isTrue();
  }

  @Test
  void put_afterARevocationDuringTheVerification_keepsNothing() {
    VerifiedTokenCache cache = new VerifiedTokenCache(16, clock);
    Verification.Verified verified = (Verification.Verified) verifier(0).verify(hs256Token(claims(NOW)));
    long before = cache.generation();
    cache.accept(Revocation.subject("someone"));
    cache.put("token", before, verified, "jti", 0, Long.MAX_VALUE);
    assertThat(cache.size()).isZero();
    cache.put("token", cache.generation(), verified, "jti", 0, Long.MAX_VALUE);
    assertThat(cache.size()).isOne();
    assertThat(cache.get("token")).isSameAs(verified);
  }

  @Test
  void cache_isBounded_andMakesRoomOnceEntriesExpire() {
    VerifiedTokenCache cache = new VerifiedTokenCache(2, clock);
    Verification.Verified verified = (Verification.Verified) verifier(0).verify(hs256Token(claims(NOW)));
    long exp = NOW.plusSeconds(60).toEpochMilli();
    cache.put("a", 0, verified, "a", 0, exp);
    cache.put("b", 0, verified, "b", 0, exp);
    cache.put("c", 0, verified, "c", 0, exp);
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("c")).isNull();

    clock.set(NOW.plusSeconds(61));
    cache.put("d", 0, verified, "d", 0, NOW.plusSeconds(120).toEpochMilli());
    assertThat(cache.size()).isOne();
    assertThat(cache.get("d")).isSameAs(verified);
  }

  @Test
  void purge_runsAtMostOncePerSecond_orWhenTheClockWentBack() {
    VerifiedTokenCache cache = new VerifiedTokenCache(2, clock);
    Verification.Verified verified = (Verification.Verified) verifier(0).verify(hs256Token(claims(NOW)));
    long t0 = NOW.toEpochMilli();
    cache.put("a", 0, verified, "a", 0, t0 + 100);
    cache.put("b", 0, verified, "b", 0, t0 + 100);
    cache.put("c", 0, verified, "c", 0, t0 + 60_000); // full: the first purge runs at once and finds nothing
    assertThat(cache.get("c")).isNull();
    // a and b have expired, but the last purge was 999 ms ago: no purge, no room.
    clock.set(NOW.plusMillis(999));
    cache.put("d", 0, verified, "d", 0, t0 + 60_000);
    assertThat(cache.get("d")).isNull();
    assertThat(cache.size()).isEqualTo(2);
    // Exactly one second after it: the purge runs.
    clock.set(NOW.plusMillis(1000));
    cache.put("e", 0, verified, "e", 0, t0 + 1000); // expires exactly now: still valid
    assertThat(cache.get("e")).isSameAs(verified);
    cache.put("f", 0, verified, "f", 0, t0 + 60_000);
    assertThat(cache.size()).isEqualTo(2);
    // Same instant as the last purge: none runs.
    cache.put("g", 0, verified, "g", 0, t0 + 60_000);
    assertThat(cache.get("g")).isNull();
    // Once more at +2000 ms, when e (expiring at +1000 ms) has expired: the purge drops it and makes room for g.
    clock.set(NOW.plusMillis(2000));
    cache.put("g", 0, verified, "g", 0, t0 + 60_000);
    assertThat(cache.get("g")).isSameAs(verified);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void purge_keepsAnEntryExpiringAtThatVeryMillisecond() {
    VerifiedTokenCache cache = new VerifiedTokenCache(2, clock);
    Verification.Verified verified = (Verification.Verified) verifier(0).verify(hs256Token(claims(NOW)));
    long t0 = NOW.toEpochMilli();
    cache.put("a", 0, verified, "a", 0, t0);
    cache.put("b", 0, verified, "b", 0, t0 - 1);
    cache.put("c", 0, verified, "c", 0, t0 + 60_000); // the purge at t0 drops b only
    assertThat(cache.get("a")).isSameAs(verified);
    assertThat(cache.get("c")).isSameAs(verified);
  }

  @Test
  void purge_runsAtOnceWhenTheClockWentBack_butNotTwiceInTheSameMillisecond() {
    VerifiedTokenCache cache = new VerifiedTokenCache(2, clock);
    Verification.Verified verified = (Verification.Verified) verifier(0).verify(hs256Token(claims(NOW)));
    long t0 = NOW.toEpochMilli();
    cache.put("x", 0, verified, "x", 0, t0 + 60_000);
    cache.put("y", 0, verified, "y", 0, t0 + 60_000);
    cache.put("z", 0, verified, "z", 0, t0 + 60_000); // full: the purge at t0 finds nothing
    assertThat(cache.get("z")).isNull();
    clock.set(NOW.plusSeconds(120)); // x and y expire: the purge at +120 s drops them
    cache.put("z", 0, verified, "z", 0, t0 + 50_000); // entries that have expired already (put does not look)
    cache.put("w", 0, verified, "w", 0, t0 + 50_000);
    assertThat(cache.size()).isEqualTo(2);
    cache.put("v", 0, verified, "v", 0, t0 + 180_000); // the same millisecond as the last purge: none runs
    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("v")).isNull();
    // The clock goes back 500 ms: less than a second, but backwards, so a purge runs and makes room.
    clock.set(NOW.plusSeconds(120).minusMillis(500));
    cache.put("v", 0, verified, "v", 0, t0 + 180_000);
    assertThat(cache.get("v")).isSameAs(verified);
    assertThat(cache.size()).isOne();
  }

  @Test
  void config_refusesACacheForSingleUse_andSizesOutOfRange() {
    JwtVerifierConfig.Builder b = TestJwts.singleUseConfig(clock, io.github.wsauth.store.TokenStore.inMemory(clock), TestKeys.verificationKeys())
        .verifiedTokenCache(10);
    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("single-use policy cannot cache");
    assertThatThrownBy(() -> TestJwts.verifierConfig(clock).verifiedTokenCache(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cache size");
    assertThatThrownBy(() -> TestJwts.verifierConfig(clock)
        .verifiedTokenCache(JwtVerifierConfig.MAX_CACHE_ENTRIES + 1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cache size");
    JwtVerifierConfig ok = TestJwts.verifierConfig(clock).verifiedTokenCache(JwtVerifierConfig.MAX_CACHE_ENTRIES)
        .build();
    assertThat(ok.verifiedTokenCacheSize()).isEqualTo(JwtVerifierConfig.MAX_CACHE_ENTRIES);
    assertThat(TestJwts.verifierConfig(clock).build().verifiedTokenCacheSize()).isZero();
    assertThat(TestJwts.verifierConfig(clock).build().revocations()).isEmpty();
  }

  @Test
  void skew_isTheConfiguredOne() {
    assertThat(TestJwts.REUSABLE.clockSkew()).isEqualTo(Duration.ofSeconds(5));
  }
}
