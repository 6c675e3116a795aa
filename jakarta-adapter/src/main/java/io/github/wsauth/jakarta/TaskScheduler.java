package io.github.wsauth.jakarta;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay: the first-message deadline and the expiry close. An interface rather than a
 * {@link ScheduledExecutorService} so tests can drive time by hand (with a {@code MutableClock}) instead of
 * sleeping for a token's lifetime.
 *
 * <pre>{@code
 * TaskScheduler scheduler = TaskScheduler.of(Executors.newSingleThreadScheduledExecutor());
 * }</pre>
 *
 * <p>Implementations must be thread-safe; tasks must be short (they only close a session).
 */
@FunctionalInterface
public interface TaskScheduler {

  /**
   * Runs {@code task} once after {@code delay} (zero or negative: as soon as possible).
   *
   * @return a handle that cancels the task if it has not run yet
   */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task that can be cancelled; cancelling twice, or after it ran, does nothing. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not started. */
    void cancel();
  }

  /** Schedules on {@code executor}; the caller owns (and shuts down) the executor. */
  static TaskScheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor must not be null");
    return (task, delay) -> {
      long nanos = Math.max(0, delay.toNanos());
      ScheduledFuture<?> future = executor.schedule(task, nanos, TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    };
  }

  /**
   * A process-wide scheduler with one daemon thread, created on first use, that removes cancelled tasks at once
   * (so a long-lived connection's cancelled expiry does not stay queued).
   */
  static TaskScheduler shared() {
    return SharedScheduler.INSTANCE;
  }
}

/** Holder of {@link TaskScheduler#shared()}. */
final class SharedScheduler {
  static final TaskScheduler INSTANCE;

  static {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "wsauth-scheduler");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true);
    INSTANCE = TaskScheduler.of(executor);
  }

  private SharedScheduler() {}
}
