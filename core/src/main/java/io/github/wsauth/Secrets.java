package io.github.wsauth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.github.wsauth.internal.CharClasses;

/**
 * Small helpers for handling secrets: constant-time comparison; the character classes are {@link CharClasses}'s
 * (shared with the adapters).
 */
final class Secrets {
  private Secrets() {}

  /** Compares two strings in time that depends only on their lengths, not on where they differ. */
  static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) {
      return a == b;
    }
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** See {@link CharClasses#isTchar}. */
  static boolean isTchar(char c) {
    return CharClasses.isTchar(c);
  }

  /** See {@link CharClasses#isHttpToken}. */
  static boolean isHttpToken(CharSequence s) {
    return CharClasses.isHttpToken(s);
  }

  /** See {@link CharClasses#isControl}. */
  static boolean isControl(int c) {
    return CharClasses.isControl(c);
  }

  /** See {@link CharClasses#hasControl}. */
  static boolean hasControl(CharSequence s) {
    return CharClasses.hasControl(s);
  }

  /** See {@link CharClasses#isB64token}. */
  static boolean isB64token(CharSequence s) {
    return CharClasses.isB64token(s);
  }
}
