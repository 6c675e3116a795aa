package io.github.wsauth.netty;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

/** A Netty WebSocket client ({@link WebSocketClientHandshaker}) that also reports refused handshakes. */
final class NettyClient {
  private NettyClient() {}

  /** One connection attempt: the handshake answer, then (if upgraded) the texts and the close code received. */
  static final class Conn {
    volatile Channel channel;
    volatile int status;
    volatile HttpHeaders responseHeaders;
    volatile String body;
    volatile String subprotocol;
    /** The reason of the close frame the server sent, if any. */
    volatile String closeReason;
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    /** The close code the server sent, or -1 if the connection ended without a close frame. */
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    String nextText() throws InterruptedException {
      String text = texts.poll(5, TimeUnit.SECONDS);
      if (text == null) {
        throw new AssertionError("no message within 5 s");
      }
      return text;
    }

    int awaitClose() throws Exception {
      return closeCode.get(5, TimeUnit.SECONDS);
    }
  }

  /**
   * Connects; the future completes once the server answered the upgrade (any status). Sends {@code Origin:
   * https://app.example} unless {@code headers} sets another (Netty would send one derived from the URI).
   */
  static CompletableFuture<Conn> connect(EventLoopGroup group, URI uri, String subprotocols, HttpHeaders headers) {
    HttpHeaders h = new DefaultHttpHeaders();
    h.set(HttpHeaderNames.ORIGIN, TestTokens.APP_ORIGIN);
    if (headers != null) {
      h.set(headers);
      if (!h.contains(HttpHeaderNames.ORIGIN)) {
        h.set(HttpHeaderNames.ORIGIN, TestTokens.APP_ORIGIN);
      }
    }
    WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13,
        subprotocols, false, h);
    Conn conn = new Conn();
    CompletableFuture<Conn> answered = new CompletableFuture<>();
    new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                new SimpleChannelInboundHandler<Object>() {
                  @Override
                  public void channelActive(ChannelHandlerContext ctx) {
                    conn.channel = ctx.channel();
                    handshaker.handshake(ctx.channel());
                  }

                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                    if (!handshaker.isHandshakeComplete() && msg instanceof FullHttpResponse) {
                      FullHttpResponse response = (FullHttpResponse) msg;
                      conn.status = response.status().code();
                      conn.responseHeaders = response.headers().copy();
                      conn.body = response.content().toString(StandardCharsets.UTF_8);
                      if (conn.status == 101) {
                        try {
                          handshaker.finishHandshake(ctx.channel(), response);
                          conn.subprotocol = handshaker.actualSubprotocol();
                        } catch (RuntimeException e) {
                          answered.completeExceptionally(e);
                          ctx.close();
                          return;
                        }
                      }
                      answered.complete(conn);
                    } else if (msg instanceof TextWebSocketFrame) {
                      conn.texts.add(((TextWebSocketFrame) msg).text());
                    } else if (msg instanceof CloseWebSocketFrame) {
                      conn.closeReason = ((CloseWebSocketFrame) msg).reasonText();
                      conn.closeCode.complete(((CloseWebSocketFrame) msg).statusCode());
                    }
                  }

                  @Override
                  public void channelInactive(ChannelHandlerContext ctx) {
                    conn.closeCode.complete(-1);
                    answered.completeExceptionally(new IllegalStateException("closed before the answer"));
                  }

                  @Override
                  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    answered.completeExceptionally(cause);
                    ctx.close();
                  }
                });
          }
        })
        .connect(uri.getHost(), uri.getPort()).addListener(f -> {
          if (!f.isSuccess()) {
            answered.completeExceptionally(f.cause());
          }
        });
    return answered;
  }

  static HttpHeaders headers(String... pairs) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < pairs.length; i += 2) {
      h.add(pairs[i], pairs[i + 1]);
    }
    return h;
  }
}
