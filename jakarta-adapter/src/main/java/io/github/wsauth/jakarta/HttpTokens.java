package io.github.wsauth.jakarta;

/** RFC 9110 §5.6.2 {@code token} checks, for subprotocol names and prefixes. */
final class HttpTokens {
  private static final String SEPARATORS = "\"(),/:;<=>?@[\\]{}";

  private HttpTokens() {}

  static boolean isToken(CharSequence s) {
    if (s == null || s.length() == 0) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f || SEPARATORS.indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}
