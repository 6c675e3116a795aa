package io.github.wsauth.jwt;

import io.github.wsauth.Verification;
import io.github.wsauth.lifetime.Revocation;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The verified-token cache of a reusable-policy JWT verifier: the answer for a token verified before, until the
 * token expires, without parsing or a signature check again.
 *
 * <ul>
 *   <li>Keyed by a 128-bit SipHash-2-4 of the token under a random key drawn per cache ({@link SecureRandom}):
 *       the token itself is never kept, and without the key no one can make a different token with the same
 *       fingerprint. (SHA-256 of the token would cost more than the hit is allowed to.)</li>
 *   <li>An entry answers only while {@code max(iat, nbf) - skew <= now <= exp} on the verifier's clock: every
 *       time check the full path makes passes then, so a hit gives the answer the full path would. After
 *       {@code exp} (not {@code exp + skew}) the full path decides again.</li>
 *   <li>Bounded: at most {@code maxEntries}; when full, expired entries are dropped (at most once a second) and a
 *       new token that still does not fit is simply not cached.</li>
 *   <li>Revocations ({@link #accept}, subscribed to a {@link io.github.wsauth.lifetime.RevocationBus}) drop the
 *       entries of the subject or the {@code jti}; a verification that was under way when a revocation came
 *       does not put its entry back. A {@code Revoker} of this process calls it too, before its revocation call
 *       returns ({@code RevocationKeys.onRevokedHere}), so a hit never outlives a revocation made on this node,
 *       whatever the bus's latency.</li>
 * </ul>
 * Thread-safe.
 */
final class VerifiedTokenCache implements Consumer<Revocation> {
  private static final long PURGE_INTERVAL_MILLIS = 1000;

  private final ConcurrentHashMap<Fingerprint, Entry> entries = new ConcurrentHashMap<>();
  private final int maxEntries;
  private final Clock clock;
  private final long k0;
  private final long k1;
  /** The key of {@link #sipHash128Latin1}, drawn apart from {@code k0, k1}: the two encodings never share a key. */
  private final long k2;
  private final long k3;
  private final AtomicLong generation = new AtomicLong();
  private volatile long lastPurge;

  VerifiedTokenCache(int maxEntries, Clock clock) {
    this.maxEntries = maxEntries;
    this.clock = clock;
    this.lastPurge = clock.millis() - PURGE_INTERVAL_MILLIS; // the first purge may run at once
    SecureRandom random = new SecureRandom();
    this.k0 = random.nextLong();
    this.k1 = random.nextLong();
    this.k2 = random.nextLong();
    this.k3 = random.nextLong();
  }

  /** The cached answer for {@code token}, or null. */
  Verification.Verified get(String token) {
    Entry e = entries.get(fingerprint(token));
    if (e == null) {
      return null;
    }
    long now = clock.millis();
    return now >= e.notBeforeMillis && now <= e.expiresAtMillis ? e.verified : null;
  }

  /** The revocation count, read before a verification and handed to {@link #put}. */
  long generation() {
    return generation.get();
  }

  /**
   * Caches a verified token, unless a revocation came since {@code generationBefore} was read (the entry could be
   * one it names), or the cache is full.
   */
  void put(String token, long generationBefore, Verification.Verified verified, String jti, long notBeforeMillis,
      long expiresAtMillis) {
    if (entries.size() >= maxEntries && !purgeExpired()) {
      return;
    }
    Fingerprint key = fingerprint(token);
    entries.put(key, new Entry(verified, jti, notBeforeMillis, expiresAtMillis));
    // A revocation after the check above but before the put would miss this entry: check again after it.
    if (generation.get() != generationBefore) {
      entries.remove(key);
    }
  }

  /** Drops expired entries, at most once per interval; whether there is room now. */
  private boolean purgeExpired() {
    long now = clock.millis();
    if (now - lastPurge >= PURGE_INTERVAL_MILLIS || now < lastPurge) {
      lastPurge = now;
      entries.values().removeIf(e -> now > e.expiresAtMillis);
    }
    return entries.size() < maxEntries;
  }

  /** Drops the entries a revocation names: a subject's, or a token's by {@code jti}. */
  @Override
  public void accept(Revocation revocation) {
    generation.incrementAndGet();
    String id = revocation.id();
    if (revocation.kind() == Revocation.Kind.SUBJECT) {
      entries.values().removeIf(e -> id.equals(e.verified.identity().subject()));
    } else {
      entries.values().removeIf(e -> id.equals(e.jti));
    }
  }

  /** How many entries are kept; for tests. */
  int size() {
    return entries.size();
  }

  /**
   * The cache key of {@code token}. A JWT is ASCII, so it is hashed one byte per char (half the SipHash rounds of
   * UTF-16, which made a hit on a 330-char ES256 token cost about 0.4 µs); a string with a char above U+00FF is
   * hashed as UTF-16LE under the other key. Two keys drawn apart keep the two encodings of equal bytes apart.
   */
  Fingerprint fingerprint(String token) {
    Fingerprint f = sipHash128Latin1(k2, k3, token);
    return f != null ? f : sipHash128(k0, k1, token);
  }

  /**
   * SipHash-2-4-128 of {@code s} as ISO-8859-1 bytes, eight chars to a 64-bit word; {@code null} when a char is
   * above U+00FF (it has no such byte: the caller hashes the string as UTF-16 instead).
   */
  static Fingerprint sipHash128Latin1(long k0, long k1, String s) {
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL ^ 0xeeL;
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    int len = s.length();
    int full = len & ~7;
    int high = 0; // the bits above 0xff of every char: not zero means the string is not Latin-1
    for (int i = 0; i <= full; i += 8) {
      long m;
      if (i < full) {
        int c0 = s.charAt(i);
        int c1 = s.charAt(i + 1);
        int c2 = s.charAt(i + 2);
        int c3 = s.charAt(i + 3);
        int c4 = s.charAt(i + 4);
        int c5 = s.charAt(i + 5);
        int c6 = s.charAt(i + 6);
        int c7 = s.charAt(i + 7);
        high |= c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7;
        m = c0 | (long) c1 << 8 | (long) c2 << 16 | (long) c3 << 24 | (long) c4 << 32 | (long) c5 << 40
            | (long) c6 << 48 | (long) c7 << 56;
      } else {
        // The last word: the bytes left over, then the message length (mod 256) in the top byte.
        m = (long) (len & 0xff) << 56;
        for (int j = 0; j < len - full; j++) {
          int c = s.charAt(full + j);
          high |= c;
          m |= (long) c << (8 * j);
        }
      }
      v3 ^= m;
      for (int r = 0; r < 2; r++) {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= m;
    }
    if ((high & ~0xff) != 0) {
      return null;
    }
    return finish(v0, v1, v2, v3);
  }

  /**
   * SipHash-2-4 with a 128-bit output (Aumasson and Bernstein) of the UTF-16LE bytes of {@code s}: four chars to a
   * 64-bit word.
   */
  static Fingerprint sipHash128(long k0, long k1, CharSequence s) {
    long v0 = k0 ^ 0x736f6d6570736575L;
    long v1 = k1 ^ 0x646f72616e646f6dL ^ 0xeeL;
    long v2 = k0 ^ 0x6c7967656e657261L;
    long v3 = k1 ^ 0x7465646279746573L;
    int len = s.length();
    int full = len & ~3;
    for (int i = 0; i <= full; i += 4) {
      long m;
      if (i < full) {
        m = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32
            | (long) s.charAt(i + 3) << 48;
      } else {
        // The last word: the chars left over, then the message length in bytes (mod 256) in the top byte.
        m = (long) ((2 * len) & 0xff) << 56;
        for (int j = 0; j < len - full; j++) {
          m |= (long) s.charAt(full + j) << (16 * j);
        }
      }
      v3 ^= m;
      for (int r = 0; r < 2; r++) {
        v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
        v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
        v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
        v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
      }
      v0 ^= m;
    }
    return finish(v0, v1, v2, v3);
  }

  /** SipHash-2-4-128's finalisation: four rounds, the first half, four more rounds, the second half. */
  private static Fingerprint finish(long v0, long v1, long v2, long v3) {
    v2 ^= 0xeeL;
    for (int r = 0; r < 4; r++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    long a = v0 ^ v1 ^ v2 ^ v3;
    v1 ^= 0xddL;
    for (int r = 0; r < 4; r++) {
      v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
      v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
      v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
      v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
    }
    return new Fingerprint(a, v0 ^ v1 ^ v2 ^ v3);
  }

  /** A token's 128-bit keyed hash. */
  record Fingerprint(long low, long high) {}

  private record Entry(Verification.Verified verified, String jti, long notBeforeMillis, long expiresAtMillis) {}
}
