package io.github.wsauth.examples.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Appends what the browser tests measured to {@code target/browser-matrix/<browser>.md}: one line per method with
 * the count of ok runs and the sequence, the browser's version and the date. The docs' matrix is copied from it.
 */
final class BrowserMatrix {
  private BrowserMatrix() {}

  /** One measured case: {@code what} ended with {@code outcome}. */
  static void recordLine(HeadlessBrowser browser, String what, String outcome) throws IOException {
    append(browser, "- " + browser.version() + ", " + LocalDate.now(ZoneOffset.UTC) + ": " + what + ": " + outcome
        + "\n");
  }

  private static void append(HeadlessBrowser browser, CharSequence text) throws IOException {
    Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    Path file = base.resolve("target/browser-matrix/" + browser.kind().name().toLowerCase(Locale.ROOT) + ".md");
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  static void record(HeadlessBrowser browser, String what, Map<String, List<String>> outcomes) throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("## ").append(browser.version()).append(", ").append(LocalDate.now(ZoneOffset.UTC)).append(": ")
        .append(what).append('\n');
    outcomes.forEach((method, seq) -> out.append("- ").append(method).append(": ")
        .append(seq.stream().filter("ok"::equals).count()).append('/').append(seq.size()).append(" ok (")
        .append(String.join(", ", seq)).append(")\n"));
    append(browser, out);
  }
}
