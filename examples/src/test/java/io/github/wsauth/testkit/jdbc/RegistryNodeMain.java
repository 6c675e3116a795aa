package io.github.wsauth.testkit.jdbc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.JakartaWsAuth;
import io.github.wsauth.jakarta.WsAuthEndpoint;
import io.github.wsauth.jakarta.WsAuthFilter;
import io.github.wsauth.jwt.JwtTokens;
import io.github.wsauth.jwt.JwtVerifierConfig;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.PostgresRevocationBus;
import io.github.wsauth.lifetime.Revocation;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.netty.NettyWsAuth;
import io.github.wsauth.netty.WsAuthConfig;
import io.github.wsauth.store.JdbcTokenStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Node B of the two-JVM revocation test, built only from wsauth's public pieces: one pgjdbc {@code DataSource}
 * (its connections named {@code <name>}, logged in as {@code <role>}; not pooled: the examples module keeps
 * HikariCP's SLF4J off its test class path) under a {@link JdbcTokenStore} and a {@link PostgresRevocationBus}; a
 * {@link ConnectionRegistry} and a {@link Revoker} subscribed to the bus; two Netty servers wired with wsauth's
 * Netty adapter ({@link WsAuthConfig} with {@link ConnectionLifetime}): {@code /ws} on the first port
 * authenticates opaque tokens of the shared store ({@code Authorization: Bearer}), on the second port reusable JWTs
 * (EdDSA, the public key given as a JWK, jti revocations checked in the same store); and Tomcat 11 with wsauth's
 * Jakarta adapter ({@link WsAuthFilter}, {@link WsAuthEndpoint}, {@link JakartaAuthConfig} with the same registry)
 * on a third port, {@code /ws} with opaque tokens.
 *
 * <p>{@code java -cp <test classpath> ...RegistryNodeMain <name> <jdbcUrl> <role> <tokenTable> <revocationTable>
 * <minBackoffMillis> <publicJwk>}; prints {@code READY <opaquePort>}, {@code JWT <jwtPort>}, {@code TOMCAT
 * <tomcatPort>}, then {@code DELIVERED <kind>} per revocation its bus delivers; greets each connection with {@code
 * welcome <subject>}; exits when its standard input closes.
 */
final class RegistryNodeMain {
  static final String ISSUER = "https://node-a.example";
  static final String AUDIENCE = "wsauth-two-jvm";
  static final TokenPolicy OPAQUE = TokenPolicy.builder().singleUse().lifetime(Duration.ofMinutes(5)).build();
  static final TokenPolicy JWT = TokenPolicy.builder().reusable().lifetime(Duration.ofMinutes(5)).build();

  private RegistryNodeMain() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    PGSimpleDataSource db = new PGSimpleDataSource();
    db.setUrl(args[1]);
    db.setUser(args[2]);
    db.setApplicationName(name);
    db.setConnectTimeout(5);
    Duration backoff = Duration.ofMillis(Long.parseLong(args[5]));
    PostgresRevocationBus bus = PostgresRevocationBus.builder(db).table(args[4])
        .reconnectBackoff(backoff, backoff.multipliedBy(4)).build();
    try {
      JdbcTokenStore store = JdbcTokenStore.builder(db).table(args[3]).build();
      ConnectionRegistry registry = new ConnectionRegistry();
      String warmUp = "warm-up-" + name + "-" + System.nanoTime();
      CountDownLatch listening = new CountDownLatch(1);
      bus.subscribe(r -> {
        if (r.id().equals(warmUp)) {
          listening.countDown();
        } else {
          System.out.println("DELIVERED " + r.kind());
          System.out.flush();
        }
      });
      Revoker revoker = Revoker.builder().store(store).bus(bus).registry(registry).build();
      try {
        TokenVerifier jwt = JwtTokens.verifier(JwtVerifierConfig.builder().issuer(ISSUER).audience(AUDIENCE)
            .algorithms(JWSAlgorithm.EdDSA).keys(new JWKSet(JWK.parse(args[6]))).policy(JWT).store(store).build());
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        Tomcat tomcat = tomcat(registry, TokenVerifier.opaque(store, OPAQUE));
        try {
          Channel opaque = server(group, config(registry, TokenVerifier.opaque(store, OPAQUE)));
          Channel jwts = server(group, config(registry, jwt));
          bus.publish(Revocation.token(warmUp));
          if (!listening.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the bus did not deliver its warm-up revocation");
          }
          System.out.println("READY " + ((InetSocketAddress) opaque.localAddress()).getPort());
          System.out.println("JWT " + ((InetSocketAddress) jwts.localAddress()).getPort());
          System.out.println("TOMCAT " + tomcat.getConnector().getLocalPort());
          System.out.flush();
          BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
          while (in.readLine() != null) {
            // Wait for the parent to close our stdin.
          }
        } finally {
          Path base = tomcat.getServer().getCatalinaBase().toPath();
          tomcat.stop();
          tomcat.destroy();
          try (Stream<Path> files = Files.walk(base)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
          }
          group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
      } finally {
        revoker.close(); // stops closing connections on the bus's revocations
      }
    } finally {
      bus.close();
    }
  }

  private static WsAuthConfig config(ConnectionRegistry registry, TokenVerifier verifier) {
    return WsAuthConfig.builder().websocketPath("/ws")
        .handshake(authenticator(verifier))
        .lifetime(ConnectionLifetime.builder().registry(registry).build())
        .build();
  }

  /**
   * Tomcat 11 on 127.0.0.1, any port, with the Jakarta adapter: {@code /ws} a {@link WsAuthEndpoint} behind {@link
   * WsAuthFilter}, its configuration with the same registry (opaque tokens of the shared store).
   */
  private static Tomcat tomcat(ConnectionRegistry registry, TokenVerifier verifier) throws Exception {
    JakartaAuthConfig wsauth = JakartaAuthConfig.builder().handshake(authenticator(verifier))
        .lifetime(ConnectionLifetime.builder().registry(registry).build()).build();
    Path base = Files.createTempDirectory("wsauth-node-b-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context ctx = tomcat.addContext("", base.toString());
    ctx.addServletContainerInitializer(new WsSci(), null);
    ctx.addServletContainerInitializer((classes, sc) -> {
      try {
        ((ServerContainer) sc.getAttribute(ServerContainer.class.getName()))
            .addEndpoint(WsAuthEndpoint.builder("/ws", wsauth, Welcome::new).build());
      } catch (DeploymentException e) {
        throw new jakarta.servlet.ServletException(e);
      }
      WsAuthFilter.install(sc, wsauth, "/ws");
    }, null);
    // Filters run only for a request that maps to a servlet: a no-op one at "/" (as the adapter's Tomcat tests do).
    Tomcat.addServlet(ctx, "none", new jakarta.servlet.http.HttpServlet() {
      private static final long serialVersionUID = 1L;
    });
    ctx.addServletMapping("/", "none");
    tomcat.start();
    return tomcat;
  }

  private static HandshakeAuthenticator authenticator(TokenVerifier verifier) {
    return HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
        .verifier(verifier).originPolicy(OriginPolicy.anyOrigin()).build();
  }

  /** The Jakarta application: greets the connection with {@code welcome <subject>}. */
  public static final class Welcome extends Endpoint {
    /** Greets. */
    @Override
    public void onOpen(Session session, EndpointConfig config) {
      try {
        session.getBasicRemote().sendText("welcome " + JakartaWsAuth.identity(session).orElseThrow().subject());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** A Netty server on 127.0.0.1, any port: wsauth's upgrade handler, Netty's WebSocket handler, a greeter. */
  private static Channel server(EventLoopGroup group, WsAuthConfig wsauth) throws InterruptedException {
    return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(8192))
                .addLast(NettyWsAuth.upgradeHandler(wsauth))
                .addLast(new WebSocketServerProtocolHandler(wsauth.protocolConfig()))
                .addLast(new Greeter());
          }
        })
        .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
  }

  /** Greets an upgraded connection with {@code welcome <subject>}; drops what the client sends. */
  private static final class Greeter extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
      if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
        String subject = NettyWsAuth.identity(ctx.channel()).orElseThrow().subject();
        ctx.writeAndFlush(new TextWebSocketFrame("welcome " + subject));
      }
      super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ReferenceCountUtil.release(msg);
    }
  }
}
