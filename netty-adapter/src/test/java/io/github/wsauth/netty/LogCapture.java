package io.github.wsauth.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what wsauth logs through {@link System.Logger} (backed by java.util.logging here): a handler on the
 * {@code io.github.wsauth} logger, so Netty's own debug logging stays out; or, with a logger name, what that logger
 * logs (Netty's logs through java.util.logging here). Lines are {@code LEVEL message}.
 */
final class LogCapture extends Handler implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final Logger logger;
  private final Level level;

  LogCapture() {
    this("io.github.wsauth", Level.ALL);
  }

  /**
   * Captures what the java.util.logging logger {@code name} and those below it log at their configured level (INFO
   * by default: a library's debug lines stay out).
   */
  LogCapture(String name) {
    this(name, null);
  }

  private LogCapture(String name, Level raiseTo) {
    logger = Logger.getLogger(name);
    setLevel(Level.ALL);
    level = logger.getLevel();
    if (raiseTo != null) {
      logger.setLevel(raiseTo);
    }
    logger.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    lines.add(record.getLevel() + " " + record.getMessage());
  }

  synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    logger.removeHandler(this);
    logger.setLevel(level);
  }
}
