package io.github.wsauth.jakarta;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs a wiring problem once per minute per message, however many handshakes hit it, so that clients cannot
 * flood the server's logs. The message is a constant written by wsauth (plus an endpoint path from the server's
 * own configuration): never request data, never a credential.
 */
final class RateLimitedLog {
  private static final long INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Logger logger;
  private final LongSupplier nanoTime;
  private final ConcurrentMap<String, Window> windows = new ConcurrentHashMap<>();

  RateLimitedLog(Logger logger) {
    this(logger, System::nanoTime);
  }

  RateLimitedLog(Logger logger, LongSupplier nanoTime) {
    this.logger = logger;
    this.nanoTime = nanoTime;
  }

  /** Logs {@code message} unless it was logged less than a minute ago; then only counts it. */
  void log(Level level, String message) {
    if (windows.size() > 1_000) {
      windows.clear(); // bounded: the messages come from the server's configuration, not from clients
    }
    Window w = windows.computeIfAbsent(message, m -> new Window());
    long now = nanoTime.getAsLong();
    long suppressed;
    synchronized (w) {
      if (w.logged && now - w.since < INTERVAL_NANOS) {
        w.suppressed.incrementAndGet();
        return;
      }
      w.logged = true;
      w.since = now;
      suppressed = w.suppressed.getAndSet(0);
    }
    logger.log(level, suppressed == 0 ? message : message + " (" + suppressed + " more in the last minute)");
  }

  private static final class Window {
    private boolean logged;
    private long since;
    private final AtomicLong suppressed = new AtomicLong();
  }
}
