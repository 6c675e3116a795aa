package io.github.wsauth.benchmarks;

import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.UpgradeRequest;
import io.github.wsauth.netty.NettyWsAuth;
import io.github.wsauth.netty.WsAuthConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Diagnostic: where the per-handshake cost of wsauth on Netty goes. One server per fork, its extra handler one
 * of: none ({@code baseline}); a handler that only removes itself ({@code passthrough}); one that also builds the
 * {@link UpgradeRequest} view ({@code view}); one that also runs the authenticator ({@code authenticate}); and
 * wsauth's own upgrade handler ({@code wsauth}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class NettyHandshakeBreakdownBenchmark extends HandshakeBenchmarkBase {
  @Param({"query", "bearer"})
  public String credential;

  @Param({"baseline", "passthrough", "view", "authenticate", "wsauth"})
  public String server;

  @Param({"16"})
  public int concurrency;

  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel channel;
  private HandshakeClient client;

  @Setup(Level.Trial)
  public void start() throws InterruptedException {
    fixtures = new HandshakeFixtures(credential);
    HandshakeAuthenticator authenticator = fixtures.authenticator();
    WsAuthConfig config = WsAuthConfig.builder()
        .handshake(authenticator)
        .websocketPath(HandshakeFixtures.PATH)
        .build();
    WebSocketServerProtocolConfig protocol = config.protocolConfig();
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    channel = NettyServers.bind(boss, workers, protocol, () -> switch (server) {
      case "baseline" -> null;
      case "passthrough" -> new Stage(0, authenticator);
      case "view" -> new Stage(1, authenticator);
      case "authenticate" -> new Stage(2, authenticator);
      case "wsauth" -> NettyWsAuth.upgradeHandler(config);
      default -> throw new IllegalArgumentException(server);
    });
    client = new HandshakeClient(((InetSocketAddress) channel.localAddress()).getPort());
  }

  /** Stage 0: remove self; 1: plus the request view; 2: plus authenticate (the decision is required to accept). */
  private static final class Stage extends ChannelInboundHandlerAdapter {
    private final int depth;
    private final HandshakeAuthenticator authenticator;

    Stage(int depth, HandshakeAuthenticator authenticator) {
      this.depth = depth;
      this.authenticator = authenticator;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof FullHttpRequest request && depth > 0) {
        UpgradeRequest.Builder b = UpgradeRequest.builder().requestTarget(request.uri());
        for (Iterator<Map.Entry<String, String>> it = request.headers().iteratorAsString(); it.hasNext(); ) {
          Map.Entry<String, String> header = it.next();
          b.header(header.getKey(), header.getValue());
        }
        b.remoteAddress((InetSocketAddress) ctx.channel().remoteAddress());
        UpgradeRequest view = b.build();
        if (depth > 1 && !authenticator.authenticate(view).isAccepted()) {
          throw new IllegalStateException("rejected");
        }
      }
      ctx.pipeline().remove(this);
      ctx.fireChannelRead(msg);
    }
  }

  @TearDown(Level.Trial)
  public void stop() {
    client.close();
    channel.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Benchmark
  @OperationsPerInvocation(HandshakeFixtures.HANDSHAKES)
  public void handshake() throws InterruptedException {
    client.run(requests, concurrency);
  }
}
