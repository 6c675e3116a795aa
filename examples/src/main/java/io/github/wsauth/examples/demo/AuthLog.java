package io.github.wsauth.examples.demo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.AuthListener;

/**
 * Keeps the last authentication outcomes of each demo server, so the page can say which HTTP status a refused
 * handshake got (a browser's WebSocket API only reports close code 1006) and tests can see what the servers
 * decided. Also logs every outcome through {@link AuthListener#logging()}. Events never hold a secret.
 * Thread-safe.
 */
public final class AuthLog {
  private static final int KEEP = 64;

  private final Map<AuthMethod, Deque<AuthEvent>> events = new EnumMap<>(AuthMethod.class);
  private final AuthListener logging = AuthListener.logging();

  AuthLog() {
    for (AuthMethod m : AuthMethod.values()) {
      events.put(m, new ArrayDeque<>());
    }
  }

  /** The listener to give the authenticators of {@code method}'s server. */
  public AuthListener listener(AuthMethod method) {
    return new AuthListener() {
      @Override
      public void onAccepted(AuthEvent event) {
        record(method, event);
        logging.onAccepted(event);
      }

      @Override
      public void onRejected(AuthEvent event) {
        record(method, event);
        logging.onRejected(event);
      }

      @Override
      public String toString() {
        return "AuthLog.listener[" + method.id() + "]";
      }
    };
  }

  private void record(AuthMethod method, AuthEvent event) {
    Deque<AuthEvent> q = events.get(method);
    synchronized (q) {
      if (q.size() == KEEP) {
        q.removeFirst();
      }
      q.addLast(event);
    }
  }

  /** The most recent outcome on {@code method}'s server. */
  public Optional<AuthEvent> last(AuthMethod method) {
    Deque<AuthEvent> q = events.get(method);
    synchronized (q) {
      return Optional.ofNullable(q.peekLast());
    }
  }

  /** The recent outcomes on {@code method}'s server, oldest first (at most 64). */
  public List<AuthEvent> events(AuthMethod method) {
    Deque<AuthEvent> q = events.get(method);
    synchronized (q) {
      return List.copyOf(new ArrayList<>(q));
    }
  }
}
