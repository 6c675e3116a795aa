package io.github.wsauth.examples.demo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * What the demo's browser tests need from a real headless browser, the same in every engine: open a page, run an
 * async script in it and get its (string) result, take a screenshot. {@link Kind} starts one; when the browser is
 * not installed the calling test is skipped locally but FAILS when {@code CI=true}.
 */
interface HeadlessBrowser extends AutoCloseable {

  /** The engines the tests run in. */
  enum Kind {
    CHROMIUM, FIREFOX, WEBKIT;

    /** Why this browser cannot run here, or null if it can. */
    String missing() {
      switch (this) {
        case CHROMIUM:
          return HeadlessChromium.missing();
        case FIREFOX:
          return HeadlessFirefox.missing();
        default:
          return HeadlessWebKit.missing();
      }
    }

    /** Starts the browser, or skips (locally) / fails (CI) the calling test when it is not installed. */
    HeadlessBrowser startOrSkip() throws IOException {
      return startOrSkip(false);
    }

    /**
     * Starts the browser, as {@link #startOrSkip()}; with {@code acceptInsecureCerts} it accepts any TLS
     * certificate (WebDriver's {@code acceptInsecureCerts}), for a test server's self-signed one.
     */
    HeadlessBrowser startOrSkip(boolean acceptInsecureCerts) throws IOException {
      String missing = missing();
      if (missing != null) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
          fail(missing);
        }
        System.err.println("SKIPPED: " + missing);
        Assumptions.abort(missing);
      }
      switch (this) {
        case CHROMIUM:
          return HeadlessChromium.start(acceptInsecureCerts);
        case FIREFOX:
          return HeadlessFirefox.start(acceptInsecureCerts);
        default:
          return HeadlessWebKit.start(acceptInsecureCerts);
      }
    }
  }

  /** The engine. */
  Kind kind();

  /** The browser's name and version as it reports them, e.g. {@code Firefox 153.8.0esr}. */
  String version();

  /** Navigates the one tab to {@code url} and waits until the page has loaded. */
  void open(String url) throws IOException;

  /**
   * Runs {@code body} as the body of {@code async (...args) => { body }} in the page and returns what it
   * resolves to, as a string ({@code JSON.stringify} structures). A rejection or exception fails with its
   * message.
   */
  String call(String body, String... args) throws IOException;

  /** A PNG of the viewport. */
  byte[] screenshot() throws IOException;

  /**
   * Polls {@code expression} (a JavaScript expression) until it is true; a page that is being left (the realm
   * goes away mid-call) counts as not yet.
   */
  default void waitUntil(String expression, Duration timeout) throws IOException {
    long end = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < end) {
      try {
        if ("true".equals(call("return String(Boolean(" + expression + "));"))) {
          return;
        }
      } catch (IOException e) {
        last = e.getMessage();
      }
      try {
        Thread.sleep(100); // polling a page, not waiting for token expiry
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    throw new IOException(kind() + ": timed out waiting for " + expression + (last.isEmpty() ? "" : " (" + last + ")"));
  }

  @Override
  void close() throws IOException;

  /** The first executable of {@code env}'s value or the candidates, or null. */
  static File executable(String env, String... candidates) {
    String override = System.getenv(env);
    if (override != null && !override.isEmpty()) {
      File f = new File(override);
      return f.canExecute() ? f : null;
    }
    for (String c : candidates) {
      File f = new File(c);
      if (f.canExecute()) {
        return f;
      }
    }
    return null;
  }

  /** Deletes a profile directory. */
  static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
