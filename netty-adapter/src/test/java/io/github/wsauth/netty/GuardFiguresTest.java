package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The figures of issue 13 item 4 (printed, and quoted in docs/NETTY.md "Limits"): what a hostile client holds
 * on a guarded server with the default caps, a legitimate client's success meanwhile, and the heap a pending
 * connection costs. Client and server share this JVM; the client's own sockets are measured apart (against a
 * server socket that never accepts) and subtracted.
 */
@ExtendWith(LeakDetection.class)
class GuardFiguresTest {
  private static final int PENDING = 2000;
  private final TestTokens tokens = new TestTokens();

  private WsAuthConfig.Builder upgradeConfig() {
    return WsAuthConfig.builder().websocketPath("/ws").handshake(tokens.handshake().build())
        .clock(tokens.clock);
  }

  private static List<SocketChannel> connect(List<String> froms, int perFrom, int port) throws IOException {
    List<SocketChannel> channels = new ArrayList<>();
    for (String from : froms) {
      for (int i = 0; i < perFrom; i++) {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(StandardSocketOptions.SO_LINGER, 0); // no TIME_WAIT pile-up between runs
        ch.bind(new InetSocketAddress(from, 0));
        ch.connect(new InetSocketAddress("127.0.0.1", port));
        channels.add(ch);
      }
    }
    return channels;
  }

  private static void closeAll(List<SocketChannel> channels) throws IOException {
    for (SocketChannel ch : channels) {
      ch.close();
    }
  }

  private static long heapAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(30);
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static void awaitCount(WsAuthConfig config, int expected) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (NettyWsAuth.unauthenticatedConnections(config) != expected && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isEqualTo(expected);
  }

  /** Waits until the server accepted every connection: each one is held or refused. */
  private static void awaitAccepted(WsAuthConfig config, int connections) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (NettyWsAuth.unauthenticatedConnections(config) + config.unauthenticatedConnections().refusedCount()
        < connections && System.nanoTime() < end) {
      Thread.sleep(5);
    }
  }

  private int legitimateSuccesses(TestServer server, String from, int attempts) {
    int ok = 0;
    for (int i = 0; i < attempts; i++) {
      try (RawWebSocket c = RawWebSocket.connectFrom(from, server.port())) {
        c.socket.setSoTimeout(2000);
        c.write(RawWebSocket.upgradeRequest("/ws", "Origin: " + TestTokens.APP_ORIGIN + "\r\nAuthorization: Bearer "
            + tokens.issue("legit") + "\r\n"));
        if (c.readStatusLine().contains(" 101 ")
            && c.readFrames(1).equals(List.of("hello legit AUTHORIZATION_BEARER -"))) {
          ok++;
        }
      } catch (IOException refused) {
        // closed at accept: counted as a failure
      }
    }
    return ok;
  }

  private static List<String> addresses(int n) {
    List<String> list = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      list.add("127.0.1." + i);
    }
    return list;
  }

  @Test
  void memoryPerPendingConnection() throws Exception {
    // The client's share: the same sockets, queued in the backlog of a server socket that never accepts.
    long clientBytes;
    try (ServerSocketChannel never = ServerSocketChannel.open()) {
      never.bind(new InetSocketAddress("127.0.0.1", 0), PENDING + 100);
      long before = heapAfterGc();
      List<SocketChannel> clients = connect(List.of("127.0.0.1"), PENDING, never.socket().getLocalPort());
      clientBytes = heapAfterGc() - before;
      closeAll(clients);
    }
    WsAuthConfig config = upgradeConfig().maxUnauthenticatedConnections(PENDING)
        .maxUnauthenticatedConnectionsPerAddress(PENDING).handshakeTimeout(Duration.ofMinutes(1)).build();
    long serverPerConnection;
    try (TestServer server = TestServer.startGuarded(config, TestServer.Mode.UPGRADE, false)) {
      legitimateSuccesses(server, "127.0.0.1", 20); // warm up the code paths so that classes are not counted
      long before = heapAfterGc();
      List<SocketChannel> pending = connect(List.of("127.0.0.1"), PENDING, server.port());
      awaitCount(config, PENDING);
      long both = heapAfterGc() - before;
      serverPerConnection = (both - clientBytes) / PENDING;
      System.out.printf("GUARD FIGURES: %d pending connections: heap +%d KB with the clients, clients alone +%d KB;"
          + " server side %d bytes per pending connection%n", PENDING, both / 1024, clientBytes / 1024,
          serverPerConnection);
      closeAll(pending);
      awaitCount(config, 0);
    }
    assertThat(serverPerConnection).isBetween(100L, 20_000L);
  }

  @Test
  void defaults_oneHostileAddress_holds100_andTheLegitimateClientAlwaysGetsIn() throws Exception {
    WsAuthConfig config = upgradeConfig().build();
    try (TestServer server = TestServer.startGuarded(config, TestServer.Mode.UPGRADE, false)) {
      List<SocketChannel> hostile = connect(List.of("127.0.0.1"), PENDING, server.port());
      awaitAccepted(config, PENDING);
      awaitCount(config, 100);
      long refusedAfterAttack = config.unauthenticatedConnections().refusedCount();
      int ok = legitimateSuccesses(server, "127.0.0.2", 50);
      System.out.printf("GUARD FIGURES: defaults, %d idle connections from one address: %d held, %d refused;"
          + " legitimate client from another address: %d/50 authenticated%n", PENDING,
          NettyWsAuth.unauthenticatedConnections(config), refusedAfterAttack, ok);
      assertThat(refusedAfterAttack).isEqualTo(PENDING - 100);
      assertThat(ok).isEqualTo(50);
      closeAll(hostile);
      awaitCount(config, 0);
    }
  }

  @Test
  void defaults_manyHostileAddresses_hold1000_andNewClientsWaitForTheTimeout() throws Exception {
    WsAuthConfig config = upgradeConfig().build();
    try (TestServer server = TestServer.startGuarded(config, TestServer.Mode.UPGRADE, false)) {
      RawWebSocket authenticated = RawWebSocket.connectFrom("127.0.0.3", server.port());
      authenticated.write(RawWebSocket.upgradeRequest("/ws", "Origin: " + TestTokens.APP_ORIGIN
          + "\r\nAuthorization: Bearer " + tokens.issue("early") + "\r\n"));
      assertThat(authenticated.readStatusLine()).contains(" 101 ");
      authenticated.readFrames(1);
      List<SocketChannel> hostile = connect(addresses(25), PENDING / 25, server.port());
      awaitAccepted(config, PENDING);
      awaitCount(config, 1000);
      long refused = config.unauthenticatedConnections().refusedCount();
      int ok = legitimateSuccesses(server, "127.0.0.2", 50);
      authenticated.write(RawWebSocket.maskedText("still-here"));
      boolean authenticatedStillWorks = authenticated.readFrames(1).equals(List.of("echo:still-here"));
      System.out.printf("GUARD FIGURES: defaults, %d idle connections from 25 addresses: %d held, %d refused;"
          + " new legitimate client: %d/50 (until the holders' 10 s handshake timeout); an authenticated"
          + " connection keeps working: %s%n", PENDING, NettyWsAuth.unauthenticatedConnections(config), refused,
          ok, authenticatedStillWorks);
      assertThat(refused).isEqualTo(PENDING - 1000);
      assertThat(ok).isZero();
      assertThat(authenticatedStillWorks).isTrue();
      authenticated.close();
      closeAll(hostile);
      awaitCount(config, 0);
    }
  }
}
