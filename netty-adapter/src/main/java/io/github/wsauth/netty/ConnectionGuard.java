package io.github.wsauth.netty;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Bounds unauthenticated connections in number and in time; see {@link NettyWsAuth#connectionGuard(WsAuthConfig)}.
 * One instance per channel. The slot it takes at accept lives under a private {@link AttributeKey} so that the
 * wsauth handlers give it back, through {@link #authenticated(Channel)}, the moment they bind an identity.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = System.getLogger(ConnectionGuard.class.getName());
  private static final AttributeKey<Slot> SLOT = AttributeKey.valueOf(ConnectionGuard.class, "slot");
  /** Whether the "no guard in the pipeline" warning was logged (once per process). */
  private static final AtomicBoolean WARNED_UNGUARDED = new AtomicBoolean();

  private final UnauthenticatedConnections connections;
  private final Duration handshakeTimeout;
  private boolean refused;

  ConnectionGuard(WsAuthConfig config) {
    this.connections = config.unauthenticatedConnections();
    this.handshakeTimeout = config.handshakeTimeout();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive() && admit(ctx)) {
      // Added after activation: count from now on, never skip the channel.
      PipelinedBytesHandler.install(ctx.channel());
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (admit(ctx)) {
      // The pipeline is complete now: bytes pipelined after an upgrade request must reach the WebSocket decoder.
      PipelinedBytesHandler.install(ctx.channel());
      ctx.fireChannelActive();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg); // nothing of a refused connection is decoded
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * An I/O error of a connection that has not authenticated (a peer that reset it, so the socket's read failed) is
   * the peer's doing: the channel is closed and the error goes no further, so a client cannot make the server log a
   * stack trace per connection (Netty logs an exception no handler took as a warning with its trace). Logged at
   * DEBUG without the trace. Any other error, and every error of an authenticated connection, is passed on.
   */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Slot slot = ctx.channel().attr(SLOT).get();
    if (cause instanceof IOException && slot != null && !slot.released.get()) {
      LOG.log(Level.DEBUG, () -> "wsauth: an unauthenticated connection failed and was closed: "
          + cause.getClass().getName());
      ctx.close();
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  /** Takes a slot for the channel, or closes it at once; false when it was refused. */
  private boolean admit(ChannelHandlerContext ctx) {
    Channel channel = ctx.channel();
    if (channel.attr(SLOT).get() != null || NettyWsAuth.identity(channel).isPresent()) {
      return true; // a second guard, or one added after authentication: count each connection once
    }
    SocketAddress remote = channel.remoteAddress();
    if (!connections.tryAcquire(remote)) {
      // Refused at accept, before the first read: no decoder ever sees a byte of it.
      refused = true;
      ctx.close();
      return false;
    }
    Slot slot = new Slot(connections, remote);
    channel.attr(SLOT).set(slot);
    channel.closeFuture().addListener(f -> {
      slot.cancelTimer(); // a closed channel must not stay reachable from the scheduler until the timeout
      slot.release();
    });
    try {
      slot.timer = ctx.executor().schedule(() -> timedOut(channel, slot), handshakeTimeout.toNanos(),
          TimeUnit.NANOSECONDS);
    } catch (RuntimeException e) {
      // No timer (the executor is shutting down): an unbounded connection is not kept.
      refused = true;
      ctx.close();
      return false;
    }
    return true;
  }

  private static void timedOut(Channel channel, Slot slot) {
    if (!slot.released.get() && !slot.awaitingFirstMessage) {
      // No complete, authenticated upgrade in time (or an upgrade that no wsauth handler decided): close.
      channel.close();
    }
  }

  /** Called when a wsauth handler binds an identity: the connection stops counting; runs on any thread. */
  static void authenticated(Channel channel) {
    Slot slot = channel.attr(SLOT).get();
    if (slot == null) {
      warnUnguarded();
      return;
    }
    slot.cancelTimer();
    slot.release();
  }

  /**
   * Called by the first-message handler at {@code HandshakeComplete}: the upgrade request arrived in time and the
   * first-message deadline governs from here; the connection keeps counting until it authenticates or closes.
   */
  static void awaitingFirstMessage(Channel channel) {
    Slot slot = channel.attr(SLOT).get();
    if (slot == null) {
      warnUnguarded();
      return;
    }
    slot.awaitingFirstMessage = true;
    slot.cancelTimer();
  }

  private static void warnUnguarded() {
    if (WARNED_UNGUARDED.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "wsauth: a connection reached a wsauth handler without NettyWsAuth.connectionGuard"
          + "(config) first in its pipeline; unauthenticated connections are bounded neither in time nor in number"
          + " (logged once)");
    }
  }

  /** For tests: lets the next unguarded connection log the warning again. */
  static void resetUnguardedWarning() {
    WARNED_UNGUARDED.set(false);
  }

  /** One connection's slot; given back exactly once, on authentication or on close, whichever comes first. */
  private static final class Slot {
    private final UnauthenticatedConnections connections;
    private final SocketAddress remote;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean awaitingFirstMessage;
    private volatile ScheduledFuture<?> timer;

    Slot(UnauthenticatedConnections connections, SocketAddress remote) {
      this.connections = connections;
      this.remote = remote;
    }

    void release() {
      if (released.compareAndSet(false, true)) {
        connections.release(remote);
      }
    }

    void cancelTimer() {
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
    }
  }
}
