package io.github.wsauth.netty;

import java.time.Duration;
import java.util.Optional;

import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.internal.LiveSession;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.AttributeKey;

/**
 * Drives core's {@link LiveSession} for an authenticated channel: timers on the channel's event loop, closes as
 * {@link ClosingHandshake closing handshakes}, the expiry warning as an {@link ExpiryWarningEvent}; ended when the
 * channel closes.
 */
final class LiveChannel implements LiveSession.Connection {
  private static final AttributeKey<LiveSession> SESSION = AttributeKey.valueOf(LiveChannel.class, "session");

  private final Channel channel;
  private final Duration closingHandshakeTimeout;

  private LiveChannel(Channel channel, Duration closingHandshakeTimeout) {
    this.channel = channel;
    this.closingHandshakeTimeout = closingHandshakeTimeout;
  }

  /** Starts the lifetime of a channel just authenticated as {@code identity}. */
  static LiveSession start(Channel channel, Identity identity, WsAuthConfig config, TokenVerifier fallback) {
    TaskScheduler wakeUps = config.wakeUps() != null ? config.wakeUps() : TaskScheduler.of(channel.eventLoop());
    LiveSession session = LiveSession.start(identity, LiveSession.Settings.of(config, fallback, wakeUps),
        new LiveChannel(channel, config.closingHandshakeTimeout()));
    channel.attr(SESSION).set(session);
    channel.closeFuture().addListener(f -> session.closed());
    return session;
  }

  /** The live session of an authenticated channel. */
  static Optional<LiveSession> of(Channel channel) {
    return Optional.ofNullable(channel.attr(SESSION).get());
  }

  @Override
  public boolean isOpen() {
    return channel.isActive() && !ClosingHandshake.isClosing(channel);
  }

  @Override
  public void close(int code, String reason) {
    // a close frame once the WebSocket is up, a plain close before
    boolean upgraded = channel.pipeline().get(WebSocketFrameEncoder.class) != null;
    ClosingHandshake.close(channel, upgraded, code, reason, closingHandshakeTimeout);
  }

  @Override
  public void expiresSoon(Identity identity, Duration remaining) {
    ExpiryWarningEvent event = new ExpiryWarningEvent(identity, remaining);
    channel.eventLoop().execute(() -> channel.pipeline().fireUserEventTriggered(event));
  }
}
