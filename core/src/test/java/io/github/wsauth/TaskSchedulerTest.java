package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

class TaskSchedulerTest {

  @Test
  void of_schedulesOnTheExecutor_inNanos_negativeAsZero_andCancelsWithoutInterrupting() {
    ScheduledExecutorService executor = Mockito.mock(ScheduledExecutorService.class);
    ScheduledFuture<?> future = Mockito.mock(ScheduledFuture.class);
    Mockito.<ScheduledFuture<?>>when(executor.schedule(Mockito.any(Runnable.class), Mockito.anyLong(),
        Mockito.any())).thenReturn(future);
    Runnable task = () -> { };
    TaskScheduler scheduler = TaskScheduler.of(executor);

    TaskScheduler.Cancellable c = scheduler.schedule(task, Duration.ofMillis(1500));
    Mockito.verify(executor).schedule(task, 1_500_000_000L, TimeUnit.NANOSECONDS);
    scheduler.schedule(task, Duration.ofSeconds(-3));
    Mockito.verify(executor).schedule(task, 0L, TimeUnit.NANOSECONDS);

    Mockito.verifyNoInteractions(future);
    c.cancel();
    Mockito.verify(future).cancel(false);
  }

  @Test
  void of_runsTheTaskOnARealExecutor_andACancelledOneNever() throws Exception {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1);
    try {
      CountDownLatch ran = new CountDownLatch(1);
      TaskScheduler scheduler = TaskScheduler.of(executor);
      TaskScheduler.Cancellable cancelled = scheduler.schedule(() -> { throw new AssertionError("cancelled"); },
          Duration.ofHours(1));
      cancelled.cancel();
      cancelled.cancel(); // twice: nothing
      scheduler.schedule(ran::countDown, Duration.ZERO);
      assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(executor.getQueue()).hasSize(1).allMatch(r -> ((ScheduledFuture<?>) r).isCancelled());
    } finally {
      executor.shutdownNow();
    }
  }

  @Test
  void of_nullExecutor_isRefused() {
    assertThatNullPointerException().isThrownBy(() -> TaskScheduler.of(null))
        .withMessage("executor must not be null");
  }

  @Test
  void shared_isOneDaemonThreadNamedWsauthScheduler_thatRemovesCancelledTasks() throws Exception {
    assertThat(TaskScheduler.shared()).isSameAs(TaskScheduler.shared());
    AtomicReference<Thread> thread = new AtomicReference<>();
    CountDownLatch ran = new CountDownLatch(1);
    TaskScheduler.shared().schedule(() -> {
      thread.set(Thread.currentThread());
      ran.countDown();
    }, Duration.ZERO);
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(thread.get().getName()).isEqualTo("wsauth-scheduler");
    assertThat(thread.get().isDaemon()).isTrue();
    assertThat(SharedScheduler.EXECUTOR.getCorePoolSize()).isEqualTo(1);

    Runnable never = () -> { };
    TaskScheduler.Cancellable c = TaskScheduler.shared().schedule(never, Duration.ofDays(1));
    assertThat(SharedScheduler.EXECUTOR.getQueue()).isNotEmpty();
    c.cancel();
    assertThat(SharedScheduler.EXECUTOR.getQueue()).as("removed on cancel").isEmpty();
  }
}
