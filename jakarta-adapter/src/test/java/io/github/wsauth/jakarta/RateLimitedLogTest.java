package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimitedLogTest {
  /** A recording System.Logger fake. */
  private static final class Recording implements Logger {
    final List<String> lines = new ArrayList<>();

    @Override
    public String getName() {
      return "test";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(level + " " + msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(level + " " + format);
    }
  }

  @Test
  void log_oncePerMinutePerMessage_thenCountsWhatItSuppressed() {
    Recording logger = new Recording();
    AtomicLong now = new AtomicLong();
    RateLimitedLog log = new RateLimitedLog(logger, now::get);
    for (int i = 0; i < 5; i++) {
      log.log(Level.WARNING, "wiring A");
    }
    log.log(Level.ERROR, "wiring B");
    now.addAndGet(TimeUnit.SECONDS.toNanos(59));
    log.log(Level.WARNING, "wiring A");
    assertThat(logger.lines).containsExactly("WARNING wiring A", "ERROR wiring B");
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    log.log(Level.WARNING, "wiring A");
    assertThat(logger.lines).containsExactly("WARNING wiring A", "ERROR wiring B",
        "WARNING wiring A (5 more in the last minute)");
  }

  @Test
  void log_theMinuteCountsFromTheLastLine_whateverTheClocksOrigin() {
    Recording logger = new Recording();
    AtomicLong now = new AtomicLong(TimeUnit.DAYS.toNanos(3)); // System.nanoTime has an arbitrary origin
    RateLimitedLog log = new RateLimitedLog(logger, now::get);
    log.log(Level.WARNING, "wiring A");
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    log.log(Level.WARNING, "wiring A");
    now.addAndGet(TimeUnit.SECONDS.toNanos(58));
    log.log(Level.WARNING, "wiring A");
    assertThat(logger.lines).containsExactly("WARNING wiring A");
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    log.log(Level.WARNING, "wiring A");
    assertThat(logger.lines).containsExactly("WARNING wiring A", "WARNING wiring A (2 more in the last minute)");
  }

  @Test
  void log_keepsAtMostAThousandMessages_thenStartsAgain() {
    Recording logger = new Recording();
    RateLimitedLog log = new RateLimitedLog(logger, () -> 0L);
    for (int i = 0; i < 1_000; i++) {
      log.log(Level.WARNING, "message " + i);
    }
    log.log(Level.WARNING, "message 0");
    assertThat(logger.lines).as("1,000 remembered: the repeat is suppressed").hasSize(1_000);
    log.log(Level.WARNING, "message 1000");
    log.log(Level.WARNING, "message 0");
    assertThat(logger.lines).as("past 1,000 the memory starts again: the repeat is logged").hasSize(1_002)
        .endsWith("WARNING message 0");
  }
}
