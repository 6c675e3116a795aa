package io.github.wsauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Small helpers for handling secrets: constant-time comparison and validation that never echoes input. */
final class Secrets {
  // Character classes as tables: a chain of range tests per character mispredicts on random token text, which
  // made the opaque token's shape check cost more than its SHA-256 (docs/BENCHMARKS.md).
  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final boolean[] TCHAR = asciiSet(ALPHANUMERIC + "!#$%&'*+-.^_`|~");
  private static final boolean[] B64TOKEN = asciiSet(ALPHANUMERIC + "-._~+/");

  private Secrets() {}

  private static boolean[] asciiSet(String chars) {
    boolean[] set = new boolean[128];
    for (int i = 0; i < chars.length(); i++) {
      set[chars.charAt(i)] = true;
    }
    return set;
  }

  /** Compares two strings in time that depends only on their lengths, not on where they differ. */
  static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) {
      return a == b;
    }
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code c} is an RFC 9110 {@code tchar}, the characters of a {@code token}. */
  static boolean isTchar(char c) {
    return c < 128 && TCHAR[c];
  }

  /** Whether {@code s} is a non-empty RFC 9110 {@code token}. */
  static boolean isHttpToken(CharSequence s) {
    if (s.length() == 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code c} is a control character (C0 or DEL) or a C1 control. */
  static boolean isControl(int c) {
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
  }

  /** Whether {@code s} holds any control character. */
  static boolean hasControl(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (isControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code s} is a non-empty RFC 6750 {@code b64token}: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~"
   * / "+" / "/" ) *"="}. Opaque tokens and JWTs both fit.
   */
  static boolean isB64token(CharSequence s) {
    int n = s.length();
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      if (c < 128 && B64TOKEN[c]) {
        i++;
      } else {
        break;
      }
    }
    if (i == 0) {
      return false;
    }
    while (i < n && s.charAt(i) == '=') {
      i++;
    }
    return i == n;
  }
}
