package io.github.wsauth.jakarta;

import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.Identity;

/**
 * Carries the {@link WsAuthFilter}'s decision to the {@link WsAuthConfigurator} of the same handshake, so that a
 * single-use token is verified exactly once. Containers call {@code modifyHandshake} synchronously inside the
 * filter chain, on the filter's thread (Tomcat's {@code WsFilter}, Jetty's {@code WebSocketUpgradeFilter} and
 * {@code ServerContainer.upgradeHttpToWebSocket}); {@code HandshakeRequest} exposes no request attributes, so a
 * thread-bound slot is the one channel every container offers. The slot is bound to the handshake's {@code
 * Sec-WebSocket-Key} and cleared when the filter returns, so it never leaks to another request.
 */
final class Handoff {
  private static final ThreadLocal<Handoff> CURRENT = new ThreadLocal<>();

  private final String webSocketKey;
  private final Identity identity;

  private Handoff(String webSocketKey, Identity identity) {
    this.webSocketKey = webSocketKey;
    this.identity = Objects.requireNonNull(identity, "identity must not be null");
  }

  /** Publishes a decision for the rest of the current filter chain; close the returned scope in finally. */
  static Scope offer(String webSocketKey, Identity identity) {
    Handoff previous = CURRENT.get();
    CURRENT.set(new Handoff(webSocketKey, identity));
    return () -> {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    };
  }

  /** The filter's identity for the handshake with this key, if the filter authenticated it on this thread. */
  static Optional<Identity> claim(String webSocketKey) {
    Handoff h = CURRENT.get();
    if (h == null || !Objects.equals(h.webSocketKey, webSocketKey)) {
      return Optional.empty();
    }
    return Optional.of(h.identity);
  }

  /** Ends a published decision. */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}
