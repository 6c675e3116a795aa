package io.github.wsauth.jwt;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The checks that run before Nimbus sees a token: the length cap, then the exact shape of a JWS compact
 * serialisation in its one canonical encoding, then strict UTF-8 in the header and payload.
 *
 * <p>Why canonical: base64url without padding has one valid spelling per byte string only if the unused low
 * bits of the last character are zero (RFC 4648 §3.5). Nimbus decodes leniently (padding, stray bits), so
 * without this check several strings would carry the same signature. Replay protection keys on the {@code jti}
 * and would hold anyway; rejecting them makes every accepted token byte-for-byte what the issuer produced.
 */
final class TokenShape {
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  /** The base64url value of each ASCII character, -1 for characters outside the alphabet. */
  private static final byte[] VALUES = new byte[128];
  /** Which bit of a character's value is a decoded byte's high bit, by the character's position in its group. */
  private static final int[] HIGH_BIT_OF_POSITION = {0x20, 0x08, 0x02, 0};

  static {
    Arrays.fill(VALUES, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
  }

  private TokenShape() {}

  /**
   * Whether {@code token} is three base64url segments ({@code [A-Za-z0-9_-]}, no padding, no whitespace) joined
   * by two dots, with a non-empty header and payload, each segment canonical. The dots are found with {@code
   * indexOf} (vectorised by the JVM) and each segment is then scanned in a tight loop: about 2x faster than one
   * loop that tests every character for a dot as well (docs/BENCHMARKS.md).
   */
  static boolean isCompactJws(String token) {
    return isCompactJws(token, false);
  }

  /**
   * {@link #isCompactJws} and {@link #hasJsonObjectHeaderAndPayload} together, the verifier's check: one pass over
   * the header and the payload checks their characters and collects their bytes' high bits at once, where the two
   * methods one after the other read those segments twice.
   */
  static boolean isCompactJwsOfJsonObjects(String token) {
    return isCompactJws(token, true);
  }

  private static boolean isCompactJws(String token, boolean jsonObjects) {
    long dots = dots(token);
    if (dots == -1) {
      return false;
    }
    int first = (int) (dots >>> 32);
    int second = (int) dots;
    // Only the signature may be empty (an unsecured JWT has an empty one; the processor rejects it later).
    return isCanonicalSegment(token, 0, first, jsonObjects)
        && isCanonicalSegment(token, first + 1, second, jsonObjects)
        && (second + 1 == token.length() || isCanonicalSegment(token, second + 1, token.length(), false));
  }

  /**
   * The positions of the two dots of a compact JWS, first in the high and second in the low 32 bits; -1 if there
   * is no dot, the header or the payload is empty, or there are more than two dots.
   */
  private static long dots(String token) {
    int first = token.indexOf('.');
    if (first <= 0) {
      return -1; // no dot, or an empty header
    }
    int second = token.indexOf('.', first + 1);
    if (second == -1 || second == first + 1 || token.indexOf('.', second + 1) != -1) {
      return -1; // one dot, an empty payload, or more than two dots
    }
    return ((long) first << 32) | second;
  }

  /**
   * Whether {@code [start, end)} is canonical base64url and, if {@code jsonObject}, also what {@link
   * #isUtf8JsonObject} asks: the characters and the decoded bytes' high bits are read in the same pass.
   */
  private static boolean isCanonicalSegment(String token, int start, int end, boolean jsonObject) {
    int high = 0;
    for (int i = start; i < end; i++) {
      int v = value(token.charAt(i));
      if (v < 0) {
        return false;
      }
      high |= v & HIGH_BIT_OF_POSITION[(i - start) & 3];
    }
    if (!isCanonicalEnd(token, start, end - start)) {
      return false;
    }
    if (!jsonObject) {
      return true;
    }
    return high == 0 ? firstNonWhitespaceByte(token, start, end) == '{' : decodesToUtf8JsonObject(token, start, end);
  }

  /** A segment of length {@code len} ending at {@code start + len - 1} leaves no nonzero unused bits. */
  private static boolean isCanonicalEnd(String token, int start, int len) {
    int last = value(token.charAt(start + len - 1));
    switch (len % 4) {
      case 0:
        return true;
      case 2:
        return (last & 0x0f) == 0;
      case 3:
        return (last & 0x03) == 0;
      default:
        return false; // one character left over cannot encode a byte
    }
  }

  /**
   * Whether the header and payload segments decode to well-formed UTF-8 (Nimbus would substitute U+FFFD) that
   * starts, after optional JSON whitespace, with {@code '{'} (Nimbus's JSON library would also read an array of
   * pairs as an object).
   */
  static boolean hasJsonObjectHeaderAndPayload(String token) {
    int first = token.indexOf('.');
    int second = token.indexOf('.', first + 1);
    return isUtf8JsonObject(token, 0, first) && isUtf8JsonObject(token, first + 1, second);
  }

  /** The segment {@code [start, end)}, already known to be canonical base64url, decoded and checked. */
  private static boolean isUtf8JsonObject(String token, int start, int end) {
    if ((end - start) % 4 == 1) {
      return false; // one character left over cannot encode a byte
    }
    if (!hasNonAsciiByte(token, start, end)) {
      // All ASCII, hence valid UTF-8: only the first non-whitespace byte matters, and it is decoded in place.
      // Decoding the segment into a byte array cost more than the rest of the shape checks (docs/BENCHMARKS.md).
      return firstNonWhitespaceByte(token, start, end) == '{';
    }
    return decodesToUtf8JsonObject(token, start, end);
  }

  /** The segment decoded, then checked as strict UTF-8 starting with a JSON object: the path for non-ASCII. */
  private static boolean decodesToUtf8JsonObject(String token, int start, int end) {
    byte[] bytes;
    try {
      bytes = DECODER.decode(token.substring(start, end));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return isStrictUtf8JsonObject(bytes);
  }

  /**
   * Whether any byte the segment encodes has its high bit set, found without decoding: in each group of four
   * characters the three bytes' high bits are bit 5 of the first character's value, bit 3 of the second's and
   * bit 1 of the third's. (In a short last group the bits past the last byte are zero: the segment is canonical.)
   */
  private static boolean hasNonAsciiByte(String token, int start, int end) {
    int high = 0;
    for (int i = start; i < end; i++) {
      high |= value(token.charAt(i)) & HIGH_BIT_OF_POSITION[(i - start) & 3];
    }
    return high != 0;
  }

  /** The first decoded byte that is not JSON whitespace, or -1 if there is none. */
  private static int firstNonWhitespaceByte(String token, int start, int end) {
    int buffer = 0;
    int bits = 0;
    for (int i = start; i < end; i++) {
      buffer = (buffer << 6) | value(token.charAt(i));
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        int b = (buffer >>> bits) & 0xff;
        buffer &= (1 << bits) - 1;
        if (!isJsonWhitespace((char) b)) {
          return b;
        }
      }
    }
    return -1;
  }

  private static boolean isStrictUtf8JsonObject(byte[] bytes) {
    CharSequence text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      if (!isJsonWhitespace(text.charAt(i))) {
        return text.charAt(i) == '{';
      }
    }
    return false;
  }

  private static boolean isJsonWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static int value(char c) {
    return c < VALUES.length ? VALUES[c] : -1;
  }
}
