package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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
 */
final class LeakDetection implements BeforeAllCallback, AfterAllCallback {
  private static final Logger NETTY_LEAK_LOGGER = Logger.getLogger(ResourceLeakDetector.class.getName());
  private static final List<String> LEAKS = new ArrayList<>();

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
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    assertThat(collectLeaks()).as("Netty buffer leaks").isEmpty();
  }

  /** Runs the GC, lets the detector look at its queue, and returns (and forgets) what it reported. */
  static List<String> collectLeaks() throws InterruptedException {
    for (int i = 0; i < 5; i++) {
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
}
