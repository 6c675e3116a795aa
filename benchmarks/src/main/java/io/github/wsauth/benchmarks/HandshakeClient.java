package io.github.wsauth.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A deliberately cheap WebSocket client for the handshake benchmarks, identical for every server variant: one
 * Netty event loop, raw bytes. Per connection: connect, send a prebuilt upgrade request, read up to the end of
 * the response head, require {@code 101}, send a masked close frame (1000) and wait for the server to close the
 * TCP connection (the server closes first, so TIME_WAIT stays on the server side and client ports are reused).
 * Any other outcome fails the run: a benchmark must never measure rejections by accident.
 */
final class HandshakeClient implements AutoCloseable {
  /** A masked close frame: FIN + opcode 8, mask bit + length 2, mask key 0, payload 1000 (0x03e8). */
  private static final byte[] CLOSE_FRAME = {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xe8};
  private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Bootstrap bootstrap;

  HandshakeClient(int port) {
    this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .remoteAddress("127.0.0.1", port);
  }

  /** An upgrade request for {@code target}, with extra header lines (each ending in CRLF) if any. */
  static byte[] upgradeRequest(String target, String extraHeaders) {
    return ("GET " + target + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "Origin: http://127.0.0.1\r\n"
        + extraHeaders
        + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Runs one handshake per request, at most {@code concurrency} at a time, and returns when all have completed.
   *
   * @throws IllegalStateException if any handshake did not get 101 or the connection failed
   */
  void run(byte[][] requests, int concurrency) throws InterruptedException {
    CountDownLatch done = new CountDownLatch(requests.length);
    AtomicInteger next = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    Runnable[] starter = new Runnable[1];
    starter[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= requests.length) {
        return;
      }
      bootstrap.clone().handler(new Connection(requests[i], ok -> {
        if (ok != null) {
          failure.compareAndSet(null, ok);
        }
        done.countDown();
        starter[0].run();
      })).connect().addListener(f -> {
        if (!f.isSuccess()) {
          failure.compareAndSet(null, "connect failed: " + f.cause());
          done.countDown();
          starter[0].run();
        }
      });
    };
    for (int c = 0; c < Math.min(concurrency, requests.length); c++) {
      starter[0].run();
    }
    if (!done.await(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("handshakes did not complete within 60 s");
    }
    if (failure.get() != null) {
      throw new IllegalStateException("handshake failed: " + failure.get());
    }
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Reports null on success or a reason on failure, exactly once. */
  private interface Outcome {
    void report(String failure);
  }

  private static final class Connection extends ChannelInboundHandlerAdapter {
    private final byte[] request;
    private final Outcome outcome;
    private ByteBuf head;
    private boolean upgraded;
    private String failure;
    private boolean reported;

    Connection(byte[] request, Outcome outcome) {
      this.request = request;
      this.outcome = outcome;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      head = ctx.alloc().heapBuffer(256);
      ctx.writeAndFlush(Unpooled.wrappedBuffer(request));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        if (upgraded || failure != null) {
          return; // the server's close frame, or the rest of an error answer
        }
        head.writeBytes(in);
        int end = indexOf(head, END_OF_HEAD);
        if (end < 0) {
          if (head.readableBytes() > 8192) {
            fail(ctx, "response head too long");
          }
          return;
        }
        String status = head.toString(0, Math.min(end, 16), StandardCharsets.US_ASCII);
        if (status.startsWith("HTTP/1.1 101")) {
          upgraded = true;
          ctx.writeAndFlush(Unpooled.wrappedBuffer(CLOSE_FRAME));
        } else {
          fail(ctx, "status " + status);
        }
      } finally {
        in.release();
      }
    }

    private void fail(ChannelHandlerContext ctx, String why) {
      failure = why;
      ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (failure == null && !upgraded) {
        failure = cause.toString();
      }
      ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (head != null) {
        head.release();
        head = null;
      }
      if (!reported) {
        reported = true;
        outcome.report(upgraded ? null : failure == null ? "closed before 101" : failure);
      }
    }

    private static int indexOf(ByteBuf buf, byte[] needle) {
      int n = buf.writerIndex() - needle.length;
      outer:
      for (int i = buf.readerIndex(); i <= n; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (buf.getByte(i + j) != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
