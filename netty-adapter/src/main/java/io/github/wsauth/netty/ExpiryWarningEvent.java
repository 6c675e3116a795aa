package io.github.wsauth.netty;

import java.time.Duration;
import java.util.Objects;

import io.github.wsauth.Identity;

/**
 * The user event fired down the pipeline of an authenticated channel {@link
 * io.github.wsauth.lifetime.ConnectionLifetime#expiryWarning() the configured time} before its identity expires,
 * so the application can ask the client for a fresh token (which the client sends as {@code {"token": "…"}} on a
 * first-message server, or the application passes to {@link NettyWsAuth#reauthenticate}).
 *
 * <pre>{@code
 * if (evt instanceof ExpiryWarningEvent warning) {
 *   ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"refresh\",\"in\":" + warning.remaining().toSeconds() + "}"));
 * }
 * }</pre>
 *
 * <p>Fired on the channel's event loop, at most once per identity (a re-authentication arms a new warning).
 * Immutable; it carries no secret.
 *
 * @param identity the identity about to expire
 * @param remaining the time left until it expires, by the config's clock
 */
public record ExpiryWarningEvent(Identity identity, Duration remaining) {

  /** Validates. */
  public ExpiryWarningEvent {
    Objects.requireNonNull(identity, "identity must not be null");
    Objects.requireNonNull(remaining, "remaining must not be null");
  }
}
