package io.github.wsauth.internal;

/**
 * UTF-8 lengths without encoding, counted exactly as {@code String.getBytes(UTF_8)} would produce them, so every
 * size cap in every adapter agrees (before, the Jakarta adapter counted a lone surrogate as 3 bytes and core as 4,
 * swallowing the next char). One count differs on purpose: {@link FirstMessageSession} counts a message's parts as
 * they arrive, a surrogate pair split over two parts as 4 bytes, and a lone surrogate as 3, not 1; no valid UTF-8
 * message decodes to a lone surrogate, and counting it high only makes the cap stricter.
 *
 * <p>Internal: shared by wsauth's modules, not part of the API. Thread-safe (stateless).
 */
public final class Utf8 {
  private Utf8() {}

  /**
   * The number of bytes {@code s.toString().getBytes(StandardCharsets.UTF_8)} has: 1, 2 or 3 per char, 4 per
   * surrogate pair, and 1 for an unpaired surrogate (Java's encoder writes it as {@code '?'}).
   */
  public static long length(CharSequence s) {
    long n = 0;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
          n += 4;
          i++;
        } else {
          n++; // unpaired: encoded as '?'
        }
      } else {
        n += 3;
      }
    }
    return n;
  }
}
