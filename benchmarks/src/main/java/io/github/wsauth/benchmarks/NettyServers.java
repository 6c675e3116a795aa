package io.github.wsauth.benchmarks;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.function.Supplier;

/** The Netty WebSocket server of the handshake benchmarks, the same in every variant but for one handler. */
final class NettyServers {
  private NettyServers() {}

  /**
   * Binds to a free loopback port a server with the pipeline {@code HttpServerCodec, HttpObjectAggregator,
   * [extra], WebSocketServerProtocolHandler(protocol)}; {@code extra} supplies a handler per channel, or null.
   */
  static Channel bind(EventLoopGroup boss, EventLoopGroup workers, WebSocketServerProtocolConfig protocol,
      Supplier<ChannelHandler> extra) throws InterruptedException {
    return new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ChannelPipeline p = ch.pipeline();
            p.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536));
            ChannelHandler handler = extra.get();
            if (handler != null) {
              p.addLast(handler);
            }
            p.addLast(new WebSocketServerProtocolHandler(protocol));
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }
}
