package io.github.wsauth.jwt;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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

  private TokenShape() {}

  /**
   * Whether {@code token} is three base64url segments ({@code [A-Za-z0-9_-]}, no padding, no whitespace) joined
   * by two dots, with a non-empty header and payload, each segment canonical. Reads each character once.
   */
  static boolean isCompactJws(String token) {
    int dots = 0;
    int segmentStart = 0;
    int n = token.length();
    for (int i = 0; i <= n; i++) {
      if (i == n || token.charAt(i) == '.') {
        if (i < n && ++dots > 2) {
          return false;
        }
        int len = i - segmentStart;
        boolean mayBeEmpty = i == n; // only the signature segment (an unsecured JWT has an empty one)
        if (len == 0 && !mayBeEmpty) {
          return false;
        }
        if (len > 0 && !isCanonicalEnd(token, segmentStart, len)) {
          return false;
        }
        segmentStart = i + 1;
        continue;
      }
      if (value(token.charAt(i)) < 0) {
        return false;
      }
    }
    return dots == 2;
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
    return isUtf8JsonObject(token.substring(0, first)) && isUtf8JsonObject(token.substring(first + 1, second));
  }

  private static boolean isUtf8JsonObject(String segment) {
    try {
      CharSequence text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(DECODER.decode(segment)));
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return c == '{';
        }
      }
      return false;
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return false;
    }
  }

  private static int value(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    if (c == '-') {
      return 62;
    }
    if (c == '_') {
      return 63;
    }
    return -1;
  }
}
