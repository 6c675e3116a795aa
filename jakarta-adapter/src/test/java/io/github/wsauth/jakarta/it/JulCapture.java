package io.github.wsauth.jakarta.it;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures everything logged through java.util.logging (wsauth's {@code System.Logger}, Tomcat's JULI, Jetty's
 * SLF4J-to-JUL when present) by a handler on the JUL root logger at level ALL, as core's {@code LogCapture} does.
 */
public final class JulCapture extends Handler implements AutoCloseable {
  private final List<String> lines = new ArrayList<>();
  private final Logger root = Logger.getLogger("");
  private final Logger wsauth = Logger.getLogger("io.github.wsauth");
  private final Level rootLevel;
  private final Level wsauthLevel;
  private final SimpleFormatter formatter = new SimpleFormatter();

  public JulCapture() {
    setLevel(Level.ALL);
    rootLevel = root.getLevel();
    wsauthLevel = wsauth.getLevel();
    wsauth.setLevel(Level.ALL);
    root.addHandler(this);
  }

  @Override
  public synchronized void publish(LogRecord record) {
    lines.add(formatter.format(record));
  }

  /** The formatted records (message and stack trace, if any). */
  public synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  /** How many records contain {@code text}. */
  public synchronized long count(String text) {
    return lines.stream().filter(l -> l.contains(text)).count();
  }

  /** Everything captured. */
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
