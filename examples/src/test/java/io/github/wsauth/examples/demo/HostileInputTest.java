package io.github.wsauth.examples.demo;

import static io.github.wsauth.examples.demo.HostileWire.CLOCK;
import static io.github.wsauth.examples.demo.HostileWire.IDLE;
import static io.github.wsauth.examples.demo.HostileWire.SECRETS;
import static io.github.wsauth.examples.demo.HostileWire.SLOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

import io.github.wsauth.examples.demo.HostileCases.Case;

/**
 * The hostile-input suite of issue 13: the running demo (three Netty and three Tomcat servers, in this JVM, on
 * ephemeral ports) attacked over raw TCP sockets with hand-written bytes, one dynamic test per row of {@link
 * HostileCases}. Afterwards, everything the process logged (java.util.logging at level ALL, which Tomcat and Netty
 * use, and System.out/err) must hold none of the tokens and credentials the cases used. Prints {@code hostile: N
 * cases, M passed} and the failed cases. Time is a {@code MutableClock}; nothing sleeps for expiry.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
  private static final Duration FIRST_MESSAGE_DEADLINE = Duration.ofMillis(500);
  private static final StringBuffer LOG = new StringBuffer();
  private static final List<String> PASSED = Collections.synchronizedList(new ArrayList<>());
  private static final List<String> FAILED = Collections.synchronizedList(new ArrayList<>());
  private static Handler capture;
  private static Level rootLevel;
  private static PrintStream out;
  private static PrintStream err;

  // ---------------------------------------------------------------------------------------------------------
  // Running the table.

  @BeforeAll
  static void start() throws IOException {
    out = System.out;
    err = System.err;
    System.setOut(new PrintStream(new Tee(out), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(err), true, StandardCharsets.UTF_8));
    Logger root = Logger.getLogger("");
    rootLevel = root.getLevel();
    root.setLevel(Level.ALL);
    capture = new Handler() {
      private final SimpleFormatter formatter = new SimpleFormatter();

      @Override
      public void publish(LogRecord record) {
        if (isLoggable(record)) {
          LOG.append(formatter.format(record));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    capture.setLevel(Level.ALL);
    // Added before the demo starts: the demo must install its redacting filter on every handler, this one too.
    root.addHandler(capture);
    Demo demo = Demo.start(DemoConfig.builder().ephemeralPorts().clock(CLOCK)
        .firstMessageDeadline(FIRST_MESSAGE_DEADLINE).handshakeTimeout(HostileWire.HANDSHAKE_TIMEOUT).build());
    HostileWire.demo = demo;
  }

  @TestFactory
  @Order(1)
  Stream<DynamicTest> hostileCases() {
    // The idle-connection cases last: their sockets are opened together, so their waits overlap.
    Stream<Case> ordered = Stream.concat(HostileCases.ALL.stream().filter(k -> !k.item().equals("item 4")),
        HostileCases.ALL.stream().filter(k -> k.item().equals("item 4")));
    return ordered.map(k -> DynamicTest.dynamicTest(k.toString(), () -> {
      try {
        k.body().run();
        PASSED.add(k.toString());
      } catch (Throwable t) {
        FAILED.add(k + "  FAILED: " + String.valueOf(t.getMessage()).lines().findFirst().orElse(""));
        throw t;
      }
    }));
  }

  @Test
  @Order(2)
  void caseTable_hasAtLeast100Cases_andCoversEveryWireItem() {
    assertThat(HostileCases.ALL).hasSizeGreaterThanOrEqualTo(100);
    assertThat(HostileCases.ALL.stream().map(Case::item).distinct())
        .contains("control", "item 2", "item 3", "item 4", "item 6", "item 7", "item 8", "item 9", "own");
    for (AuthMethod m : AuthMethod.values()) {
      assertThat(HostileCases.ALL.stream().filter(k -> k.server() == m && k.item().equals("control"))).as(m.id()).isNotEmpty();
    }
  }

  /** Item 5: nothing the process logged holds a token or a credential that the cases sent. */
  @Test
  @Order(3)
  void logs_holdNoTokenAndNoAuthorizationValue() {
    String all = LOG.toString() + "\n" + Tee.text();
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of("target", "hostile-input-logs.txt"), all);
    } catch (IOException e) {
      // Only a convenience for reading the logs afterwards.
    }
    assertThat(all).as("the capture saw Tomcat's log of an unparsable request")
        .contains("Error parsing HTTP request header");
    List<String> leaked = new ArrayList<>();
    synchronized (SECRETS) {
      for (String s : SECRETS) {
        int at = all.indexOf(s);
        if (at >= 0) {
          // Say where, without repeating the secret in the report.
          String around = all.substring(Math.max(0, at - 160), Math.min(all.length(), at + s.length() + 40));
          leaked.add(s.length() + "-char secret in: " + around.replace(s, "<SECRET>"));
        }
      }
    }
    assertThat(leaked).as("secrets found in the captured logs (" + SECRETS.size() + " scanned)").isEmpty();
    assertThat(all).doesNotContainPattern("(?i)authorization:\\s*(bearer|basic)\\s+[A-Za-z0-9._~+/-]{8,}");
  }

  @AfterAll
  static void stop() throws IOException {
    for (RawClient c : IDLE.values()) {
      c.close();
    }
    for (RawClient c : SLOW.values()) {
      c.close();
    }
    if (HostileWire.demo != null) {
      HostileWire.demo.close();
    }
    Logger root = Logger.getLogger("");
    root.removeHandler(capture);
    root.setLevel(rootLevel);
    System.setOut(out);
    System.setErr(err);
    System.out.println("hostile: " + HostileCases.ALL.size() + " cases, " + PASSED.size() + " passed");
    synchronized (FAILED) {
      FAILED.forEach(f -> System.out.println("  " + f));
    }
  }

  /** Copies System.out/err to the real stream and keeps the text for the log scan. */
  private static final class Tee extends OutputStream {
    private static final ByteArrayOutputStream COPY = new ByteArrayOutputStream();
    private final OutputStream target;

    Tee(OutputStream target) {
      this.target = target;
    }

    static String text() {
      synchronized (COPY) {
        return COPY.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void write(int b) throws IOException {
      synchronized (COPY) {
        COPY.write(b);
      }
      target.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      synchronized (COPY) {
        COPY.write(b, off, len);
      }
      target.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      target.flush();
    }
  }
}
