package io.github.wsauth.testkit.jdbc;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The test nodes' stand-in for the connection registry (issue 15): a node's upgraded WebSocket channels by subject,
 * removed when they close, and a way to close a subject's channels with a close code. Once core's registry lands,
 * {@link RevocationWsNodeMain} can use it instead.
 */
final class LiveConnections {
  private final ConcurrentHashMap<String, Set<Channel>> bySubject = new ConcurrentHashMap<>();

  /** Registers an upgraded channel of {@code subject}; it is removed when the channel closes. */
  void register(String subject, Channel channel) {
    bySubject.computeIfAbsent(subject, s -> ConcurrentHashMap.newKeySet()).add(channel);
    channel.closeFuture().addListener(f -> bySubject.computeIfPresent(subject, (s, set) -> {
      set.remove(channel);
      return set.isEmpty() ? null : set;
    }));
  }

  /** Sends a close frame with {@code code} and {@code reason} to each live channel of {@code subject}; how many. */
  int closeSubject(String subject, int code, String reason) {
    Set<Channel> channels = bySubject.getOrDefault(subject, Set.of());
    int n = 0;
    for (Channel ch : channels) {
      ch.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
      n++;
    }
    return n;
  }
}
