package io.github.wsauth.jakarta;

import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.internal.ExpiryTimer;
import io.github.wsauth.internal.LiveSession;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;

/**
 * Static accessors for the {@link Identity} of an authenticated connection, and the key it is stored under.
 *
 * <pre>{@code
 * @OnOpen
 * public void onOpen(Session session) {
 *   Identity who = JakartaWsAuth.identity(session).orElseThrow();
 * }
 * }</pre>
 *
 * <p>Thread-safe. An absent identity means the connection was not authenticated by wsauth: treat it as
 * anonymous (with {@link WsAuthEndpoint} the application never sees such a session).
 */
public final class JakartaWsAuth {
  /**
   * The key of the {@link Identity} in the per-connection user properties ({@code Session.getUserProperties()},
   * the {@code EndpointConfig} passed to {@code onOpen}) and in the servlet request attributes set by {@link
   * WsAuthFilter}: {@value}.
   */
  public static final String IDENTITY_KEY = "io.github.wsauth.identity";

  private JakartaWsAuth() {}

  /**
   * The identity of a session: from its user properties, or else its user principal when that is an identity
   * (set by {@link WsAuthFilter} on containers that pass the request principal on, such as Tomcat).
   */
  public static Optional<Identity> identity(Session session) {
    Objects.requireNonNull(session, "session must not be null");
    Optional<LiveSession> live = SessionLifetime.of(session);
    if (live.isPresent()) {
      return live.map(LiveSession::identity); // the latest, after an in-band re-authentication
    }
    Optional<Identity> stored = asIdentity(session.getUserProperties().get(IDENTITY_KEY));
    return stored.isPresent() ? stored : asIdentity(session.getUserPrincipal());
  }

  /**
   * Re-authenticates a {@link WsAuthEndpoint} session with a fresh token, without reconnecting: the token is
   * verified by the {@link io.github.wsauth.lifetime.ConnectionLifetime#reauthenticationVerifier() lifetime's
   * verifier} (on a first-message endpoint, by default, the first-message authenticator's), a single-use token is
   * consumed, its subject must be the session's, and the session's expiry (its expiry close and warning) moves to
   * the new token's. A refused token closes the session with the lifetime's rejected close code (1008 by default)
   * and the reason, e.g. {@code "re-authentication subject mismatch"}; a store failure with 1011. Runs the verifier
   * on the calling thread.
   *
   * @return the new identity, or empty if the token was refused (the session is being closed)
   * @throws IllegalStateException if the session is not one of a {@link WsAuthEndpoint}
   */
  public static Optional<Identity> reauthenticate(Session session, String token) {
    Objects.requireNonNull(session, "session must not be null");
    return SessionLifetime.of(session).orElseThrow(
        () -> new IllegalStateException("the session was not authenticated by a WsAuthEndpoint"))
        .reauthenticate(token);
  }

  /** The identity in the per-connection configuration passed to {@code onOpen}. */
  public static Optional<Identity> identity(EndpointConfig config) {
    Objects.requireNonNull(config, "config must not be null");
    return asIdentity(config.getUserProperties().get(IDENTITY_KEY));
  }

  /** The identity {@link WsAuthFilter} authenticated for a servlet request. */
  public static Optional<Identity> identity(ServletRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    return asIdentity(request.getAttribute(IDENTITY_KEY));
  }

  private static Optional<Identity> asIdentity(Object value) {
    return value instanceof Identity identity ? Optional.of(identity) : Optional.empty();
  }

  /**
   * Takes the decision a {@link WsAuthFilter} of {@code config} made for this very upgrade request, for a server
   * that upgrades without a {@link WsAuthConfigurator} (Spring's {@code WebSocketHandler} support, a custom servlet).
   * Call it on the filter's thread, inside its filter chain, before the upgrade. The decision counts only when it
   * was made under the same configuration instance, for this request's {@code Sec-WebSocket-Key} and raw path, as
   * a configurator's claim does; taking it tells the filter that a wsauth component took over the upgrade (so it
   * logs no wiring error). Nothing is verified here: a single-use token stays consumed once.
   *
   * @return the accepted identity, or empty when no filter of {@code config} accepted this request: refuse the
   *     upgrade then
   */
  public static Optional<Identity> claimFilterDecision(HttpServletRequest request, JakartaAuthConfig config) {
    Objects.requireNonNull(request, "request must not be null");
    Objects.requireNonNull(config, "config must not be null");
    Handoff.Claim claim = Handoff.claim(config, request.getHeader("Sec-WebSocket-Key"), request.getRequestURI());
    return claim.kind() == Handoff.Claim.Kind.ACCEPTED ? Optional.of(claim.identity()) : Optional.empty();
  }

  /**
   * Closes {@code session} with {@code config}'s expiry close code (default 1008) "authentication expired" when its
   * identity expires, by {@code config}'s clock
   * and scheduler; for endpoints not wrapped in {@link WsAuthEndpoint} (which does this itself when {@link
   * JakartaAuthConfig#closeOnExpiry()} is set). Call it from {@code onOpen}; cancel the handle in {@code onClose}.
   *
   * @return a handle that cancels the close; a no-op handle if the session has no identity
   */
  public static TaskScheduler.Cancellable closeOnExpiry(Session session, JakartaAuthConfig config) {
    Objects.requireNonNull(config, "config must not be null");
    Optional<Identity> identity = identity(session);
    if (identity.isEmpty()) {
      return () -> { };
    }
    return ExpiryTimer.start(identity.get(), config.clock(), config.expiryCloseCode(), config.scheduler(),
        SessionLifetime.connection(session, config))::cancel;
  }
}
