package io.github.wsauth.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The SHA-256 of a token: what a {@link TokenStore} keeps instead of the token, so a leaked store does not leak
 * usable tokens. 32 bytes, held as four longs to keep in-memory entries small.
 *
 * <p>Lookups by hash need no constant-time comparison: an attacker controls the token, not its hash. Immutable
 * and thread-safe; {@code toString()} shows only a short prefix of the hash, never the token.
 */
public final class TokenHash {
  /** Length of the hash in bytes. */
  public static final int LENGTH = 32;

  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  });

  private final long h0;
  private final long h1;
  private final long h2;
  private final long h3;

  private TokenHash(long h0, long h1, long h2, long h3) {
    this.h0 = h0;
    this.h1 = h1;
    this.h2 = h2;
    this.h3 = h3;
  }

  /** Hashes a token's UTF-8 bytes with SHA-256. */
  public static TokenHash of(CharSequence token) {
    Objects.requireNonNull(token, "token must not be null");
    MessageDigest digest = SHA256.get();
    digest.reset();
    // One update over the encoded bytes. Feeding the digest one byte at a time avoided a 64-byte copy but cost
    // ~5x more (each update(byte) goes through the provider's one-byte buffer): ~530 ns against ~100 ns for a
    // 43-character token; see docs/BENCHMARKS.md. For an ASCII String, getBytes is a plain array copy.
    return fromBytes(digest.digest(token.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** Rebuilds a hash from its 32 bytes, e.g. as read from a database. */
  public static TokenHash fromBytes(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes must not be null");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("a token hash is " + LENGTH + " bytes, got " + bytes.length);
    }
    return new TokenHash(readLong(bytes, 0), readLong(bytes, 8), readLong(bytes, 16), readLong(bytes, 24));
  }

  /** The 32 bytes of the hash (a fresh copy). */
  public byte[] bytes() {
    byte[] out = new byte[LENGTH];
    writeLong(out, 0, h0);
    writeLong(out, 8, h1);
    writeLong(out, 16, h2);
    writeLong(out, 24, h3);
    return out;
  }

  /** The hash as 64 lowercase hex digits. */
  public String toHex() {
    StringBuilder sb = new StringBuilder(64);
    for (byte b : bytes()) {
      sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    }
    return sb.toString();
  }

  private static long readLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xffL);
    }
    return v;
  }

  private static void writeLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TokenHash t && t.h0 == h0 && t.h1 == h1 && t.h2 == h2 && t.h3 == h3;
  }

  @Override
  public int hashCode() {
    return (int) (h0 ^ (h0 >>> 32));
  }

  /** A short prefix of the hash, enough to correlate log lines, never the token. */
  @Override
  public String toString() {
    return "TokenHash[" + toHex().substring(0, 12) + "…]";
  }
}
