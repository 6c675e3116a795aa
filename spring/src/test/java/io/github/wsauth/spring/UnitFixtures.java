package io.github.wsauth.spring;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.springframework.mock.web.MockHttpServletRequest;

/** What the unit tests of this module share: a valid upgrade request, and the log lines written meanwhile. */
final class UnitFixtures {
  private UnitFixtures() {}

  /** An RFC 6455 opening handshake for {@code path}, without a credential. */
  static MockHttpServletRequest upgrade(String path) {
    MockHttpServletRequest r = new MockHttpServletRequest("GET", path);
    r.setProtocol("HTTP/1.1");
    r.addHeader("Host", "localhost");
    r.addHeader("Upgrade", "websocket");
    r.addHeader("Connection", "Upgrade");
    r.addHeader("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    r.addHeader("Sec-WebSocket-Version", "13");
    return r;
  }

  /** The messages logged through java.util.logging (wsauth's System.Logger) while it is open. */
  static final class LogLines extends Handler implements AutoCloseable {
    private final List<String> messages = new ArrayList<>();

    LogLines() {
      Logger.getLogger("").addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
      messages.add(record.getMessage());
    }

    /** The messages so far. */
    synchronized List<String> messages() {
      return new ArrayList<>(messages);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      Logger.getLogger("").removeHandler(this);
    }
  }
}
