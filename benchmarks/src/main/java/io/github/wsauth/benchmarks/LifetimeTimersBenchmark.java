package io.github.wsauth.benchmarks;

import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.internal.ExpiryTimer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the expiry timers of {@code timers} idle connections cost (issue 15), on the schedulers the adapters use:
 * Netty's channel event loop ({@code netty}, as {@code LiveChannel} schedules) and the Jakarta adapter's default
 * {@link TaskScheduler#shared()} ({@code jakarta}, a one-thread {@code ScheduledThreadPoolExecutor}). Each trial
 * starts {@code timers} real {@link ExpiryTimer}s (core's, the one both adapters drive) for identities expiring in
 * one to two hours, so none fires during the run; 0 is the control.
 *
 * <ul>
 *   <li>{@code roundTrip}: a small unit of work on that scheduler: schedule a task with no delay and wait until
 *       it ran (what an expiry close or a re-armed timer costs). Pending timers could slow it only through the
 *       scheduler's queue (a heap: O(log n) per insert).</li>
 *   <li>{@code idle}: sleeps 100 ms and counts the CPU time the scheduler's thread used meanwhile (its
 *       {@link ThreadMXBean#getThreadCpuTime} before and after): auxiliary counters {@code schedulerCpuNanos} and
 *       {@code idleNanos}, summed per iteration; their ratio is the CPU share the idle timers cost.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LifetimeTimersBenchmark {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** The scheduler, its thread, and the pending expiry timers. */
  @State(Scope.Benchmark)
  public static class Timers {
    @Param({"netty", "jakarta"})
    String scheduler;

    @Param({"0", "100000"})
    int timers;

    EventLoopGroup group;
    TaskScheduler wakeUps;
    long threadId;
    final List<ExpiryTimer> started = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      if (scheduler.equals("netty")) {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoop loop = group.next();
        wakeUps = TaskScheduler.of(loop); // as LiveChannel schedules on the channel's event loop
      } else {
        wakeUps = TaskScheduler.shared(); // as SessionLifetime does
      }
      CompletableFuture<Long> id = new CompletableFuture<>();
      wakeUps.schedule(() -> id.complete(Thread.currentThread().getId()), Duration.ZERO);
      threadId = id.get(10, TimeUnit.SECONDS);
      Instant now = Instant.now();
      Clock clock = Clock.systemUTC();
      for (int i = 0; i < timers; i++) {
        Identity identity = Identity.of("user-" + i, Map.of(), now.plus(Duration.ofHours(1)).plusMillis(36L * i));
        started.add(ExpiryTimer.start(identity, clock, 1008, wakeUps, new IdleConnection()));
      }
      run(this); // every timer is queued (Netty queues schedules made off the loop as tasks first)
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      started.forEach(ExpiryTimer::cancel);
      started.clear();
      if (group != null) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      }
    }
  }

  /** An idle connection: open, never closed by the timers within the run. */
  static final class IdleConnection implements ExpiryTimer.Connection {
    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close(int code, String reason) {
      throw new IllegalStateException("an expiry timer fired during the benchmark");
    }
  }

  /** The scheduler thread's CPU time while the benchmark thread sleeps. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Cpu {
    /** CPU nanoseconds the scheduler's thread used during the sleeps of this iteration. */
    public long schedulerCpuNanos;
    /** Wall-clock nanoseconds slept in this iteration. */
    public long idleNanos;

    @Setup(Level.Iteration)
    public void reset() {
      schedulerCpuNanos = 0;
      idleNanos = 0;
    }
  }

  /** Schedules a no-op with no delay and waits until it ran. */
  @Benchmark
  public Object roundTrip(Timers s) throws Exception {
    return run(s);
  }

  static Object run(Timers s) throws Exception {
    CompletableFuture<Object> done = new CompletableFuture<>();
    s.wakeUps.schedule(() -> done.complete(Boolean.TRUE), Duration.ZERO);
    return done.get(10, TimeUnit.SECONDS);
  }

  /** Sleeps 100 ms; counts the scheduler thread's CPU time meanwhile. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 20)
  public void idle(Timers s, Cpu c) throws InterruptedException {
    long cpu = THREADS.getThreadCpuTime(s.threadId);
    long t0 = System.nanoTime();
    Thread.sleep(100);
    c.idleNanos += System.nanoTime() - t0;
    c.schedulerCpuNanos += THREADS.getThreadCpuTime(s.threadId) - cpu;
  }
}
