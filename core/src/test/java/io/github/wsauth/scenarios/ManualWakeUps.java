package io.github.wsauth.scenarios;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.wsauth.TaskScheduler;

/**
 * A scheduler that never wakes up by itself: the adapters' expiry and warning timers are handed to it, and a
 * test runs them with {@link #runAll()} after it moved the clock (the clock decides; a wake-up too early
 * re-arms). Thread-safe.
 */
public final class ManualWakeUps implements TaskScheduler {
  private final List<Runnable> live = new CopyOnWriteArrayList<>();

  /** Holds {@code task}; the returned handle cancels it. */
  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    Runnable holder = task::run; // one identity per scheduling, even for the same task
    live.add(holder);
    return () -> live.remove(holder);
  }

  /** Runs every task held now, once (tasks they schedule wait for the next call). */
  public void runAll() {
    for (Runnable r : List.copyOf(live)) {
      if (live.remove(r)) {
        r.run();
      }
    }
  }
}
