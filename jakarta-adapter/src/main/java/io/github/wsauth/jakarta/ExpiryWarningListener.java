package io.github.wsauth.jakarta;

import java.time.Duration;

import io.github.wsauth.Identity;
import jakarta.websocket.Session;

/**
 * Told {@link io.github.wsauth.lifetime.ConnectionLifetime#expiryWarning() the configured time} before the
 * identity of a {@link WsAuthEndpoint} session expires, so the application can ask the client for a fresh token
 * (sent back as {@code {"token": "…"}} on a first-message endpoint, or passed to {@link
 * JakartaWsAuth#reauthenticate}).
 *
 * <pre>{@code
 * .expiryWarningListener((session, identity, remaining) ->
 *     session.getAsyncRemote().sendText("{\"type\":\"refresh\"}"))
 * }</pre>
 *
 * <p>Called on the {@link JakartaAuthConfig#scheduler() scheduler}'s thread, at most once per identity; must not
 * block. An exception it throws is ignored.
 */
@FunctionalInterface
public interface ExpiryWarningListener {
  /** A listener that does nothing. */
  ExpiryWarningListener NONE = (session, identity, remaining) -> { };

  /** {@code identity}, the identity of {@code session}, expires in {@code remaining}. */
  void expiresSoon(Session session, Identity identity, Duration remaining);
}
