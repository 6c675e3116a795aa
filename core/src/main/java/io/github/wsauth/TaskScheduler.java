package io.github.wsauth;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay: the first-message deadline, the expiry close and the expiry warning. The one scheduler
 * type of wsauth: the Jakarta adapter and the Spring module take it in their configuration, the Netty adapter adapts
 * its event loop to it, and a server without an adapter gives one to core's first-message and lifetime logic. An
 * interface rather than a {@link ScheduledExecutorService} so tests can drive time by hand (with a {@code
 * MutableClock}) instead of sleeping for a token's lifetime.
 *
 * <pre>{@code
 * TaskScheduler scheduler = TaskScheduler.of(Executors.newSingleThreadScheduledExecutor());
 * }</pre>
 *
 * <p>Implementations must be thread-safe; tasks must be short (they only close a connection or tell the
 * application).
 */
@FunctionalInterface
public interface TaskScheduler {

  /**
   * Runs {@code task} once after {@code delay} (zero or negative: as soon as possible).
   *
   * @param task what to run
   * @param delay how long to wait
   * @return a handle that cancels the task if it has not run yet
   */
  Cancellable schedule(Runnable task, Duration delay);

  /** A scheduled task that can be cancelled; cancelling twice, or after it ran, does nothing. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not started. */
    void cancel();
  }

  /**
   * Schedules on {@code executor}; the caller owns (and shuts down) the executor. A Netty event loop is one.
   *
   * @param executor the executor that runs the tasks
   * @return a scheduler on {@code executor}
   */
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
   *
   * @return the shared scheduler
   */
  static TaskScheduler shared() {
    return SharedScheduler.INSTANCE;
  }
}
