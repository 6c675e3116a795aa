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
 *     audit.connected(authenticated.identity().subject(), authenticated.stage());
 *   } else if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
 *     // The WebSocket encoder exists only from here on: greet now, not on a HANDSHAKE-stage event.
 *     Identity who = NettyWsAuth.identity(ctx.channel()).orElseThrow();
 *     ctx.writeAndFlush(new TextWebSocketFrame("hello " + who.subject()));
 *   }
 *   ctx.fireUserEventTriggered(evt);
 * }
 * }</pre>
 *
 * <p>At the {@link AuthEvent.Stage#HANDSHAKE handshake} stage the event arrives before Netty's {@code
 * HandshakeComplete}; at the {@link AuthEvent.Stage#FIRST_MESSAGE first-message} stage right after it (the
 * first-message handler holds {@code HandshakeComplete} back until the client is authenticated). An immutable value
 * (equal when every part is equal); it carries no secret. It was a record until 0.x: the accessors kept their names
 * and results, the constructor takes {@code null} for "no subprotocol".
 */
public final class AuthenticatedEvent {
  private final Identity identity;
  private final AuthEvent.Stage stage;
  private final String subprotocol;

  /**
   * Creates the event.
   *
   * @param identity who connected
   * @param stage where the credential was checked
   * @param subprotocol the application subprotocol selected for the connection, or {@code null} if none; never a
   *     token entry
   */
  public AuthenticatedEvent(Identity identity, AuthEvent.Stage stage, String subprotocol) {
    this.identity = Objects.requireNonNull(identity, "identity must not be null");
    this.stage = Objects.requireNonNull(stage, "stage must not be null");
    this.subprotocol = subprotocol;
  }

  /**
   * Who connected.
   *
   * @return the identity stored on the channel
   */
  public Identity identity() {
    return identity;
  }

  /**
   * Where the credential was checked.
   *
   * @return the handshake or the first message
   */
  public AuthEvent.Stage stage() {
    return stage;
  }

  /**
   * The application subprotocol selected for the connection; never a token entry.
   *
   * @return the subprotocol, empty if none was selected
   */
  public Optional<String> subprotocol() {
    return Optional.ofNullable(subprotocol);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthenticatedEvent e && identity.equals(e.identity) && stage == e.stage
        && Objects.equals(subprotocol, e.subprotocol);
  }

  @Override
  public int hashCode() {
    return Objects.hash(identity, stage, subprotocol);
  }

  @Override
  public String toString() {
    return "AuthenticatedEvent[identity=" + identity + ", stage=" + stage + ", subprotocol=" + subprotocol() + "]";
  }
}
