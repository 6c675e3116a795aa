package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RedactingLogFilterTest {
  /** A secret that no rule would mask because of its own shape: only the context around it can. */
  private static final String SECRET = "s3cr3tT0kenValue_abcdefghijklmnop";
  private static final String JWT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLWJ5dGVz";
  private static final String BASIC = Base64.getEncoder()
      .encodeToString(("alice:" + SECRET).getBytes(StandardCharsets.UTF_8));

  private final RedactingLogFilter filter = new RedactingLogFilter();

  /** Every kind of secret, as containers and libraries print them. */
  private static final List<String> LEAKY_LINES = List.of(
      "GET /?token=" + SECRET + "&x=%ZZ HTTP/1.1",
      "Invalid character found in the request target [/?token=" + SECRET + "{|} ]. The valid characters are",
      "/ws?v=1;access_token=" + SECRET,
      "GET /?TOKEN=" + SECRET + " HTTP/1.1",
      "Received [GET / HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + SECRET + "\r\nX-Bad\u0000: y\r\n\r\n]",
      "The HTTP header line [Authorization: Basic " + BASIC + "\u0000] does not conform to RFC 9112.",
      "authorization=[Bearer " + SECRET + "], host=[localhost]",
      "DefaultHttpHeaders[Host: localhost, Authorization: Bearer " + SECRET + " extra, Origin: http://a]",
      "Proxy-Authorization: Basic " + BASIC,
      "Cookie: wsauth=" + SECRET + "; theme=dark",
      "set-cookie=[wsauth=" + SECRET + "; HttpOnly]",
      "Sec-WebSocket-Protocol: hello, authorization.bearer." + SECRET,
      "offered subprotocols [hello, authorization.bearer." + SECRET + "]",
      "X-Api-Key: " + SECRET,
      "connecting to ws://alice:" + SECRET + "@localhost:8004/",
      "Malformed escape pair at index 68: ws://localhost/?room=1&token=" + SECRET + "&x=%ZZ",
      "first message {\"token\": \"" + SECRET + "\"}",
      "the header was [Author\u0000ization: Bearer " + SECRET + "]",
      "token " + JWT + " rejected",
      "Basic " + BASIC,
      "Received [GET / HTTP/1.1\r\nAuthorization: Bearer\r\n " + SECRET + "\r\nHost: a\r\n\r\n]",
      "Authorization:\n\t" + SECRET);

  @Test
  void redact_everyKindOfSecret_isMasked() {
    for (String line : LEAKY_LINES) {
      String redacted = filter.redact(line);
      assertThat(redacted).as(line).doesNotContain(SECRET).doesNotContain(JWT).doesNotContain(BASIC)
          .contains(Redaction.MASK);
    }
  }

  @Test
  void redact_keepsWhatIsNotSecret() {
    assertThat(filter.redact("GET /?token=" + SECRET + "&x=%ZZ HTTP/1.1")).isEqualTo("GET /?token=***&x=%ZZ HTTP/1.1");
    assertThat(filter.redact("Authorization: Bearer " + SECRET + "\r\nHost: localhost"))
        .isEqualTo("Authorization: Bearer ***\r\nHost: localhost");
    assertThat(filter.redact("DefaultHttpHeaders[Host: a, Authorization: Bearer " + SECRET + ", Origin: http://b]"))
        .isEqualTo("DefaultHttpHeaders[Host: a, Authorization: Bearer ***, Origin: http://b]");
    assertThat(filter.redact("Sec-WebSocket-Protocol: hello, authorization.bearer." + SECRET))
        .isEqualTo("Sec-WebSocket-Protocol: hello, ***");
    assertThat(filter.redact("ws://alice:" + SECRET + "@localhost:8004/?v=2"))
        .isEqualTo("ws://***@localhost:8004/?v=2");
    assertThat(filter.redact("Cookie: wsauth=" + SECRET + "; theme=dark")).isEqualTo("Cookie: ***");
    assertThat(filter.redact("Authorization: Bearer\r\n " + SECRET + "\r\nHost: a"))
        .isEqualTo("Authorization: Bearer\r\n ***\r\nHost: a");
    assertThat(filter.redact("{\"token\": \"" + SECRET + "\", \"n\": 1}")).isEqualTo("{\"token\": \"***\", \"n\": 1}");
    String plain = "Error parsing HTTP request header; Bearer realm=\"wsauth\", error=\"invalid_token\" at 12:00;"
        + " empty password in Basic credentials; Bearer authentication failed";
    assertThat(filter.redact(plain)).isEqualTo(plain);
    assertThat(filter.redact("mytoken=abc&tokens=def")).isEqualTo("mytoken=abc&tokens=def");
    assertThat(filter.redact(null)).isNull();
  }

  @Test
  void redact_longHostileValues_inLinearTime() {
    String huge = "A".repeat(200_000);
    long start = System.nanoTime();
    assertThat(filter.redact("Received [GET / HTTP/1.1\r\nAuthorization: Bearer " + huge + "\r\nHost: a\r\n]"))
        .isEqualTo("Received [GET / HTTP/1.1\r\nAuthorization: Bearer ***\r\nHost: a\r\n]");
    assertThat(filter.redact("{\"token\": \"" + huge + "\\\"" + huge + "\"}")).isEqualTo("{\"token\": \"***\"}");
    assertThat(filter.redact("Cookie: " + "a=b; ".repeat(40_000))).isEqualTo("Cookie: ***");
    assertThat(filter.redact("x,".repeat(100_000) + "token=" + huge)).endsWith("token=***");
    assertThat(System.nanoTime() - start).as("nanoseconds").isLessThan(5_000_000_000L);
  }

  @Test
  void redact_isIdempotent() {
    for (String line : LEAKY_LINES) {
      String once = filter.redact(line);
      assertThat(filter.redact(once)).as(line).isEqualTo(once);
    }
  }

  @Test
  void forParameters_masksTheConfiguredNamesOnly() {
    RedactingLogFilter ticket = RedactingLogFilter.forParameters(List.of("Ticket"));
    assertThat(ticket.parameters()).containsExactly("ticket");
    assertThat(ticket.redact("/?ticket=" + SECRET + "&token=visible")).isEqualTo("/?ticket=***&token=visible");
    assertThat(filter.parameters()).isEqualTo(RedactingLogFilter.DEFAULT_PARAMETERS);
    assertThat(filter.parameters()).isEqualTo(Set.of("token", "access_token"));
    assertThatThrownBy(() -> RedactingLogFilter.forParameters(List.of("to ken")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameter name must be");
    assertThatThrownBy(() -> RedactingLogFilter.forParameters(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("at least one parameter name is needed");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4, 5, 13, 14, 15, 18})
  void isLoggable_redactsTheMessage(int line) {
    LogRecord r = new LogRecord(Level.INFO, LEAKY_LINES.get(line));
    assertThat(filter.isLoggable(r)).isTrue();
    assertThat(r.getMessage()).doesNotContain(SECRET).doesNotContain(BASIC).contains(Redaction.MASK);
  }

  @Test
  void isLoggable_redactsParameters_andLeavesOtherParametersAlone() {
    LogRecord r = new LogRecord(Level.INFO, "upgrade {0} from {1} took {2} ms");
    Object uri = java.net.URI.create("ws://localhost/?token=" + SECRET);
    r.setParameters(new Object[] {uri, "127.0.0.1", 42});
    filter.isLoggable(r);
    assertThat(r.getParameters()).containsExactly("ws://localhost/?token=***", "127.0.0.1", 42);
    assertThat(format(r)).contains("upgrade ws://localhost/?token=*** from 127.0.0.1 took 42 ms");
  }

  @Test
  void isLoggable_redactsTheExceptionItsCausesAndSuppressed() throws Exception {
    URISyntaxException cause = new URISyntaxException("ws://localhost/?token=" + SECRET + "&x=%ZZ",
        "Malformed escape pair", 68);
    IllegalArgumentException thrown = new IllegalArgumentException("wsHandshakeRequest.invalidUri", cause);
    thrown.addSuppressed(new IOException("while reading Authorization: Bearer " + SECRET));
    LogRecord r = new LogRecord(Level.SEVERE, "Servlet.service() threw exception");
    r.setThrown(thrown);
    filter.isLoggable(r);
    String out = format(r);
    assertThat(out).doesNotContain(SECRET)
        .contains("java.lang.IllegalArgumentException: wsHandshakeRequest.invalidUri")
        .contains("Caused by: java.net.URISyntaxException: Malformed escape pair at index 68: ws://localhost/?token=***")
        .contains("Suppressed: java.io.IOException: while reading Authorization: Bearer ***")
        .contains("at " + RedactingLogFilterTest.class.getName());
    assertThat(r.getThrown().getStackTrace()).isEqualTo(thrown.getStackTrace());
    assertThat(r.getThrown().getCause().getMessage())
        .isEqualTo("Malformed escape pair at index 68: ws://localhost/?token=***&x=***");
  }

  @Test
  void isLoggable_keepsAnExceptionWithoutSecrets() {
    UncheckedIOException clean = new UncheckedIOException(new IOException("connection reset"));
    LogRecord r = new LogRecord(Level.WARNING, "oops");
    r.setThrown(clean);
    filter.isLoggable(r);
    assertThat(r.getThrown()).isSameAs(clean);
  }

  @Test
  void isLoggable_survivesACauseCycle() {
    IllegalStateException a = new IllegalStateException("token=" + SECRET);
    IllegalStateException b = new IllegalStateException("b", a);
    a.initCause(b);
    LogRecord r = new LogRecord(Level.WARNING, "cycle");
    r.setThrown(a);
    assertThat(filter.isLoggable(r)).isTrue();
    assertThat(format(r)).doesNotContain(SECRET).contains("token=***");
  }

  @Test
  void installOn_aHandler_everyLineThroughTheLoggerIsClean_andWithoutTheFilterTheSecretShows() {
    Logger logger = Logger.getLogger("wsauth.test.redacting." + System.nanoTime());
    logger.setUseParentHandlers(false);
    logger.setLevel(Level.ALL);
    Capture capture = new Capture();
    logger.addHandler(capture);
    try {
      logger.info("Received [GET /?token=" + SECRET + " HTTP/1.1]");
      assertThat(capture.text()).as("without the filter the capture sees the secret").contains(SECRET);
      capture.lines.clear();

      filter.installOn(capture);
      for (String line : LEAKY_LINES) {
        logger.info(line);
        logger.log(Level.FINE, "param {0}", line);
        logger.log(Level.SEVERE, "failed", new IllegalArgumentException(line));
      }
      assertThat(capture.lines).hasSize(3 * LEAKY_LINES.size());
      assertThat(capture.text()).doesNotContain(SECRET).doesNotContain(JWT).doesNotContain(BASIC);
    } finally {
      logger.removeHandler(capture);
    }
  }

  @Test
  void installOn_keepsTheExistingFilterDeciding_andIsIdempotent() {
    Capture capture = new Capture();
    List<String> seen = new ArrayList<>();
    capture.setFilter(r -> {
      seen.add(r.getMessage());
      return r.getLevel().intValue() >= Level.WARNING.intValue();
    });
    filter.installOn(capture);
    filter.installOn(capture);
    RedactingLogFilter.forParameters(List.of("ticket")).installOn(capture);
    capture.publish(new LogRecord(Level.INFO, "token=" + SECRET));
    capture.publish(new LogRecord(Level.WARNING, "token=" + SECRET));
    assertThat(seen).containsExactly("token=***", "token=***");
    assertThat(capture.lines).containsExactly("WARNING token=***");
    assertThat(capture.getFilter()).isInstanceOf(RedactingLogFilter.class);
    assertThat(capture.getFilter().toString()).startsWith("RedactingLogFilter[parameters=").contains("then");
  }

  @Test
  void install_coversTheRootHandlers() {
    Logger root = Logger.getLogger("");
    Capture capture = new Capture();
    root.addHandler(capture);
    Handler[] handlers = root.getHandlers();
    java.util.logging.Filter[] previous = new java.util.logging.Filter[handlers.length];
    for (int i = 0; i < handlers.length; i++) {
      previous[i] = handlers[i].getFilter();
    }
    try {
      RedactingLogFilter installed = RedactingLogFilter.install();
      assertThat(capture.getFilter()).isSameAs(installed);
      capture.publish(new LogRecord(Level.INFO, "Authorization: Bearer " + SECRET));
      assertThat(capture.text()).isEqualTo("INFO Authorization: Bearer ***");
    } finally {
      root.removeHandler(capture);
      for (int i = 0; i < handlers.length; i++) {
        handlers[i].setFilter(previous[i]);
      }
    }
  }

  @Test
  void isLoggable_nullRecord_isNotLoggable() {
    assertThat(filter.isLoggable(null)).isFalse();
  }

  // Found by PIT (the redaction classes were not mutated before): each test pins one check.

  @Test
  void redact_headerValues_endAtTheirLineOrQuote_andEveryHeaderIsMasked() {
    String[][] cases = {
        {"request headers=\"Cookie: sid=abc123\" user=bob", "request headers=\"Cookie: ***\" user=bob"},
        {"Cookie: sid=abc\nUser-Agent: curl", "Cookie: ***\nUser-Agent: curl"},
        {"Cookie: sid=abc\r\nUser-Agent: curl", "Cookie: ***\r\nUser-Agent: curl"},
        {"Cookie: sid=abc\r", "Cookie: ***\r"},
        {"Cookie: sid=abc\n", "Cookie: ***\n"},
        {"Cookie: a=1\r\n b=2\r\nHost: h", "Cookie: ***\r\nHost: h"},
        {"Authorization:\nHost: a", "Authorization:\nHost: a"},
        {"Authorization: x\nCookie: sid=abc", "Authorization: ***\nCookie: ***"}};
    for (String[] c : cases) {
      assertThat(filter.redact(c[0])).as(c[0]).isEqualTo(c[1]);
    }
  }

  @Test
  void installOnAllHandlers_reachesTheHandlersOfNamedLoggers_notOnlyTheRoot() {
    Logger logger = Logger.getLogger("wsauth.test.redacting.named." + System.nanoTime());
    Capture capture = new Capture();
    logger.addHandler(capture);
    Handler[] rootHandlers = Logger.getLogger("").getHandlers();
    java.util.logging.Filter[] previous = new java.util.logging.Filter[rootHandlers.length];
    for (int i = 0; i < rootHandlers.length; i++) {
      previous[i] = rootHandlers[i].getFilter();
    }
    try {
      RedactingLogFilter installed = RedactingLogFilter.forParameters(List.of("ticket")).installOnAllHandlers();
      assertThat(capture.getFilter()).isSameAs(installed);
    } finally {
      logger.removeHandler(capture);
      for (int i = 0; i < rootHandlers.length; i++) {
        rootHandlers[i].setFilter(previous[i]);
      }
    }
  }

  @Test
  void installOn_aHandlerWithARedactingFilterInFront_isLeftAsItIs() {
    Capture capture = new Capture();
    capture.setFilter(r -> true);
    filter.installOn(capture);
    java.util.logging.Filter first = capture.getFilter();
    assertThat(first).isNotSameAs(filter).isInstanceOf(RedactingLogFilter.class);
    filter.installOn(capture);
    RedactingLogFilter.forParameters(List.of("ticket")).installOn(capture);
    assertThat(capture.getFilter()).isSameAs(first);
    Capture bare = new Capture();
    filter.installOn(bare);
    assertThat(bare.getFilter()).isSameAs(filter);
  }

  @Test
  void toString_namesTheParameters_andTheNextFilterOnlyIfThereIsOne() {
    RedactingLogFilter ticket = RedactingLogFilter.forParameters(List.of("Ticket"));
    assertThat(ticket.toString()).isEqualTo("RedactingLogFilter[parameters=[ticket]]");
    Capture capture = new Capture();
    java.util.logging.Filter next = new java.util.logging.Filter() {
      @Override
      public boolean isLoggable(LogRecord r) {
        return true;
      }

      @Override
      public String toString() {
        return "Next";
      }
    };
    capture.setFilter(next);
    ticket.installOn(capture);
    assertThat(capture.getFilter().toString()).isEqualTo("RedactingLogFilter[parameters=[ticket], then Next]");
  }

  @Test
  void isLoggable_nullAndBooleanParameters_areKeptAsTheyAre() {
    Object[] params = {null, Boolean.TRUE, 42, "ok"};
    LogRecord r = new LogRecord(Level.INFO, "{0} {1} {2} {3}");
    r.setParameters(params);
    filter.isLoggable(r);
    assertThat(r.getParameters()).isSameAs(params);
    assertThat(format(r)).contains("null true 42 ok");
  }

  @Test
  void isLoggable_aNumberParameter_isFormattedByValue_notReplacedByItsToString() {
    Number odd = new Number() {
      private static final long serialVersionUID = 1L;

      @Override
      public int intValue() {
        return 7;
      }

      @Override
      public long longValue() {
        return 7;
      }

      @Override
      public float floatValue() {
        return 7;
      }

      @Override
      public double doubleValue() {
        return 7;
      }

      @Override
      public String toString() {
        return "token=" + SECRET;
      }
    };
    Object[] params = {odd};
    LogRecord r = new LogRecord(Level.INFO, "n={0}");
    r.setParameters(params);
    filter.isLoggable(r);
    assertThat(r.getParameters()).isSameAs(params);
    assertThat(new SimpleFormatter().formatMessage(r)).isEqualTo("n=7");
  }

  @Test
  void defaultConstructor_readsTheParameterNamesFromLoggingProperties() throws IOException {
    try {
      configure(" Ticket , ,X-Code ");
      assertThat(new RedactingLogFilter().parameters()).containsExactlyInAnyOrder("ticket", "x-code");
      configure(" , ");
      assertThat(new RedactingLogFilter().parameters()).isEqualTo(RedactingLogFilter.DEFAULT_PARAMETERS);
      configure("  ");
      assertThat(new RedactingLogFilter().parameters()).isEqualTo(RedactingLogFilter.DEFAULT_PARAMETERS);
    } finally {
      configure(null);
    }
    assertThat(java.util.logging.LogManager.getLogManager().getProperty(RedactingLogFilter.PARAMETERS_PROPERTY))
        .isNull();
    assertThat(new RedactingLogFilter().parameters()).isEqualTo(RedactingLogFilter.DEFAULT_PARAMETERS);
  }

  /** Sets (or with null removes) the parameters property only; every other logging property stays. */
  private static void configure(String value) throws IOException {
    java.util.Properties p = new java.util.Properties();
    if (value != null) {
      p.setProperty(RedactingLogFilter.PARAMETERS_PROPERTY, value);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    p.store(out, null);
    java.util.logging.LogManager.getLogManager().updateConfiguration(new java.io.ByteArrayInputStream(
        out.toByteArray()), k -> (o, n) -> k.equals(RedactingLogFilter.PARAMETERS_PROPERTY) ? n : o);
  }

  @Test
  void redactedThrowable_aCleanCauseCycle_isKeptAsItIs() {
    IllegalStateException a = new IllegalStateException("a");
    IllegalStateException b = new IllegalStateException("b", a);
    a.initCause(b);
    IllegalStateException c = new IllegalStateException("c");
    IllegalStateException d = new IllegalStateException("d");
    c.addSuppressed(d);
    d.addSuppressed(c);
    LogRedactor redactor = new LogRedactor(RedactingLogFilter.DEFAULT_PARAMETERS);
    assertThat(RedactedThrowable.redact(a, redactor)).isSameAs(a);
    assertThat(RedactedThrowable.redact(c, redactor)).isSameAs(c);
  }

  @Test
  void redactedThrowable_aSecretOnlyInASuppressedOrOnlyInTheCause_redactsTheTree() {
    LogRedactor redactor = new LogRedactor(RedactingLogFilter.DEFAULT_PARAMETERS);
    IllegalStateException suppressing = new IllegalStateException("clean");
    suppressing.addSuppressed(new IllegalArgumentException("clean too"));
    suppressing.addSuppressed(new IllegalArgumentException("token=" + SECRET));
    Throwable r = RedactedThrowable.redact(suppressing, redactor);
    assertThat(r).isNotSameAs(suppressing).hasMessage("clean");
    assertThat(r.getSuppressed()).extracting(Throwable::getMessage).containsExactly("clean too", "token=***");

    IllegalStateException caused = new IllegalStateException("clean", new IllegalArgumentException("token=" + SECRET));
    Throwable rc = RedactedThrowable.redact(caused, redactor);
    assertThat(rc).isNotSameAs(caused).hasMessage("clean");
    assertThat(rc.getCause()).hasMessage("token=***");
    assertThat(rc.getCause().toString()).isEqualTo("java.lang.IllegalArgumentException: token=***");
  }

  @Test
  void redactedThrowable_noMessage_staysWithoutMessage_andASharedThrowableIsCopiedOnce() {
    LogRedactor redactor = new LogRedactor(RedactingLogFilter.DEFAULT_PARAMETERS);
    IllegalArgumentException shared = new IllegalArgumentException("token=" + SECRET);
    IllegalStateException top = new IllegalStateException(shared);
    top.addSuppressed(shared);
    Throwable r = RedactedThrowable.redact(new RuntimeException((String) null, top), redactor);
    assertThat(r.getMessage()).isNull();
    assertThat(r.toString()).isEqualTo("java.lang.RuntimeException");
    Throwable copiedTop = r.getCause();
    assertThat(copiedTop.getSuppressed()).hasSize(1);
    assertThat(copiedTop.getSuppressed()[0]).isSameAs(copiedTop.getCause()).hasMessage("token=***");
  }

  private static String format(LogRecord r) {
    return new SimpleFormatter().format(r);
  }

  /** Keeps "LEVEL message" of each record the handler's filter lets through. */
  private static final class Capture extends Handler {
    final List<String> lines = new ArrayList<>();

    Capture() {
      setLevel(Level.ALL);
    }

    @Override
    public synchronized void publish(LogRecord r) {
      if (isLoggable(r)) {
        lines.add(r.getLevel() + " " + new SimpleFormatter().formatMessage(r)
            + (r.getThrown() == null ? "" : " " + format(r)));
      }
    }

    synchronized String text() {
      return String.join("\n", lines);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
