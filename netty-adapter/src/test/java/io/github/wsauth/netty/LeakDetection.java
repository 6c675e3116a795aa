package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

/**
 * Fails a test class when Netty's leak detector (paranoid, set in surefire's argLine) reports a leaked buffer.
 * Netty logs leaks through java.util.logging here (no SLF4J on the test class path); a handler collects them.
 *
 * <p>The garbage collections that make the detector report cost about 0.1 s a class, and PIT runs every test
 * method as a class of its own, so they are skipped when the detector tracks no unreleased buffer that the class
 * allocated: a leak is a tracked buffer never released, which stays tracked until the detector reports it (Netty's
 * own static buffers, allocated once and never released, stay tracked from the class that first loaded them on).
 */
final class LeakDetection implements BeforeAllCallback, AfterAllCallback {
  private static final Logger NETTY_LEAK_LOGGER = Logger.getLogger(ResourceLeakDetector.class.getName());
  private static final List<String> LEAKS = new ArrayList<>();
  /** The buffer detector's live trackers (released buffers leave, reported leaks too), or null if unknowable. */
  private static final Set<?> TRACKED = trackedBuffers();
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LeakDetection.class);

  static {
    NETTY_LEAK_LOGGER.setUseParentHandlers(false); // the assertion below prints what leaked
    NETTY_LEAK_LOGGER.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue() && String.valueOf(record.getMessage())
            .contains("LEAK")) {
          synchronized (LEAKS) {
            LEAKS.add(record.getMessage());
          }
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    context.getStore(NAMESPACE).put(Set.class, trackedNow());
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    assertThat(collectLeaks(context.getStore(NAMESPACE).get(Set.class, Set.class))).as("Netty buffer leaks")
        .isEmpty();
  }

  /** {@link #collectLeaks(Set)} of every tracked buffer. */
  static List<String> collectLeaks() throws InterruptedException {
    return collectLeaks(Set.of());
  }

  /**
   * Runs the GC, lets the detector look at its queue, and returns (and forgets) what it reported; the GC is skipped
   * when every unreleased tracked buffer was already tracked in {@code before} ({@link #trackedNow()}).
   */
  static List<String> collectLeaks(Set<?> before) throws InterruptedException {
    for (int i = 0; i < 5 && mayHaveLeaks(before); i++) {
      System.gc();
      Thread.sleep(20); // gives the reference handler time to enqueue collected buffers
      // The detector reports when it tracks a new buffer.
      PooledByteBufAllocator.DEFAULT.directBuffer(8).release();
      PooledByteBufAllocator.DEFAULT.heapBuffer(8).release();
      ByteBufAllocator.DEFAULT.buffer(8).release();
    }
    synchronized (LEAKS) {
      List<String> found = List.copyOf(LEAKS);
      LEAKS.clear();
      return found;
    }
  }

  /** The trackers of the buffers tracked and unreleased now (by identity); empty if unknowable. */
  static Set<Object> trackedNow() {
    Set<Object> now = Collections.newSetFromMap(new IdentityHashMap<>());
    if (TRACKED != null) {
      now.addAll(TRACKED);
    }
    return now;
  }

  /** Whether a buffer is tracked and unreleased that was not in {@code before}: a leak, or a buffer in use. */
  static boolean mayHaveLeaks(Set<?> before) {
    if (TRACKED == null) {
      return true;
    }
    for (Object tracker : TRACKED) {
      if (!before.contains(tracker)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@link #mayHaveLeaks} can see the detector's tracked buffers (otherwise it always says yes). */
  static boolean seesTrackedBuffers() {
    return TRACKED != null;
  }

  /**
   * The live trackers of {@code AbstractByteBuf.leakDetector} (Netty 4.1 and 4.2 keep them in {@code allLeaks};
   * Netty has no API for them), or null when reflection cannot reach them.
   */
  private static Set<?> trackedBuffers() {
    try {
      Field detector = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
      detector.setAccessible(true);
      Field all = ResourceLeakDetector.class.getDeclaredField("allLeaks");
      all.setAccessible(true);
      return (Set<?>) all.get(detector.get(null));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
