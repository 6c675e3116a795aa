package io.github.wsauth.examples.demo;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.wsauth.Identity;
import io.github.wsauth.netty.NettyWsAuth;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * A demo server on Netty: a server bootstrap bound to the loopback address whose pipeline is built by the
 * caller (the wsauth handlers of one method) and ends with {@link HelloHandler}, the application.
 */
final class NettyDemoServer implements DemoServer {
  private final AuthMethod method;
  private final EventLoopGroup group;
  private final Channel channel;

  private NettyDemoServer(AuthMethod method, EventLoopGroup group, Channel channel) {
    this.method = method;
    this.group = group;
    this.channel = channel;
  }

  /**
   * Binds a server whose pipeline is {@code wsauth} followed by the hello protocol.
   *
   * @param wsauth adds the codec and the wsauth handlers to a new channel's pipeline
   */
  static NettyDemoServer start(AuthMethod method, int port, Consumer<ChannelPipeline> wsauth) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      ServerBootstrap bootstrap = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              wsauth.accept(ch.pipeline());
              ch.pipeline().addLast("hello", new HelloHandler());
            }
          });
      Channel channel = bootstrap.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
          .syncUninterruptibly().channel();
      return new NettyDemoServer(method, group, channel);
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      throw e;
    }
  }

  @Override
  public AuthMethod method() {
    return method;
  }

  @Override
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public String framework() {
    return "Netty";
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /**
   * The application: greets the authenticated user once the WebSocket handshake is complete (Netty fires {@code
   * HandshakeComplete} to the application only after wsauth accepted the connection) and closes with 1000 after
   * the goodbye. Its frames never arrive before authentication; but behind the upgrade handler a frame the client
   * pipelined with its upgrade request can arrive before {@code HandshakeComplete} (the identity is bound at the
   * 101 already; RFC 6455 §4.1 says clients wait for the 101, so few do this): then it greets first.
   */
  static final class HelloHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    // A later {"token": "..."} message re-authenticates the channel (NettyWsAuth.reauthenticate): the fresh token
    // must be the same user's; any other closes with 1008. On the first-message server wsauth takes these
    // messages itself, before they reach this handler.
    private String user;

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete && user == null) {
        greet(ctx);
      }
      super.userEventTriggered(ctx, evt);
    }

    /** Greets the connection's identity; false (and closed) when it has none. */
    private boolean greet(ChannelHandlerContext ctx) {
      Optional<Identity> identity = NettyWsAuth.identity(ctx.channel());
      if (identity.isEmpty()) {
        // Cannot happen with wsauth in front; fail closed all the same.
        close(ctx, HelloProtocol.POLICY_VIOLATION, "not authenticated");
        return false;
      }
      user = identity.get().subject();
      ctx.writeAndFlush(new TextWebSocketFrame(HelloProtocol.hello(user)));
      return true;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      if (user == null && !greet(ctx)) {
        return; // a frame ahead of HandshakeComplete: greeted now, unless there is no identity
      }
      String text = frame instanceof TextWebSocketFrame ? ((TextWebSocketFrame) frame).text() : null;
      Optional<String> token = text == null ? Optional.empty() : Json.tokenMessage(text);
      if (token.isPresent()) {
        NettyWsAuth.reauthenticate(ctx.channel(), token.get()); // refused: wsauth closes the channel with 1008
      } else if (text != null && HelloProtocol.isGoodbye(user, text)) {
        close(ctx, HelloProtocol.NORMAL_CLOSURE, HelloProtocol.BYE);
      } else {
        close(ctx, HelloProtocol.POLICY_VIOLATION, HelloProtocol.UNEXPECTED);
      }
    }

    private static void close(ChannelHandlerContext ctx, int code, String reason) {
      ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // Never echo details to the peer; a broken connection is simply closed.
      ctx.close();
    }
  }
}
