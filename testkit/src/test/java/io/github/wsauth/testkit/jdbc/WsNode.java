package io.github.wsauth.testkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.wsauth.AuthDecision;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.IssuedToken;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStoreUnavailableException;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.UpgradeRequest;
import io.github.wsauth.store.JdbcTokenStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A minimal but real WebSocket server (Netty 4.2, test scope only) whose handshake is authenticated by {@link
 * HandshakeAuthenticator} against a {@link JdbcTokenStore} with its own HikariCP pool: one "node" of a cluster.
 *
 * <ul>
 *   <li>{@code GET /ws} with a WebSocket upgrade and {@code Authorization: Bearer <token>}: 101 and a first text
 *       frame {@code welcome <subject>}, or the authenticator's 400/401/403/503 answer instead of the upgrade.</li>
 *   <li>{@code POST /issue?subject=alice}: issues a single-use token (stands in for the HTTP app); 503 if the
 *       store is down.</li>
 * </ul>
 *
 * <p>Authentication and issuing run on their own executor, not the event loop, because JDBC blocks. Written
 * here rather than with the Netty adapter so the store is proven independently of it.
 */
final class WsNode implements AutoCloseable {
  private static final AttributeKey<Identity> IDENTITY = AttributeKey.valueOf("wsauth.test.identity");

  private final HikariDataSource pool;
  private final EventLoopGroup group;
  private final ExecutorService blocking;
  private final Channel server;

  private WsNode(HikariDataSource pool, EventLoopGroup group, ExecutorService blocking, Channel server) {
    this.pool = pool;
    this.group = group;
    this.blocking = blocking;
    this.server = server;
  }

  /**
   * Starts a node on 127.0.0.1:{@code port} (0 = any) sharing {@code table} in the database at {@code jdbcUrl}; a
   * handshake waits at most {@code connectionTimeoutMillis} for a pooled connection before it gets 503.
   */
  static WsNode start(String name, String jdbcUrl, String user, String table, int port, long connectionTimeoutMillis)
      throws InterruptedException {
    HikariDataSource pool = Pools.pool(name, jdbcUrl, user, 8, connectionTimeoutMillis);
    JdbcTokenStore store = JdbcTokenStore.builder(pool).table(table).createTableIfMissing(true).build();
    TokenPolicy policy = TokenPolicy.builder().singleUse().lifetime(java.time.Duration.ofMinutes(2)).build();
    TokenIssuer issuer = TokenIssuer.opaque(store, policy, Clock.systemUTC());
    HandshakeAuthenticator auth = HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.bearerHeader())
        .verifier(TokenVerifier.opaque(store, policy))
        .originPolicy(OriginPolicy.anyOrigin())
        .build();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    ExecutorService blocking = Executors.newFixedThreadPool(16);
    Channel server = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(16 * 1024))
                .addLast(new AuthHandler(auth, issuer, blocking))
                .addLast(new WebSocketServerProtocolHandler(
                    WebSocketServerProtocolConfig.newBuilder().websocketPath("/ws").checkStartsWith(true).build()))
                .addLast(new WelcomeHandler());
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", port))
        .sync()
        .channel();
    return new WsNode(pool, group, blocking, server);
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    blocking.shutdownNow();
    pool.close();
  }

  /** Authenticates upgrades and issues tokens; passes accepted upgrades on to Netty's handshaker. */
  private static final class AuthHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final HandshakeAuthenticator auth;
    private final TokenIssuer issuer;
    private final ExecutorService blocking;

    AuthHandler(HandshakeAuthenticator auth, TokenIssuer issuer, ExecutorService blocking) {
      super(false);
      this.auth = auth;
      this.issuer = issuer;
      this.blocking = blocking;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      blocking.execute(() -> {
        try {
          handle(ctx, req);
        } catch (RuntimeException e) {
          // A test server bug must show up as a 500 in the test, not as a hung client.
          respond(ctx, 500, List.of(), e.getClass().getName());
        }
      });
    }

    /** Runs off the event loop; Netty hands writes and the fired read back to the channel's event loop. */
    private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
      QueryStringDecoder uri = new QueryStringDecoder(req.uri());
      if (uri.path().equals("/issue") && req.method().equals(HttpMethod.POST)) {
        req.release();
        List<String> subject = uri.parameters().getOrDefault("subject", List.of());
        if (subject.size() != 1) {
          respond(ctx, 400, List.of(), "subject required");
          return;
        }
        try {
          IssuedToken token = issuer.issue(subject.get(0), Map.of());
          respond(ctx, 200, List.of(), token.value());
        } catch (TokenStoreUnavailableException e) {
          respond(ctx, 503, List.of(), "token store unavailable");
        }
        return;
      }
      if (!uri.path().equals("/ws")) {
        req.release();
        respond(ctx, 404, List.of(), "not found");
        return;
      }
      UpgradeRequest.Builder b = UpgradeRequest.builder().requestTarget(req.uri());
      for (String name : req.headers().names()) {
        b.header(name, req.headers().getAll(name));
      }
      if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote) {
        b.remoteAddress(remote);
      }
      AuthDecision decision = auth.authenticate(b.build());
      if (decision instanceof AuthDecision.Rejected r) {
        req.release();
        respond(ctx, r.status(), r.challenges(), r.reason());
        return;
      }
      ctx.channel().attr(IDENTITY).set(decision.acceptedIdentity().orElseThrow());
      ctx.fireChannelRead(req);
    }

    private static void respond(ChannelHandlerContext ctx, int status, List<String> challenges, String body) {
      FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
          Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
      res.headers().set(HttpHeaderNames.CONNECTION, "close");
      for (String c : challenges) {
        res.headers().add(HttpHeaderNames.WWW_AUTHENTICATE, c);
      }
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** Greets an authenticated connection by name once the upgrade is complete. */
  private static final class WelcomeHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        String subject = ctx.channel().attr(IDENTITY).get().subject();
        ctx.writeAndFlush(new TextWebSocketFrame("welcome " + subject));
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
      // The tests only need the greeting.
    }
  }
}
