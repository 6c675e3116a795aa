package io.github.wsauth.internal;

/**
 * RFC 6455 §7.4 close codes and reasons, as every module checks them.
 *
 * <p>Internal: shared by wsauth's modules, not part of the API. Thread-safe (stateless).
 */
public final class CloseCodes {
  /** The longest close reason, in bytes of UTF-8: a Close frame's payload is at most 125 bytes, 2 for the code. */
  public static final int MAX_REASON_BYTES = 123;

  private CloseCodes() {}

  /**
   * Whether a server may send {@code code} in a Close frame: 1000-1003, 1007-1014 and the application range
   * 3000-4999; never 1004-1006 or 1015 (reserved, or only reported locally) nor an unassigned code.
   */
  public static boolean sendable(int code) {
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  }
}
