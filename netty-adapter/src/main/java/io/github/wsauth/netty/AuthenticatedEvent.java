package io.github.wsauth.netty;

import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.Identity;

/**
 * The user event a wsauth handler fires down the pipeline when a connection is authenticated, after the {@link
 * Identity} is stored on the channel (see {@link NettyWsAuth#identity(io.netty.channel.Channel)}).
 *
 * <pre>{@code
 * public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
 *   if (evt instanceof AuthenticatedEvent authenticated) {
 *     ctx.writeAndFlush(new TextWebSocketFrame("hello " + authenticated.identity().subject()));
 *   }
 *   ctx.fireUserEventTriggered(evt);
 * }
 * }</pre>
 *
 * <p>At the {@link AuthEvent.Stage#HANDSHAKE handshake} stage the event arrives before Netty's {@code
 * HandshakeComplete}; at the {@link AuthEvent.Stage#FIRST_MESSAGE first-message} stage right after it (the
 * first-message handler holds {@code HandshakeComplete} back until the client is authenticated). Immutable; it
 * carries no secret.
 *
 * @param identity who connected
 * @param stage where the credential was checked
 * @param subprotocol the application subprotocol selected for the connection, if any; never a token entry
 */
public record AuthenticatedEvent(Identity identity, AuthEvent.Stage stage, Optional<String> subprotocol) {

  /** Validates. */
  public AuthenticatedEvent {
    Objects.requireNonNull(identity, "identity must not be null");
    Objects.requireNonNull(stage, "stage must not be null");
    Objects.requireNonNull(subprotocol, "subprotocol must not be null");
  }
}
