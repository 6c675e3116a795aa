package io.github.wsauth.netty;

import java.util.concurrent.TimeUnit;

import io.github.wsauth.Identity;
import io.github.wsauth.internal.ExpiryTimer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;
import io.netty.util.concurrent.ScheduledFuture;

/** Drives core's {@link ExpiryTimer} on the channel's event loop; cancelled when the channel closes. */
final class ExpiryWatch {
  static final String REASON = ExpiryTimer.REASON;

  private ExpiryWatch() {}

  /** Starts watching if the config asks for it. */
  static void startIfEnabled(Channel channel, Identity identity, WsAuthConfig config) {
    if (!config.closeOnExpiry()) {
      return;
    }
    ExpiryTimer timer = ExpiryTimer.start(identity, config.clock(), config.expiryCloseCode(), (task, delay) -> {
      ScheduledFuture<?> f = channel.eventLoop().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      return () -> f.cancel(false);
    }, new ExpiryTimer.Connection() {
      @Override
      public boolean isOpen() {
        return channel.isActive();
      }

      @Override
      public void close(int code, String reason) {
        if (channel.pipeline().get(WebSocketFrameEncoder.class) != null) {
          channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
          channel.close();
        }
      }
    });
    channel.closeFuture().addListener(f -> timer.cancel());
  }
}
