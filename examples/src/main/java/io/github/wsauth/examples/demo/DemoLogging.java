package io.github.wsauth.examples.demo;

import io.github.wsauth.RedactingLogFilter;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;

/**
 * Keeps tokens out of every log line of the demo process: Tomcat logs through java.util.logging (JULI's
 * {@code DirectJDKLog}), Netty is told to log there too, and {@link RedactingLogFilter} is put on every handler.
 * Tomcat logs a request line or header it cannot parse at INFO (once, then at DEBUG), the whole request at FINE,
 * and stack traces that carry the request URI; Netty logs headers at DEBUG in some handlers.
 */
final class DemoLogging {
  private DemoLogging() {}

  /** Routes Netty to java.util.logging and installs the redacting filter on every existing handler. */
  static void install() {
    // Before any Netty class creates its static logger; with SLF4J on the class path Netty would bypass JUL.
    InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    RedactingLogFilter.install();
  }
}
