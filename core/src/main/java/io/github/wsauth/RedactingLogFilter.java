package io.github.wsauth;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * A {@code java.util.logging} filter that takes credentials out of every log record of the server, not only
 * wsauth's own: containers log request lines and headers they cannot parse (Tomcat at INFO, and the whole request
 * at FINE), stack traces carry request URIs. It never drops a record; it rewrites it:
 *
 * <ul>
 *   <li>the values of the secret query parameters (default {@link #DEFAULT_PARAMETERS}), as {@code name=value}
 *       in any text and as {@code "name": "value"} in JSON;
 *   <li>the values of the headers that carry credentials ({@code Authorization}, {@code Proxy-Authorization},
 *       {@code Cookie}, {@code Set-Cookie}, {@code Sec-WebSocket-Protocol} token entries, ...) written as
 *       {@code Name: value} or {@code name=value}, up to the end of the line;
 *   <li>{@code authorization.bearer.<token>} subprotocol entries, {@code Basic}/{@code Bearer} credentials, and
 *       anything shaped like a JWT;
 *   <li>in absolute URIs ({@code ws://user:secret@host/?a=b}), the whole user info and the query and fragment
 *       values, as {@link Redaction#uri(String)} does;
 * </ul>
 *
 * in the message, in each parameter whose text holds a secret, and in the message of the thrown exception, its
 * causes and suppressed exceptions (a rewritten exception keeps its class name in {@code toString()} and its
 * stack trace). Secrets become {@value Redaction#MASK}.
 *
 * <p>Install it on every handler at start-up, after logging is configured:
 *
 * <pre>{@code
 * RedactingLogFilter.install();   // every handler of every logger, existing filters kept
 * }</pre>
 *
 * or name it in {@code logging.properties} (JUL, and Tomcat's JULI handlers), with optional extra parameter
 * names:
 *
 * <pre>{@code
 * java.util.logging.ConsoleHandler.filter = io.github.wsauth.RedactingLogFilter
 * io.github.wsauth.RedactingLogFilter.parameters = token, access_token, ticket
 * }</pre>
 *
 * A handler added after {@link #install()} is not covered: install again, or configure it with the filter. The
 * filter is a safety net for logs; it does not make it safe to put long-lived secrets in URLs. Thread-safe.
 */
public final class RedactingLogFilter implements Filter {
  /** The query parameters (and JSON keys) whose values are masked by default. */
  public static final Set<String> DEFAULT_PARAMETERS = Set.of("token", "access_token");

  /** The {@link LogManager} property that lists the parameter names, comma-separated. */
  public static final String PARAMETERS_PROPERTY = RedactingLogFilter.class.getName() + ".parameters";

  private final LogRedactor redactor;
  private final Filter next;

  /**
   * The filter {@code logging.properties} instantiates: the parameter names of {@link #PARAMETERS_PROPERTY} if it
   * is set, else {@link #DEFAULT_PARAMETERS}.
   */
  public RedactingLogFilter() {
    this(new LogRedactor(configuredParameters()), null);
  }

  private RedactingLogFilter(LogRedactor redactor, Filter next) {
    this.redactor = redactor;
    this.next = next;
  }

  /**
   * A filter masking the values of these query parameters (and JSON keys), case-insensitively, in addition to
   * headers, URIs and JWTs.
   *
   * @throws IllegalArgumentException if a name is empty or not made of letters, digits, {@code -_.}
   */
  public static RedactingLogFilter forParameters(Collection<String> names) {
    Objects.requireNonNull(names, "names must not be null");
    return new RedactingLogFilter(new LogRedactor(names), null);
  }

  /**
   * Installs a default filter ({@link #RedactingLogFilter()}) on every handler of every logger that exists now,
   * the root logger's included; see {@link #installOnAllHandlers()}.
   *
   * @return the installed filter
   */
  public static RedactingLogFilter install() {
    return new RedactingLogFilter().installOnAllHandlers();
  }

  /**
   * Installs this filter on every handler of every logger that exists now (the root logger's included). A
   * handler's existing filter still decides after the redaction; a handler that has a {@code RedactingLogFilter}
   * already is left as it is, so installing twice is harmless.
   *
   * @return this filter
   */
  public RedactingLogFilter installOnAllHandlers() {
    LogManager manager = LogManager.getLogManager();
    Set<Handler> done = Collections.newSetFromMap(new IdentityHashMap<>());
    installOn(Logger.getLogger(""), done);
    for (Enumeration<String> names = manager.getLoggerNames(); names.hasMoreElements(); ) {
      Logger logger = manager.getLogger(names.nextElement());
      if (logger != null) {
        installOn(logger, done);
      }
    }
    return this;
  }

  private void installOn(Logger logger, Set<Handler> done) {
    for (Handler h : logger.getHandlers()) {
      if (done.add(h)) {
        installOn(h);
      }
    }
  }

  /**
   * Installs this filter on one handler, in front of its existing filter (which still decides afterwards); does
   * nothing if the handler has a {@code RedactingLogFilter} already.
   */
  public void installOn(Handler handler) {
    Objects.requireNonNull(handler, "handler must not be null");
    Filter existing = handler.getFilter();
    if (existing instanceof RedactingLogFilter) {
      return;
    }
    handler.setFilter(existing == null ? this : new RedactingLogFilter(redactor, existing));
  }

  /** The parameter names whose values are masked, lower case. */
  public Set<String> parameters() {
    return redactor.parameters();
  }

  /** The text with every secret this filter knows about replaced by {@value Redaction#MASK}. */
  public String redact(String text) {
    return text == null ? null : redactor.redact(text);
  }

  /**
   * Redacts the record's message, parameters and thrown exception in place, then lets the handler's previous
   * filter (if any) decide. Never throws: a record that cannot be redacted loses its message and parameters.
   */
  @Override
  public boolean isLoggable(LogRecord record) {
    if (record == null) {
      return false;
    }
    try {
      redactRecord(record);
    } catch (RuntimeException | StackOverflowError e) {
      // Fail closed, and never break the caller (a container logging a request): rather a log line without its
      // text than one with a secret.
      record.setMessage("[log message withheld: redaction failed]");
      record.setParameters(null);
      record.setThrown(null);
    }
    return next == null || next.isLoggable(record);
  }

  private void redactRecord(LogRecord record) {
    String message = record.getMessage();
    String redacted = redact(message);
    if (!Objects.equals(message, redacted)) {
      record.setMessage(redacted);
    }
    Object[] params = record.getParameters();
    if (params != null) {
      Object[] copy = null;
      for (int i = 0; i < params.length; i++) {
        if (params[i] instanceof Number) { // formatted by value, not by toString(); null and Boolean never change
          continue;
        }
        String text = String.valueOf(params[i]);
        String r = redactor.redact(text);
        if (!r.equals(text)) {
          if (copy == null) {
            copy = Arrays.copyOf(params, params.length);
          }
          copy[i] = r;
        }
      }
      if (copy != null) {
        record.setParameters(copy);
      }
    }
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      Throwable r = RedactedThrowable.redact(thrown, redactor);
      if (r != thrown) {
        record.setThrown(r);
      }
    }
  }

  private static Set<String> configuredParameters() {
    String configured = LogManager.getLogManager().getProperty(PARAMETERS_PROPERTY);
    if (configured == null) {
      return DEFAULT_PARAMETERS;
    }
    Set<String> names = new LinkedHashSet<>();
    for (String n : configured.split(",")) {
      if (!n.isBlank()) {
        names.add(n.strip().toLowerCase(Locale.ROOT));
      }
    }
    return names.isEmpty() ? DEFAULT_PARAMETERS : names; // empty also when the property is blank
  }

  @Override
  public String toString() {
    return "RedactingLogFilter[parameters=" + parameters() + (next == null ? "" : ", then " + next) + "]";
  }
}
