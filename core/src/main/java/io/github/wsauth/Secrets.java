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

  /** The longest store-failure message logged, in characters. */
  static final int MAX_LOGGED_MESSAGE = 300;

  /**
   * A store failure's message, safe to log. The {@code TokenStore} contract keeps secrets out of it; this holds
   * when a custom store or verifier breaks the contract too: every occurrence of the presented {@code secret} is
   * masked, control characters (a forged log line) become spaces, and the message is capped at {@link
   * #MAX_LOGGED_MESSAGE} characters. No message: the exception's class.
   */
  static String loggableMessage(Exception e, String secret) {
    String message = e.getMessage();
    if (message == null || message.isEmpty()) {
      return e.getClass().getName();
    }
    if (secret != null && !secret.isEmpty()) {
      message = message.replace(secret, "[redacted]");
    }
    StringBuilder out = new StringBuilder(Math.min(message.length(), MAX_LOGGED_MESSAGE + 1));
    for (int i = 0; i < message.length() && out.length() < MAX_LOGGED_MESSAGE; i++) {
      char c = message.charAt(i);
      out.append(CharClasses.isControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
    }
    if (Character.isHighSurrogate(out.charAt(out.length() - 1))) { // out is not empty: message was not
      out.setLength(out.length() - 1); // never half a pair
    }
    return message.length() > MAX_LOGGED_MESSAGE ? out.append('…').toString() : out.toString();
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
