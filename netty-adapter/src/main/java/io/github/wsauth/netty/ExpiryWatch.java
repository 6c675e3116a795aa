package io.github.wsauth.netty;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.github.wsauth.Identity;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Closes a channel when its identity expires: a timer on the channel's event loop, its delay computed from the
 * injected clock, re-armed if the clock says it fired early; cancelled when the channel closes.
 */
final class ExpiryWatch {
  static final String REASON = "authentication expired";

  private final Channel channel;
  private final Identity identity;
  private final WsAuthConfig config;
  private ScheduledFuture<?> timer;

  private ExpiryWatch(Channel channel, Identity identity, WsAuthConfig config) {
    this.channel = channel;
    this.identity = identity;
    this.config = config;
  }

  /** Starts watching if the config asks for it. */
  static void startIfEnabled(Channel channel, Identity identity, WsAuthConfig config) {
    if (!config.closeOnExpiry()) {
      return;
    }
    ExpiryWatch watch = new ExpiryWatch(channel, identity, config);
    channel.eventLoop().execute(watch::arm);
    channel.closeFuture().addListener(f -> watch.cancel());
  }

  private void arm() {
    if (!channel.isActive()) {
      return;
    }
    Instant now = config.clock().instant();
    if (identity.isExpiredAt(now)) {
      expire();
      return;
    }
    // isExpiredAt is "strictly after": wake up just past expiresAt.
    long delayNanos = Duration.between(now, identity.expiresAt()).toNanos() + 1_000_000L;
    timer = channel.eventLoop().schedule(this::arm, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** Runs on the event loop (close-future listeners do), like {@link #arm()}. */
  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  private void expire() {
    if (channel.pipeline().get(WebSocketFrameEncoder.class) != null) {
      channel.writeAndFlush(new CloseWebSocketFrame(config.expiryCloseCode(), REASON))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      channel.close();
    }
  }
}
