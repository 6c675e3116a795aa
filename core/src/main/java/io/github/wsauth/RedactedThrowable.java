package io.github.wsauth;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The stand-in {@link RedactingLogFilter} logs for an exception whose message (or a cause's) holds a credential:
 * same class name in {@link #toString()}, same stack trace, redacted message, causes and suppressed exceptions
 * copied the same way. Never thrown.
 */
final class RedactedThrowable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String description;

  private RedactedThrowable(String description, String message, Throwable cause) {
    super(message, cause, true, true);
    this.description = description;
  }

  /** {@code t} itself if nothing in it needs redacting, else a redacted copy of the whole tree. */
  static Throwable redact(Throwable t, LogRedactor redactor) {
    if (!needsRedaction(t, redactor, Collections.newSetFromMap(new IdentityHashMap<>()))) {
      return t;
    }
    return copy(t, redactor, new IdentityHashMap<>());
  }

  private static boolean needsRedaction(Throwable t, LogRedactor redactor, Set<Throwable> seen) {
    if (t == null || !seen.add(t)) {
      return false;
    }
    String text = String.valueOf(t);
    if (!redactor.redact(text).equals(text)) {
      return true;
    }
    for (Throwable s : t.getSuppressed()) {
      if (needsRedaction(s, redactor, seen)) {
        return true;
      }
    }
    return needsRedaction(t.getCause(), redactor, seen);
  }

  private static Throwable copy(Throwable t, LogRedactor redactor, Map<Throwable, RedactedThrowable> copies) {
    if (copies.containsKey(t)) {
      return copies.get(t); // null while t is being copied: a cause cycle is cut there
    }
    copies.put(t, null);
    Throwable cause = t.getCause() == null ? null : copy(t.getCause(), redactor, copies);
    String message = t.getLocalizedMessage();
    RedactedThrowable r = new RedactedThrowable(redactor.redact(String.valueOf(t)),
        message == null ? null : redactor.redact(message), cause);
    r.setStackTrace(t.getStackTrace());
    copies.put(t, r);
    for (Throwable s : t.getSuppressed()) {
      Throwable c = copy(s, redactor, copies);
      if (c != null && c != r) {
        r.addSuppressed(c);
      }
    }
    return r;
  }

  /** The original exception's {@code toString()}, redacted: its class name, then its message. */
  @Override
  public String toString() {
    return description;
  }
}
