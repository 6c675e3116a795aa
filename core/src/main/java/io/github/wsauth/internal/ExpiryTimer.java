package io.github.wsauth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;

/**
 * When, with what code and what reason an authenticated connection is closed because its identity expired: the
 * one definition both adapters drive. The clock decides; the scheduler only wakes the timer up, and a wake-up
 * before the clock says "expired" (a clock adjustment, a manual test scheduler) re-arms for the rest. Scheduler-
 * and transport-agnostic: the adapter gives a way to run a task later and a way to close its connection.
 *
 * <p>Internal: shared by wsauth's modules, not part of the API. Thread-safe.
 */
public final class ExpiryTimer {
  /** The close reason of an expired connection. */
  public static final String REASON = "authentication expired";
  /** The default close code: 1008, policy violation (RFC 6455 §7.4.1). */
  public static final int DEFAULT_CLOSE_CODE = 1008;
  /** {@link Identity#isExpiredAt} is strict (after {@code expiresAt}): wake up just past the instant. */
  private static final Duration MARGIN = Duration.ofMillis(1);

  /** The connection the timer closes. */
  public interface Connection {
    /** Whether the connection is still open. */
    boolean isOpen();

    /** Closes it with a WebSocket close code and reason. */
    void close(int code, String reason);
  }

  private final Identity identity;
  private final Clock clock;
  private final int closeCode;
  private final TaskScheduler scheduler;
  private final Connection connection;
  private volatile TaskScheduler.Cancellable pending;
  private volatile boolean cancelled;

  private ExpiryTimer(Identity identity, Clock clock, int closeCode, TaskScheduler scheduler, Connection connection) {
    this.identity = Objects.requireNonNull(identity, "identity must not be null");
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.closeCode = checkCloseCode(closeCode);
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
    this.connection = Objects.requireNonNull(connection, "connection must not be null");
  }

  /**
   * Starts a timer that closes {@code connection} with {@code closeCode} and {@link #REASON} once {@code clock}
   * says {@code identity} expired; already expired: at the first wake-up.
   */
  public static ExpiryTimer start(Identity identity, Clock clock, int closeCode, TaskScheduler scheduler,
      Connection connection) {
    ExpiryTimer timer = new ExpiryTimer(identity, clock, closeCode, scheduler, connection);
    timer.arm(clock.instant());
    return timer;
  }

  /**
   * Checks an expiry close code: 1000, 1001, 1008, or an application code 3000-4999 (RFC 6455 §7.4.2).
   *
   * @throws IllegalArgumentException otherwise
   */
  public static int checkCloseCode(int code) {
    boolean ok = code == 1000 || code == 1001 || code == 1008 || (code >= 3000 && code <= 4999);
    if (!ok) {
      throw new IllegalArgumentException("expiry close code must be 1000, 1001, 1008 or 3000-4999: " + code);
    }
    return code;
  }

  private void arm(Instant now) {
    Duration delay = Duration.between(now, identity.expiresAt()).plus(MARGIN);
    pending = scheduler.schedule(this::fire, delay.isNegative() ? Duration.ZERO : delay);
    if (cancelled) {
      pending.cancel();
    }
  }

  private void fire() {
    if (cancelled || !connection.isOpen()) {
      return;
    }
    Instant now = clock.instant();
    if (!identity.isExpiredAt(now)) {
      arm(now);
      return;
    }
    try {
      connection.close(closeCode, REASON);
    } catch (RuntimeException e) {
      // The connection is going away anyway.
    }
  }

  /** Stops the timer (the connection closed); cancelling twice, or after it fired, does nothing. */
  public void cancel() {
    cancelled = true;
    TaskScheduler.Cancellable p = pending;
    if (p != null) {
      p.cancel();
    }
  }
}
