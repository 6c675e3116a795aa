package io.github.wsauth;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures everything logged through {@link System.Logger} (which, with {@code java.logging} present, is backed by
 * java.util.logging) by installing a handler on the JUL root logger at level ALL.
 */
public final class LogCapture extends Handler implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Logger wsauth = Logger.getLogger("io.github.wsauth");
  private final Level rootLevel;
  private final Level wsauthLevel;
  private final SimpleFormatter formatter = new SimpleFormatter();

  public LogCapture() {
    setLevel(Level.ALL);
    rootLevel = root.getLevel();
    wsauthLevel = wsauth.getLevel();
    root.setLevel(Level.ALL);
    wsauth.setLevel(Level.ALL);
    root.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    lines.add(formatter.format(record));
  }

  public synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  public synchronized String text() {
    return String.join("", lines);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    root.removeHandler(this);
    root.setLevel(rootLevel);
    wsauth.setLevel(wsauthLevel);
  }
}
