package io.github.wsauth.jakarta.it;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** What the test endpoints saw; one per test JVM, reset before each test. */
public final class Recorder {
  private static final AtomicInteger OPENS = new AtomicInteger();
  private static final ConcurrentLinkedQueue<String> MESSAGES = new ConcurrentLinkedQueue<>();
  private static final ConcurrentLinkedQueue<String> PRINCIPALS = new ConcurrentLinkedQueue<>();
  private static final ConcurrentLinkedQueue<String> REQUESTS = new ConcurrentLinkedQueue<>();
  private static final ConcurrentLinkedQueue<String> ERRORS = new ConcurrentLinkedQueue<>();

  private Recorder() {}

  public static void opened() {
    OPENS.incrementAndGet();
  }

  public static void message(String m) {
    MESSAGES.add(m);
  }

  public static void principal(String p) {
    PRINCIPALS.add(p);
  }

  public static List<String> principals() {
    return List.copyOf(PRINCIPALS);
  }

  /** The query string, request URI and parameter map a session showed the application. */
  public static void request(String r) {
    REQUESTS.add(r);
  }

  public static List<String> requests() {
    return List.copyOf(REQUESTS);
  }

  /** An error the container reported to the application's endpoint ({@code onError}), by class. */
  public static void error(Throwable t) {
    ERRORS.add(t.getClass().getName());
  }

  public static List<String> errors() {
    return List.copyOf(ERRORS);
  }

  public static int opens() {
    return OPENS.get();
  }

  public static List<String> messages() {
    return List.copyOf(MESSAGES);
  }

  static void reset() {
    OPENS.set(0);
    MESSAGES.clear();
    PRINCIPALS.clear();
    REQUESTS.clear();
    ERRORS.clear();
  }
}
