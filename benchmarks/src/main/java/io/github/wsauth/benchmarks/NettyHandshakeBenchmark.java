package io.github.wsauth.benchmarks;

import io.github.wsauth.netty.NettyWsAuth;
import io.github.wsauth.netty.WsAuthConfig;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
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
 * WebSocket handshakes per second on a Netty 4.2 server, with and without wsauth's upgrade handler, the credential
 * a single-use opaque token in the query ({@code ?token=}) or an {@code Authorization: Bearer} header.
 *
 * <p>Server: one acceptor and one I/O thread; pipeline {@code HttpServerCodec, HttpObjectAggregator,
 * [wsauth upgrade handler], WebSocketServerProtocolHandler} with the same protocol config in both variants.
 * Client: {@link HandshakeClient}, {@code concurrency} connections in flight, each connect + upgrade + close.
 * Each invocation runs {@value HandshakeFixtures#HANDSHAKES} handshakes; an untimed per-invocation setup issues
 * that many fresh tokens (invocations take tens of milliseconds, so JMH's per-invocation timestamps cost
 * nothing). The baseline server receives the very same requests and ignores the token.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class NettyHandshakeBenchmark extends HandshakeBenchmarkBase {
  @Param({"query", "bearer"})
  public String credential;

  @Param({"16"})
  public int concurrency;

  private EventLoopGroup boss;
  private EventLoopGroup workers;
  private Channel baselineServer;
  private Channel wsauthServer;
  private HandshakeClient baselineClient;
  private HandshakeClient wsauthClient;

  @Setup(Level.Trial)
  public void start() throws InterruptedException {
    fixtures = new HandshakeFixtures(credential);
    WsAuthConfig config = WsAuthConfig.builder()
        .handshake(fixtures.authenticator())
        .websocketPath(HandshakeFixtures.PATH)
        .build();
    WebSocketServerProtocolConfig protocol = config.protocolConfig();
    boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    workers = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    baselineServer = NettyServers.bind(boss, workers, protocol, () -> null);
    wsauthServer = NettyServers.bind(boss, workers, protocol, () -> NettyWsAuth.upgradeHandler(config));
    baselineClient = new HandshakeClient(((InetSocketAddress) baselineServer.localAddress()).getPort());
    wsauthClient = new HandshakeClient(((InetSocketAddress) wsauthServer.localAddress()).getPort());
  }

  @TearDown(Level.Trial)
  public void stop() {
    baselineClient.close();
    wsauthClient.close();
    baselineServer.close().syncUninterruptibly();
    wsauthServer.close().syncUninterruptibly();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Benchmark
  @OperationsPerInvocation(HandshakeFixtures.HANDSHAKES)
  public void baseline() throws InterruptedException {
    baselineClient.run(requests, concurrency);
  }

  @Benchmark
  @OperationsPerInvocation(HandshakeFixtures.HANDSHAKES)
  public void wsauth() throws InterruptedException {
    wsauthClient.run(requests, concurrency);
  }
}
