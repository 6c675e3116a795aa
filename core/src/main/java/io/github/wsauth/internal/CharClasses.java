package io.github.wsauth.internal;

import java.util.Objects;

/**
 * The character classes of HTTP that wsauth checks: RFC 9110 {@code token}, RFC 6750 {@code b64token}, control
 * characters. One definition for core and every adapter (a cookie name, a subprotocol prefix, a bridge token are
 * all checked here).
 *
 * <p>Internal: shared by wsauth's modules, not part of the API. Thread-safe (stateless).
 */
public final class CharClasses {
  // Character classes as tables: a chain of range tests per character mispredicts on random token text, which
  // made the opaque token's shape check cost more than its SHA-256 (docs/BENCHMARKS.md).
  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final boolean[] TCHAR = asciiSet(ALPHANUMERIC + "!#$%&'*+-.^_`|~");
  private static final boolean[] B64TOKEN = asciiSet(ALPHANUMERIC + "-._~+/");

  private CharClasses() {}

  private static boolean[] asciiSet(String chars) {
    boolean[] set = new boolean[128];
    for (int i = 0; i < chars.length(); i++) {
      set[chars.charAt(i)] = true;
    }
    return set;
  }

  /** Whether {@code c} is an RFC 9110 {@code tchar}, the characters of a {@code token}. */
  public static boolean isTchar(char c) {
    return c < 128 && TCHAR[c];
  }

  /** Whether {@code s} is a non-null, non-empty RFC 9110 §5.6.2 {@code token} (a cookie name is one, too). */
  public static boolean isHttpToken(CharSequence s) {
    if (s == null || s.length() == 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (!isTchar(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code s}, checked to be an HTTP token (a configured cookie name, a subprotocol prefix).
   *
   * @param what what {@code s} is, for the message: {@code "cookie name"}
   * @throws NullPointerException if {@code s} is null
   * @throws IllegalArgumentException if it is not a non-empty RFC 9110 token
   */
  public static String requireHttpToken(String s, String what) {
    if (s == null) {
      throw new NullPointerException(what + " must not be null");
    }
    if (!isHttpToken(s)) {
      throw new IllegalArgumentException(what + " must be a non-empty HTTP token");
    }
    return s;
  }

  /**
   * {@code path}, checked to be a configured absolute path (a WebSocket, bridge or cookie path): it starts with
   * {@code /} and holds no query, fragment, space, control or non-ASCII character.
   *
   * @param what what {@code path} is, for the message: {@code "cookie path"}
   * @throws NullPointerException if {@code path} is null
   * @throws IllegalArgumentException if it is not such a path
   */
  public static String requirePath(String path, String what) {
    Objects.requireNonNull(path, what + " must not be null");
    if (!path.startsWith("/") || path.contains("?") || path.contains("#")
        || path.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
      throw new IllegalArgumentException(what + " must start with '/' and hold no query, fragment or space");
    }
    return path;
  }

  /** Whether {@code c} is a control character (C0 or DEL) or a C1 control. */
  public static boolean isControl(int c) {
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
  }

  /** Whether {@code s} holds any control character. */
  public static boolean hasControl(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (isControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code s} is a non-empty RFC 6750 {@code b64token}: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~"
   * / "+" / "/" ) *"="}. Opaque tokens and JWTs both fit; so do RFC 6265 {@code cookie-octet}s.
   */
  public static boolean isB64token(CharSequence s) {
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
