package io.github.wsauth.jakarta;

import java.util.Objects;

import io.github.wsauth.Identity;

/**
 * Carries the {@link WsAuthFilter}'s decision to the {@link WsAuthConfigurator} of the same handshake, so that a
 * single-use token is verified exactly once. Containers call {@code modifyHandshake} synchronously inside the
 * filter chain, on the filter's thread (Tomcat's {@code WsFilter}, Jetty's {@code WebSocketUpgradeFilter} and
 * {@code ServerContainer.upgradeHttpToWebSocket}); {@code HandshakeRequest} exposes no request attributes, so a
 * thread-bound slot is the one channel every container offers. The slot is cleared when the filter returns, so it
 * never leaks to another request.
 *
 * <p>A decision is bound to the configuration that made it (the {@link JakartaAuthConfig} instance), and to the
 * request: its {@code Sec-WebSocket-Key} and its path. A configurator of another configuration finds a {@link
 * Claim.Kind#FOREIGN} decision and must refuse: an ordinary user's token accepted by the filter in front of
 * {@code /*} must never open an endpoint whose configurator trusts only admin tokens (issue 13 item 1).
 *
 * <p>A scope without an identity is a guard: a filter is in front of this request but did not decide for it (the
 * path is not one of its endpoints); the configurator decides alone, and the filter turns its refusal into a clean
 * HTTP answer.
 */
final class Handoff implements AutoCloseable {
  private static final ThreadLocal<Handoff> CURRENT = new ThreadLocal<>();

  private final Handoff previous;
  private final JakartaAuthConfig config;
  private final String webSocketKey;
  private final String path;
  private final Identity identity;
  private boolean claimed;

  private Handoff(Handoff previous, JakartaAuthConfig config, String webSocketKey, String path, Identity identity) {
    this.previous = previous;
    this.config = config;
    this.webSocketKey = webSocketKey;
    this.path = path;
    this.identity = identity;
  }

  /**
   * Publishes a decision for the rest of the current filter chain; close it in finally.
   *
   * @param config the configuration whose authenticator decided
   * @param webSocketKey the handshake's key
   * @param path the raw request path (with the context path), as the configurator sees it
   * @param identity who was accepted
   */
  static Handoff offer(JakartaAuthConfig config, String webSocketKey, String path, Identity identity) {
    Handoff h = new Handoff(CURRENT.get(), Objects.requireNonNull(config), webSocketKey, path,
        Objects.requireNonNull(identity, "identity must not be null"));
    CURRENT.set(h);
    return h;
  }

  /** Marks a filter in front of this request that did not decide for it. */
  static Handoff guard(JakartaAuthConfig config) {
    Handoff h = new Handoff(CURRENT.get(), Objects.requireNonNull(config), null, null, null);
    CURRENT.set(h);
    return h;
  }

  /**
   * What a configurator of {@code config} may take for the handshake with this key and path. Claiming an accepted
   * decision marks it claimed, so the filter can tell that a wsauth configurator ran for the upgrade.
   */
  static Claim claim(JakartaAuthConfig config, String webSocketKey, String path) {
    Handoff h = CURRENT.get();
    if (h == null) {
      return Claim.NONE;
    }
    // Guards (filters in front that did not decide) may be nested inside or around a decision: look through them.
    Handoff decision = null;
    for (Handoff s = h; s != null; s = s.previous) {
      if (s.identity == null) {
        s.claimed = true; // a wsauth configurator looked at this guarded request
      } else if (decision == null) {
        decision = s;
      }
    }
    if (decision == null) {
      return Claim.GUARDED;
    }
    if (decision.config != config || !Objects.equals(decision.webSocketKey, webSocketKey)
        || !Objects.equals(decision.path, path)) {
      // Decided under another configuration, or for another request: never trust it.
      return Claim.FOREIGN;
    }
    decision.claimed = true;
    return new Claim(Claim.Kind.ACCEPTED, decision.identity);
  }

  /** Whether a filter is in front of the current request (a rejection can be answered cleanly). */
  static boolean filterInFront() {
    return CURRENT.get() != null;
  }

  /**
   * Whether a configurator of the deciding configuration claimed this decision (for a guard: whether any wsauth
   * configurator looked at the request).
   */
  boolean claimed() {
    return claimed;
  }

  /** Whether this scope carries a decision (else it is a guard). */
  boolean decided() {
    return identity != null;
  }

  /** Ends this scope and restores the one it replaced. */
  @Override
  public void close() {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  /** The outcome of a claim. */
  record Claim(Kind kind, Identity identity) {
    static final Claim NONE = new Claim(Kind.NONE, null);
    static final Claim GUARDED = new Claim(Kind.GUARDED, null);
    static final Claim FOREIGN = new Claim(Kind.FOREIGN, null);

    /** The kinds of claim. */
    enum Kind {
      /** No filter in front of this request. */
      NONE,
      /** A filter in front that did not decide: the configurator decides, its refusal is answered cleanly. */
      GUARDED,
      /** A decision made under another configuration or for another request: refuse. */
      FOREIGN,
      /** The filter accepted this very handshake under this configuration. */
      ACCEPTED
    }
  }
}
