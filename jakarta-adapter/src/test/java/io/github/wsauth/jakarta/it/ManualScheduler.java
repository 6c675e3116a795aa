package io.github.wsauth.jakarta.it;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.wsauth.TaskScheduler;
import io.github.wsauth.testkit.MutableClock;

/** A scheduler driven by a {@link MutableClock}: tasks run when the test calls {@link #runDue()}. */
public final class ManualScheduler implements TaskScheduler {
  private final MutableClock clock;
  private final List<Task> tasks = new ArrayList<>();

  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, Duration delay) {
    Task t = new Task(clock.instant().plus(delay), task);
    tasks.add(t);
    return () -> {
      synchronized (ManualScheduler.this) {
        tasks.remove(t);
      }
    };
  }

  /** Runs every task due by the clock's current time (tasks they schedule run on a later call). */
  public void runDue() {
    List<Task> due = new ArrayList<>();
    synchronized (this) {
      Instant now = clock.instant();
      for (Task t : tasks) {
        if (!t.due.isAfter(now)) {
          due.add(t);
        }
      }
      tasks.removeAll(due);
    }
    due.forEach(t -> t.task.run());
  }

  /** How many tasks wait. */
  public synchronized int pending() {
    return tasks.size();
  }

  /** Forgets every task. */
  public synchronized void clear() {
    tasks.clear();
  }

  private record Task(Instant due, Runnable task) {}
}
