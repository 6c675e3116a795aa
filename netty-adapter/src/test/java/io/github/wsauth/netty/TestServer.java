package io.github.wsauth.netty;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.github.wsauth.Identity;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;

/**
 * A real Netty WebSocket server on an ephemeral port, wired as the docs say. The application greets every
 * connection with {@code hello <subject> <source> <subprotocol>} (read from {@link NettyWsAuth#identity}), echoes
 * text and records every frame it receives.
 */
final class TestServer implements AutoCloseable {
  enum Mode { UPGRADE, FIRST_MESSAGE }

  final List<String> appFrames = new CopyOnWriteArrayList<>();
  /** The request URI of every completed handshake, as Netty's {@code HandshakeComplete} shows the application. */
  final List<String> handshakeUris = new CopyOnWriteArrayList<>();
  private final EventLoopGroup group;
  private final EventExecutorGroup authGroup;
  private final Channel serverChannel;
  /** With {@code authGroup}: the accepted connections, whose pipelines are destroyed before the groups shut down. */
  private final java.util.Set<Channel> children = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** Whether the application answers requests it does not serve with a keep-alive 404 (default: 404, close). */
  private final boolean keepAlive;

  // addLast(EventExecutorGroup, ...) is deprecated in 4.2 but is how 4.1 and 4.2 both offload a handler (tested here)
  @SuppressWarnings("deprecation")
  private TestServer(WsAuthConfig config, Mode mode, WebSocketServerProtocolConfig protocolConfig,
      boolean offloadAuthentication, boolean guard) throws InterruptedException {
    this(false, offloadAuthentication, (p, app) -> {
      if (guard) {
        p.addLast(NettyWsAuth.connectionGuard(config));
      }
      p.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536));
      if (config.cookieBridge().isPresent()) {
        p.addLast(NettyWsAuth.cookieBridgeHandler(config));
      }
      if (mode == Mode.UPGRADE) {
        p.addLast(app.authGroup, "wsauth", NettyWsAuth.upgradeHandler(config));
      }
      p.addLast(new WebSocketServerProtocolHandler(protocolConfig));
      if (mode == Mode.FIRST_MESSAGE) {
        p.addLast(app.authGroup, "wsauth", NettyWsAuth.firstMessageHandler(config));
      }
      p.addLast(app.new App());
    });
  }

  @SuppressWarnings("deprecation") // NioEventLoopGroup: the one event loop group that exists in 4.1 and 4.2
  private TestServer(boolean keepAlive, boolean offloadAuthentication,
      BiConsumer<ChannelPipeline, TestServer> pipeline) throws InterruptedException {
    this.keepAlive = keepAlive;
    group = new NioEventLoopGroup(2);
    authGroup = offloadAuthentication ? new DefaultEventExecutorGroup(2) : null;
    serverChannel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (authGroup != null) {
              children.add(ch);
            }
            pipeline.accept(ch.pipeline(), TestServer.this);
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  /**
   * A server with a pipeline of the test's own (for wiring mistakes): {@code pipeline} gets the channel's
   * pipeline and this server, whose {@link #app()} is the greeting application; 404s keep the connection open
   * when {@code keepAlive}.
   */
  static TestServer wired(boolean keepAlive, BiConsumer<ChannelPipeline, TestServer> pipeline)
      throws InterruptedException {
    return new TestServer(keepAlive, false, pipeline);
  }

  /** A new application handler for one channel. */
  ChannelHandler app() {
    return new App();
  }

  static TestServer start(WsAuthConfig config, Mode mode) throws InterruptedException {
    return new TestServer(config, mode, config.protocolConfig(), false, false);
  }

  /** A server with {@link NettyWsAuth#connectionGuard} first in the pipeline. */
  static TestServer startGuarded(WsAuthConfig config, Mode mode, boolean offloadAuthentication)
      throws InterruptedException {
    return new TestServer(config, mode, config.protocolConfig(), offloadAuthentication, true);
  }

  static TestServer start(WsAuthConfig config, Mode mode, WebSocketServerProtocolConfig protocolConfig,
      boolean offloadAuthentication) throws InterruptedException {
    return new TestServer(config, mode, protocolConfig, offloadAuthentication, false);
  }

  int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  URI uri(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port() + pathAndQuery);
  }

  URI httpUri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    for (Channel child : children) {
      closeAndAwaitPipelineDestroyed(child, 2000);
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    if (authGroup != null) {
      authGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /**
   * Closes {@code ch} and waits (at most {@code waitMs}) until its pipeline is destroyed. With a handler on an
   * executor of its own, the destruction goes back and forth between that executor and the channel's loop, and
   * whichever is shut down before it ends refuses the other's task (Netty logs each refusal with a stack trace).
   */
  static void closeAndAwaitPipelineDestroyed(Channel ch, long waitMs) {
    ch.close().awaitUninterruptibly(waitMs);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    while (ch.pipeline().first() != null && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private final class App extends SimpleChannelInboundHandler<Object> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        String subprotocol = ((WebSocketServerProtocolHandler.HandshakeComplete) evt).selectedSubprotocol();
        handshakeUris.add(((WebSocketServerProtocolHandler.HandshakeComplete) evt).requestUri());
        String who = NettyWsAuth.identity(ctx.channel())
            .map(i -> i.subject() + " " + i.source().map(Enum::name).orElse("-")).orElse("nobody -");
        ctx.writeAndFlush(new TextWebSocketFrame("hello " + who + " " + (subprotocol == null ? "-" : subprotocol)));
      }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof FullHttpRequest) {
        DefaultFullHttpResponse notFound = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
            HttpResponseStatus.NOT_FOUND, Unpooled.EMPTY_BUFFER);
        notFound.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (keepAlive) {
          ctx.writeAndFlush(notFound);
        } else {
          ctx.writeAndFlush(notFound).addListener(ChannelFutureListener.CLOSE);
        }
        return;
      }
      if (!(msg instanceof WebSocketFrame)) {
        appFrames.add("raw:" + msg.getClass().getSimpleName()); // must never happen: wsauth lets only frames by
        ctx.close();
        return;
      }
      WebSocketFrame frame = (WebSocketFrame) msg;
      String text = frame instanceof TextWebSocketFrame ? ((TextWebSocketFrame) frame).text()
          : frame.getClass().getSimpleName() + ":" + frame.content().toString(StandardCharsets.ISO_8859_1);
      String who = NettyWsAuth.identity(ctx.channel()).map(Identity::subject).orElse("nobody");
      appFrames.add(who + ":" + text);
      ctx.writeAndFlush(new TextWebSocketFrame("echo:" + text));
    }
  }
}
