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
}
