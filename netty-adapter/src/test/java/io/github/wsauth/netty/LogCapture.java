package io.github.wsauth.netty;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what wsauth logs through {@link System.Logger} (backed by java.util.logging here): a handler on the
 * {@code io.github.wsauth} logger, so Netty's own debug logging stays out. Lines are {@code LEVEL message}.
 */
final class LogCapture extends Handler implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final Logger wsauth = Logger.getLogger("io.github.wsauth");
  private final Level wsauthLevel;

  LogCapture() {
    setLevel(Level.ALL);
    wsauthLevel = wsauth.getLevel();
    wsauth.setLevel(Level.ALL);
    wsauth.addHandler(this);
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
    wsauth.removeHandler(this);
    wsauth.setLevel(wsauthLevel);
  }
}
