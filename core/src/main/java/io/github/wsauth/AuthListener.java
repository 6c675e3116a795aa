package io.github.wsauth;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Observes authentication outcomes, for metrics and audit logs. Events never carry a secret. Called on the
 * thread that authenticated; implementations must be thread-safe, fast, and must not throw (exceptions are
 * ignored).
 */
public interface AuthListener {

  /** A listener that does nothing. */
  AuthListener NONE = new AuthListener() {
    @Override
    public String toString() {
      return "AuthListener.NONE";
    }
  };

  /** A connection was authenticated. */
  default void onAccepted(AuthEvent event) {}

  /** A connection was refused. */
  default void onRejected(AuthEvent event) {}

  /**
   * Logs every outcome to the {@link System.Logger} named {@code io.github.wsauth.audit}: accepted at DEBUG,
   * rejected at INFO (store failures at WARNING). Lines hold stage, source, subject, reason, code and peer only.
   */
  static AuthListener logging() {
    Logger logger = System.getLogger("io.github.wsauth.audit");
    return new AuthListener() {
      @Override
      public void onAccepted(AuthEvent e) {
        logger.log(Level.DEBUG, () -> "wsauth accepted " + describe(e));
      }

      @Override
      public void onRejected(AuthEvent e) {
        Level level = e.code() == 503 || e.code() == 1011 ? Level.WARNING : Level.INFO;
        logger.log(level, () -> "wsauth rejected " + describe(e));
      }

      private String describe(AuthEvent e) {
        return "stage=" + e.stage() + " source=" + e.source().map(Enum::name).orElse("-")
            + " subject=" + e.subject().orElse("-") + " reason=\"" + e.reason() + "\" code=" + e.code()
            + " peer=" + e.remoteAddress().map(Object::toString).orElse("-");
      }
    };
  }

  /** Calls {@code listener} and swallows what it throws: observers must never change a decision. */
  static void notify(AuthListener listener, AuthEvent event) {
    try {
      if (event.accepted()) {
        listener.onAccepted(event);
      } else {
        listener.onRejected(event);
      }
    } catch (RuntimeException ignored) {
      // An observer failure must not turn into a rejection or a 500.
    }
  }
}
