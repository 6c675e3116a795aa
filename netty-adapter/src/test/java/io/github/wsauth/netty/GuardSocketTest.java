package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13 item 4 over real sockets (Netty 4.2 and 4.1): {@link NettyWsAuth#connectionGuard} first in the
 * pipeline closes idle connections after the handshake timeout and refuses connections over the caps at accept,
 * while legitimate and authenticated clients keep working.
 */
@ExtendWith(LeakDetection.class)
class GuardSocketTest {
  private final TestTokens tokens = new TestTokens();
  private final List<AutoCloseable> open = new ArrayList<>();
  private WsAuthConfig config;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private TestServer upgradeServer(Duration timeout, int max, int perAddress) throws InterruptedException {
    config = WsAuthConfig.builder().websocketPath("/ws").handshake(tokens.handshake().build())
        .handshakeTimeout(timeout).maxUnauthenticatedConnections(max)
        .maxUnauthenticatedConnectionsPerAddress(perAddress).clock(tokens.clock).build();
    TestServer server = TestServer.startGuarded(config, TestServer.Mode.UPGRADE, false);
    open.add(server);
    return server;
  }

  private TestServer firstMessageServer(int max, int perAddress) throws InterruptedException {
    config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().deadline(Duration.ofSeconds(5)).build())
        .handshakeTimeout(Duration.ofSeconds(5)).maxUnauthenticatedConnections(max)
        .maxUnauthenticatedConnectionsPerAddress(perAddress).clock(tokens.clock).build();
    TestServer server = TestServer.startGuarded(config, TestServer.Mode.FIRST_MESSAGE, true);
    open.add(server);
    return server;
  }

  /** Polls the server's count (the server works asynchronously); this waits for I/O, not for an expiry. */
  private static void awaitCount(IntSupplier count, int expected) throws InterruptedException {
    long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (count.getAsInt() != expected && System.nanoTime() < end) {
      Thread.sleep(2);
    }
    assertThat(count.getAsInt()).isEqualTo(expected);
  }

  private int count() {
    return NettyWsAuth.unauthenticatedConnections(config);
  }

  /** Opens {@code n} idle connections from {@code from}; they send nothing. */
  private List<SocketChannel> idle(String from, int port, int n) throws IOException {
    List<SocketChannel> channels = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SocketChannel ch = SocketChannel.open();
      ch.setOption(StandardSocketOptions.SO_LINGER, 0);
      ch.bind(new InetSocketAddress(from, 0));
      ch.connect(new InetSocketAddress("127.0.0.1", port));
      channels.add(ch);
      open.add(ch);
    }
    return channels;
  }

  /** How many of the channels the server closed (EOF or reset) within {@code within}. */
  private static int closedByServer(List<SocketChannel> channels, Duration within) throws IOException {
    int closed = 0;
    try (Selector selector = Selector.open()) {
      for (SocketChannel ch : channels) {
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ);
      }
      long end = System.nanoTime() + within.toNanos();
      ByteBuffer buf = ByteBuffer.allocate(64);
      while (closed < channels.size() && System.nanoTime() < end) {
        selector.select(Math.max(1, (end - System.nanoTime()) / 1_000_000));
        for (SelectionKey key : selector.selectedKeys()) {
          int read;
          try {
            read = ((SocketChannel) key.channel()).read(buf.clear());
          } catch (IOException reset) {
            read = -1;
          }
          if (read < 0) {
            key.cancel();
            closed++;
          }
        }
        selector.selectedKeys().clear();
      }
      for (SelectionKey key : selector.keys()) {
        key.cancel();
      }
      selector.selectNow();
      for (SocketChannel ch : channels) {
        ch.configureBlocking(true);
      }
    }
    return closed;
  }

  private String bearerHello(TestServer server, String from, String subject) throws IOException {
    try (RawWebSocket c = RawWebSocket.connectFrom(from, server.port())) {
      c.write(RawWebSocket.upgradeRequest("/ws", "Origin: " + TestTokens.APP_ORIGIN + "\r\nAuthorization: Bearer "
          + tokens.issue(subject) + "\r\n"));
      return c.readStatusLine() + " / " + c.readFrames(1);
    }
  }

  @Test
  void idleConnection_isClosedAfterTheHandshakeTimeout() throws Exception {
    TestServer server = upgradeServer(Duration.ofMillis(300), 20, 10);
    List<SocketChannel> silent = idle("127.0.0.1", server.port(), 1);
    RawWebSocket partial = RawWebSocket.connect(server.port());
    open.add(partial);
    long start = System.nanoTime();
    partial.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
    awaitCount(this::count, 2);
    assertThat(closedByServer(silent, Duration.ofSeconds(2))).isOne();
    assertThat(partial.closedByServer()).as("a request that never completes").isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(250))
        .isLessThan(Duration.ofMillis(3000)); // the 300 ms timeout, not a later close (margin for a loaded CI machine)
    awaitCount(this::count, 0);
  }

  @Test
  void hostileClient_overThePerAddressCap_isRefused_whileALegitimateClientAuthenticates() throws Exception {
    TestServer server = upgradeServer(Duration.ofSeconds(5), 20, 10);
    List<SocketChannel> hostile = idle("127.0.0.1", server.port(), 10 + 5);
    assertThat(closedByServer(hostile, Duration.ofSeconds(2))).as("refused at accept, long before the 5 s timeout")
        .isEqualTo(5);
    awaitCount(this::count, 10);
    assertThat(config.unauthenticatedConnections().refusedCount()).isEqualTo(5);
    assertThat(bearerHello(server, "127.0.0.2", "legit"))
        .isEqualTo("HTTP/1.1 101 Switching Protocols / [hello legit AUTHORIZATION_BEARER -]");
  }

  @Test
  void hostileClients_overTheTotalCap_areRefused_whileAuthenticatedClientsKeepWorking() throws Exception {
    TestServer server = upgradeServer(Duration.ofSeconds(5), 20, 10);
    RawWebSocket authenticated = RawWebSocket.connectFrom("127.0.0.4", server.port());
    open.add(authenticated);
    authenticated.write(RawWebSocket.upgradeRequest("/ws", "Origin: " + TestTokens.APP_ORIGIN
        + "\r\nAuthorization: Bearer " + tokens.issue("early") + "\r\n"));
    assertThat(authenticated.readStatusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
    assertThat(authenticated.readFrames(1)).containsExactly("hello early AUTHORIZATION_BEARER -");
    awaitCount(this::count, 0);

    List<SocketChannel> hostile = new ArrayList<>(idle("127.0.0.1", server.port(), 10));
    hostile.addAll(idle("127.0.0.3", server.port(), 10));
    awaitCount(this::count, 20);
    List<SocketChannel> excess = idle("127.0.0.5", server.port(), 3);
    assertThat(closedByServer(excess, Duration.ofSeconds(1))).isEqualTo(3);
    assertThat(closedByServer(hostile, Duration.ofMillis(100))).as("the held ones stay held").isZero();
    assertThat(count()).isEqualTo(20);

    authenticated.write(RawWebSocket.maskedText("still-here"));
    assertThat(authenticated.readFrames(1)).containsExactly("echo:still-here");
    assertThat(server.appFrames).contains("early:still-here");
  }

  @Test
  void authenticatedConnection_stopsCounting_andFreesItsSlot() throws Exception {
    TestServer server = upgradeServer(Duration.ofSeconds(5), 1, 1);
    RawWebSocket first = RawWebSocket.connect(server.port());
    open.add(first);
    first.write(RawWebSocket.upgradeRequest("/ws", "Origin: " + TestTokens.APP_ORIGIN + "\r\nAuthorization: Bearer "
        + tokens.issue("erin") + "\r\n"));
    assertThat(first.readStatusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
    awaitCount(this::count, 0);
    assertThat(bearerHello(server, "127.0.0.1", "frank")).as("the one slot is free again")
        .isEqualTo("HTTP/1.1 101 Switching Protocols / [hello frank AUTHORIZATION_BEARER -]");
  }

  @Test
  void upgradedConnectionAwaitingTheFirstMessage_counts() throws Exception {
    TestServer server = firstMessageServer(2, 2);
    RawWebSocket a = RawWebSocket.connect(server.port());
    RawWebSocket b = RawWebSocket.connect(server.port());
    open.add(a);
    open.add(b);
    a.write(RawWebSocket.upgradeRequest("/ws", ""));
    b.write(RawWebSocket.upgradeRequest("/ws", ""));
    assertThat(a.readStatusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
    assertThat(b.readStatusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
    awaitCount(this::count, 2);
    List<SocketChannel> third = idle("127.0.0.1", server.port(), 1);
    assertThat(closedByServer(third, Duration.ofSeconds(1))).as("both slots held by upgraded connections").isOne();

    a.write(RawWebSocket.maskedText(tokens.issue("gina")));
    assertThat(a.readFrames(1)).containsExactly("hello gina FIRST_MESSAGE -");
    awaitCount(this::count, 1);
  }

  @Test
  void unauthenticatedConnectionsResetByTheirPeer_areClosed_andNothingIsLogged() throws Exception {
    TestServer server = upgradeServer(Duration.ofSeconds(5), 20, 10);
    // What Netty logs about an exception no handler took (its pipeline's tail).
    try (LogCapture tailLog = new LogCapture("io.netty.channel.DefaultChannelPipeline")) {
      List<RawWebSocket> resetting = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        RawWebSocket c = RawWebSocket.connect(server.port());
        c.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        resetting.add(c);
      }
      awaitCount(this::count, 10);
      for (RawWebSocket c : resetting) {
        c.socket.setSoLinger(true, 0); // close with a TCP reset: the server's read fails with an IOException
        c.close();
      }
      awaitCount(this::count, 0);

      // The same reset on an authenticated connection reaches the application's handlers (this test server's
      // application takes no exception, so Netty's tail logs it): the capture sees what the guard kept out.
      RawWebSocket authenticated = RawWebSocket.connect(server.port());
      authenticated.write(RawWebSocket.upgradeRequest("/ws", "Origin: " + TestTokens.APP_ORIGIN
          + "\r\nAuthorization: Bearer " + tokens.issue("henry") + "\r\n"));
      assertThat(authenticated.readStatusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
      authenticated.readFrames(1);
      resetAndExpectTheOneTailWarning(authenticated, tailLog);
    }
  }

  /**
   * The same after the upgrade, on a first-message endpoint: connections that never sent their token, or sent half
   * of its frame, still hold their unauthenticated slot, so the guard closes them when the peer resets and Netty's
   * tail logs nothing (a client cannot write a stack trace to the server's log per connection, before or after the
   * upgrade). Control: the same reset once the token was accepted reaches the application (one tail warning).
   */
  @Test
  void unauthenticatedFirstMessageConnectionsResetByTheirPeer_afterTheUpgrade_areClosed_andNothingIsLogged()
      throws Exception {
    TestServer server = firstMessageServer(20, 10);
    byte[] tokenFrame = RawWebSocket.maskedText(tokens.issue("ivy"));
    try (LogCapture tailLog = new LogCapture("io.netty.channel.DefaultChannelPipeline")) {
      List<RawWebSocket> resetting = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        RawWebSocket c = RawWebSocket.connect(server.port());
        c.write(RawWebSocket.upgradeRequest("/ws", "Origin: " + TestTokens.APP_ORIGIN + "\r\n"));
        assertThat(c.readStatusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
        if (i % 2 == 1) {
          c.write(java.util.Arrays.copyOf(tokenFrame, tokenFrame.length / 2)); // half of the token's frame
        }
        resetting.add(c);
      }
      awaitCount(this::count, 10);
      for (RawWebSocket c : resetting) {
        c.socket.setSoLinger(true, 0);
        c.close();
      }
      awaitCount(this::count, 0);

      RawWebSocket authenticated = RawWebSocket.connect(server.port());
      authenticated.write(RawWebSocket.upgradeRequest("/ws", "Origin: " + TestTokens.APP_ORIGIN + "\r\n"));
      assertThat(authenticated.readStatusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
      authenticated.write(RawWebSocket.maskedText(tokens.issue("iris")));
      assertThat(authenticated.readFrame()).startsWith("hello iris");
      awaitCount(this::count, 0);
      resetAndExpectTheOneTailWarning(authenticated, tailLog);
    }
  }

  /** Resets an authenticated connection: its error reaches the pipeline's tail, which logs it (the control). */
  private static void resetAndExpectTheOneTailWarning(RawWebSocket authenticated, LogCapture tailLog)
      throws Exception {
    authenticated.socket.setSoLinger(true, 0);
    authenticated.close();
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (tailLog.lines().isEmpty() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(tailLog.lines()).as("one line, for the authenticated connection only").singleElement().asString()
        .startsWith("WARNING An exceptionCaught() event was fired, and it reached at the tail of the pipeline");
  }
}
