package io.github.wsauth.netty;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.wsauth.internal.ClientNetworks;

/**
 * The unauthenticated connections of one {@link WsAuthConfig}, shared by every channel guarded with that config:
 * a total and a count per client network, each against its cap: a remote IPv4 address, or the /64 prefix of a
 * remote IPv6 address (an IPv4-mapped one counts as its IPv4 address), as {@link ClientNetworks} keys them. A slot
 * is taken at accept and given back exactly once (see {@link ConnectionGuard}). Thread-safe: channels of several
 * event loops share it.
 */
final class UnauthenticatedConnections {
  private static final Logger LOG = System.getLogger(ConnectionGuard.class.getName());
  /** At most one refusal line per this interval: a flood must not flood the log too. */
  private static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final int max;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
  private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - LOG_INTERVAL_NANOS);
  private final AtomicLong refused = new AtomicLong();

  UnauthenticatedConnections(int max, int maxPerAddress) {
    this.max = max;
    this.maxPerAddress = maxPerAddress;
  }

  /** Takes a slot for a connection from {@code remote}; false (and counted as refused) when a cap is reached. */
  boolean tryAcquire(SocketAddress remote) {
    InetAddress address = networkOf(remote);
    int now = total.incrementAndGet();
    if (now > max) {
      total.decrementAndGet();
      refuse(remote, "maxUnauthenticatedConnections " + max);
      return false;
    }
    if (address != null) {
      boolean[] admitted = {false};
      perAddress.compute(address, (a, n) -> {
        int count = n == null ? 0 : n;
        if (count >= maxPerAddress) {
          return n;
        }
        admitted[0] = true;
        return count + 1;
      });
      if (!admitted[0]) {
        total.decrementAndGet();
        refuse(remote, "maxUnauthenticatedConnectionsPerAddress " + maxPerAddress);
        return false;
      }
    }
    return true;
  }

  /** Gives back a slot taken by {@link #tryAcquire} for {@code remote}; called exactly once per slot. */
  void release(SocketAddress remote) {
    InetAddress address = networkOf(remote);
    if (address != null) {
      perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
    total.decrementAndGet();
  }

  /** The connections holding a slot now. */
  int count() {
    return total.get();
  }

  /** The connections refused so far. */
  long refusedCount() {
    return refused.get();
  }

  /** The number of client networks holding a slot now (the per-address table never outgrows the connections). */
  int addresses() {
    return perAddress.size();
  }

  private void refuse(SocketAddress remote, String cap) {
    refused.incrementAndGet();
    long now = System.nanoTime();
    long last = lastRefusalLog.get();
    if (now - last >= LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
      LOG.log(Level.WARNING, "wsauth refused a connection from " + hostOf(remote) + ": " + cap
          + " unauthenticated connections reached (" + refused.get() + " refused so far; one line per 10 s)");
    }
  }

  private static InetAddress addressOf(SocketAddress remote) {
    return remote instanceof InetSocketAddress ? ((InetSocketAddress) remote).getAddress() : null;
  }

  /** The per-address key of {@code remote}: its IPv4 address or IPv6 /64 prefix, null if not an IP peer. */
  private static InetAddress networkOf(SocketAddress remote) {
    InetAddress address = addressOf(remote);
    return address == null ? null : ClientNetworks.keyOf(address);
  }

  private static String hostOf(SocketAddress remote) {
    InetAddress address = addressOf(remote);
    return address == null ? String.valueOf(remote) : address.getHostAddress();
  }
}
