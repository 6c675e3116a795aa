package io.github.wsauth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict decoders: malformed input is rejected, never repaired. */
final class PercentDecoding {
  private PercentDecoding() {}

  /**
   * Decodes an {@code application/x-www-form-urlencoded} component ({@code +} is a space) strictly: a {@code %}
   * not followed by two hex digits, or bytes that are not valid UTF-8, give {@code null}.
   */
  static String decodeFormComponent(String s, int start, int end) {
    boolean plain = true;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c == '%' || c == '+' || c > 0x7f) {
        plain = false;
        break;
      }
    }
    if (plain) {
      return s.substring(start, end);
    }
    byte[] bytes = new byte[(end - start) * 3];
    int n = 0;
    for (int i = start; i < end; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= end) {
          return null;
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0 || s.charAt(i + 1) > 0x7f || s.charAt(i + 2) > 0x7f) {
          return null;
        }
        bytes[n++] = (byte) ((hi << 4) | lo);
        i += 2;
      } else if (c == '+') {
        bytes[n++] = ' ';
      } else if (c <= 0x7f) {
        bytes[n++] = (byte) c;
      } else {
        // A raw non-ASCII character in a request target is not valid; reject rather than guess.
        return null;
      }
    }
    return strictUtf8(bytes, 0, n);
  }

  /** Decodes UTF-8 strictly: malformed or unmappable input gives {@code null}. */
  static String strictUtf8(byte[] bytes, int offset, int length) {
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length));
      return chars.toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Decodes UTF-8 strictly from a buffer without changing its position: invalid input gives {@code null}. */
  static String strictUtf8(ByteBuffer buffer) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(buffer.duplicate())
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
