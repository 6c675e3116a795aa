package io.github.wsauth;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** Holder of {@link TaskScheduler#shared()}. */
final class SharedScheduler {
  /** The executor behind {@link #INSTANCE}; package-visible for tests. */
  static final ScheduledThreadPoolExecutor EXECUTOR;
  static final TaskScheduler INSTANCE;

  static {
    EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "wsauth-scheduler");
      t.setDaemon(true);
      return t;
    });
    EXECUTOR.setRemoveOnCancelPolicy(true);
    INSTANCE = TaskScheduler.of(EXECUTOR);
  }

  private SharedScheduler() {}
}
