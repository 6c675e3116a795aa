package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.github.wsauth.CredentialSource;
import io.github.wsauth.Identity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

@ExtendWith(LeakDetection.class)
class ConnectionGuardTest {
  private static final Identity ALICE = Identity.of("alice", java.util.Map.of(),
      Instant.parse("2030-01-01T00:01:00Z")).withSource(CredentialSource.FIRST_MESSAGE);

  private final TestTokens tokens = new TestTokens();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final Logger guardLogger = Logger.getLogger(ConnectionGuard.class.getName());
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      log.add(r.getLevel() + " " + r.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeEach
  void captureLog() {
    guardLogger.addHandler(capture);
  }

  @AfterEach
  void stopCapture() {
    guardLogger.removeHandler(capture);
  }

  private WsAuthConfig config(int max, int perAddress) {
    return WsAuthConfig.builder().websocketPath("/ws").firstMessage(tokens.firstMessage().deadline(Duration.ofSeconds(10)).build())
        .handshakeTimeout(Duration.ofSeconds(3)).maxUnauthenticatedConnections(max)
        .maxUnauthenticatedConnectionsPerAddress(perAddress).build();
  }

  /** A channel from {@code 10.0.0.<host>} with the guard first and a recorder after it; time frozen. */
  private static EmbeddedChannel channel(WsAuthConfig config, int host) {
    return channel(config, host, new Recorder(true));
  }

  private static EmbeddedChannel channel(WsAuthConfig config, int host, Recorder app) {
    return channel(config, new InetSocketAddress("10.0.0." + host, 40000), app);
  }

  /** A channel from {@code remote} (an IP literal, or an address built from its bytes), as {@link #channel}. */
  private static EmbeddedChannel channel(WsAuthConfig config, InetSocketAddress remote, Recorder app) {
    EmbeddedChannel ch = new EmbeddedChannel(new ChannelHandler[0]) {
      @Override
      protected SocketAddress remoteAddress0() {
        return remote;
      }
    };
    ch.freezeTime();
    ch.pipeline().addLast(NettyWsAuth.connectionGuard(config), app);
    return ch;
  }

  private static ByteBuf bytes(String s) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer();
    buf.writeCharSequence(s, java.nio.charset.StandardCharsets.US_ASCII);
    return buf;
  }

  @Test
  void cap_reached_closesTheNextConnectionAtAcceptAndReadsNothing() {
    WsAuthConfig config = config(2, 2);
    EmbeddedChannel a = channel(config, 1);
    EmbeddedChannel b = channel(config, 2);
    Recorder refusedApp = new Recorder(true);
    EmbeddedChannel c = channel(config, 3, refusedApp);
    assertThat(a.isOpen()).isTrue();
    assertThat(b.isOpen()).isTrue();
    assertThat(c.isOpen()).as("refused at accept").isFalse();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isEqualTo(2);
    assertThat(config.unauthenticatedConnections().refusedCount()).isEqualTo(1);
    assertThat(log).singleElement().asString().isEqualTo("WARNING wsauth refused a connection from 10.0.0.3:"
        + " maxUnauthenticatedConnections 2 unauthenticated connections reached (1 refused so far; one line per 10 s)");
    assertThat(refusedApp.events).isEmpty();
    assertFalse(c.finish());
    a.close();
    b.close();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isZero();
    assertFalse(a.finish());
    assertFalse(b.finish());
  }

  private static EmbeddedChannel channel(WsAuthConfig config, String ipLiteral) {
    return channel(config, new InetSocketAddress(ipLiteral, 40000), new Recorder(true));
  }

  @Test
  void perAddressCap_countsIpv6PeersByTheirSlash64_soOneClientsManyAddressesShareIt() {
    WsAuthConfig config = config(10, 2);
    EmbeddedChannel a1 = channel(config, "2001:db8:0:1::1");
    EmbeddedChannel a2 = channel(config, "2001:db8:0:1:ffff:ffff:ffff:ffff");
    EmbeddedChannel a3 = channel(config, "2001:db8:0:1:abcd::7");
    EmbeddedChannel b1 = channel(config, "2001:db8:0:2::1");
    EmbeddedChannel b2 = channel(config, "2001:db8:0:2::2");
    assertThat(List.of(a1.isOpen(), a2.isOpen(), a3.isOpen(), b1.isOpen(), b2.isOpen()))
        .as("three addresses of one /64 share its 2 slots; another /64 has its own")
        .containsExactly(true, true, false, true, true);
    assertThat(log).singleElement().asString()
        .contains("from 2001:db8:0:1:abcd:0:0:7: maxUnauthenticatedConnectionsPerAddress 2");
    assertThat(config.unauthenticatedConnections().addresses()).isEqualTo(2);
    a1.close();
    EmbeddedChannel a4 = channel(config, "2001:db8:0:1:1:2:3:4");
    assertThat(a4.isOpen()).as("a slot of that /64 came back").isTrue();
    for (EmbeddedChannel ch : List.of(a1, a2, a3, a4, b1, b2)) {
      ch.close();
      assertFalse(ch.finish());
    }
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isZero();
    assertThat(config.unauthenticatedConnections().addresses()).isZero();
  }

  @Test
  void perAddressCap_ipv4PeersByTheirAddress_anIpv4MappedIpv6PeerAsItsIpv4Address() throws Exception {
    WsAuthConfig config = config(10, 2);
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    System.arraycopy(new byte[] {10, 0, 0, 9}, 0, mapped, 12, 4);
    InetSocketAddress mappedPeer = new InetSocketAddress(java.net.Inet6Address.getByAddress(null, mapped, null), 40000);
    assertThat(mappedPeer.getAddress()).isInstanceOf(java.net.Inet6Address.class);
    EmbeddedChannel v4 = channel(config, 9);
    EmbeddedChannel v6 = channel(config, mappedPeer, new Recorder(true));
    EmbeddedChannel third = channel(config, 9);
    EmbeddedChannel neighbour = channel(config, 10);
    EmbeddedChannel neighbour2 = channel(config, 10);
    assertThat(List.of(v4.isOpen(), v6.isOpen(), third.isOpen(), neighbour.isOpen(), neighbour2.isOpen()))
        .as("10.0.0.9 and ::ffff:10.0.0.9 are one peer; 10.0.0.10 (same /24) is another")
        .containsExactly(true, true, false, true, true);
    for (EmbeddedChannel ch : List.of(v4, v6, third, neighbour, neighbour2)) {
      ch.close();
      assertFalse(ch.finish());
    }
    assertThat(config.unauthenticatedConnections().addresses()).isZero();
  }

  @Test
  void perAddressCap_refusesTheSameAddressButAdmitsAnother() {
    WsAuthConfig config = config(10, 2);
    EmbeddedChannel a1 = channel(config, 1);
    EmbeddedChannel a2 = channel(config, 1);
    EmbeddedChannel a3 = channel(config, 1);
    EmbeddedChannel b1 = channel(config, 2);
    assertThat(List.of(a1.isOpen(), a2.isOpen(), a3.isOpen(), b1.isOpen())).containsExactly(true, true, false, true);
    assertThat(log).singleElement().asString().contains("from 10.0.0.1: maxUnauthenticatedConnectionsPerAddress 2");
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isEqualTo(3);
    a1.close();
    EmbeddedChannel a4 = channel(config, 1);
    assertThat(a4.isOpen()).as("a slot of that address came back").isTrue();
    for (EmbeddedChannel ch : List.of(a1, a2, a3, a4, b1)) {
      ch.close();
      assertFalse(ch.finish());
    }
  }

  @Test
  void authentication_releasesTheSlotExactlyOnce_closeDoesNotReleaseItAgain() {
    WsAuthConfig config = config(2, 2);
    EmbeddedChannel a = channel(config, 1);
    EmbeddedChannel b = channel(config, 2);
    NettyWsAuth.setIdentity(a, ALICE);
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isEqualTo(1);
    NettyWsAuth.setIdentity(a, ALICE); // a second binding must not give back a second slot
    a.close();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isEqualTo(1);
    b.close();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isZero();
    assertThat(config.unauthenticatedConnections().addresses()).isZero();
    assertFalse(a.finish());
    assertFalse(b.finish());
  }

  @Test
  void authenticatedConnection_isNotClosedByTheHandshakeTimeout() {
    WsAuthConfig config = config(2, 2);
    EmbeddedChannel a = channel(config, 1, new Recorder(true));
    NettyWsAuth.setIdentity(a, ALICE);
    a.advanceTimeBy(1, TimeUnit.HOURS);
    a.runScheduledPendingTasks();
    assertThat(a.isOpen()).isTrue();
    a.close();
    assertFalse(a.finish());
  }

  @Test
  void ioErrorOfAnUnauthenticatedConnection_closesIt_andGoesNoFurther() {
    WsAuthConfig config = config(2, 2);
    Recorder app = new Recorder(true);
    EmbeddedChannel a = channel(config, 1, app);
    a.writeInbound(bytes("GET /ws HTTP/1.1\r\nHost: x\r\n"));
    a.pipeline().fireExceptionCaught(new SocketException("Connection reset"));
    assertThat(a.isOpen()).as("closed by the guard").isFalse();
    assertThatCode(a::checkException).as("the error did not reach the end of the pipeline").doesNotThrowAnyException();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isZero();
    assertThat(log).isEmpty(); // DEBUG only: not published at the default level
    a.finishAndReleaseAll();
  }

  @Test
  void ioErrorOfAnUnauthenticatedConnection_isLoggedAtDebug_byItsClassOnly() {
    guardLogger.setLevel(Level.ALL);
    try {
      EmbeddedChannel a = channel(config(2, 2), 1, new Recorder(true));
      a.pipeline().fireExceptionCaught(new SocketException("Connection reset by 10.0.0.1"));
      assertThat(log).containsExactly("FINE wsauth: an unauthenticated connection failed and was closed:"
          + " java.net.SocketException");
      a.finishAndReleaseAll();
    } finally {
      guardLogger.setLevel(null);
    }
  }

  @Test
  void ioErrorOfAnAuthenticatedConnection_isPassedOn() {
    WsAuthConfig config = config(2, 2);
    EmbeddedChannel a = channel(config, 1, new Recorder(true));
    NettyWsAuth.setIdentity(a, ALICE);
    SocketException reset = new SocketException("Connection reset");
    a.pipeline().fireExceptionCaught(reset);
    assertThatThrownBy(a::checkException).as("the application's handlers decide").isSameAs(reset);
    assertThat(a.isOpen()).isTrue();
    a.close();
    assertFalse(a.finish());
  }

  @Test
  void otherErrorOfAnUnauthenticatedConnection_isPassedOn() {
    WsAuthConfig config = config(2, 2);
    EmbeddedChannel a = channel(config, 1, new Recorder(true));
    IllegalStateException bug = new IllegalStateException("a handler's bug");
    a.pipeline().fireExceptionCaught(bug);
    assertThatThrownBy(a::checkException).isSameAs(bug);
    assertThat(a.isOpen()).isTrue();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isOne();
    a.close();
    assertFalse(a.finish());
  }

  @Test
  void ioErrorOfAConnectionGuardedOnlyAfterItAuthenticated_isPassedOn() {
    WsAuthConfig config = config(2, 2);
    EmbeddedChannel a = new EmbeddedChannel(new Recorder(true));
    NettyWsAuth.setIdentity(a, ALICE);
    a.pipeline().addFirst(NettyWsAuth.connectionGuard(config)); // takes no slot: the connection never counts
    IOException reset = new IOException("Connection reset");
    a.pipeline().fireExceptionCaught(reset);
    assertThatThrownBy(a::checkException).isSameAs(reset);
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isZero();
    assertFalse(a.finish());
  }

  @Test
  void handshakeTimeout_closesAnUnauthenticatedConnectionWhenItPasses_notBefore() {
    WsAuthConfig config = config(2, 2);
    Recorder app = new Recorder(true);
    EmbeddedChannel a = channel(config, 1, app);
    a.writeInbound(bytes("GET /ws HTTP/1.1\r\nHost: x\r\n")); // a slow request: bytes do not extend the timeout
    a.advanceTimeBy(2999, TimeUnit.MILLISECONDS);
    a.runScheduledPendingTasks();
    assertThat(a.isOpen()).isTrue();
    a.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    a.runScheduledPendingTasks();
    assertThat(a.isOpen()).isFalse();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isZero();
    assertFalse(a.finish());
  }

  @Test
  void awaitingFirstMessage_stillCounts_butTheFirstMessageDeadlineReplacesTheTimeout() {
    WsAuthConfig config = config(2, 2);
    Recorder app = new Recorder(true);
    EmbeddedChannel a = channel(config, 1, app);
    a.pipeline().addBefore(a.pipeline().context(app).name(), "fm", NettyWsAuth.firstMessageHandler(config));
    a.pipeline().fireUserEventTriggered(
        new WebSocketServerProtocolHandler.HandshakeComplete("/ws", new DefaultHttpHeaders(), null));
    a.advanceTimeBy(3, TimeUnit.SECONDS);
    a.runScheduledPendingTasks();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).as("upgraded, awaiting the token: counts").isOne();
    assertThat(a.isOpen()).as("the 10 s first-message deadline applies, not the 3 s handshake timeout").isTrue();
    a.advanceTimeBy(7, TimeUnit.SECONDS);
    a.runScheduledPendingTasks();
    assertThat(a.isOpen()).as("first-message deadline passed").isFalse();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isZero();
    a.finishAndReleaseAll(); // the 1008 close frame the first-message handler wrote
  }

  @Test
  void twoGuards_countTheConnectionOnce() {
    WsAuthConfig config = config(2, 2);
    EmbeddedChannel a = channel(config, 1, new Recorder(true));
    a.pipeline().addFirst(NettyWsAuth.connectionGuard(config));
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isOne();
    a.close();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isZero();
    assertFalse(a.finish());
  }

  @Test
  void guardAddedAfterActivation_stillCountsAndTimesOut() {
    WsAuthConfig config = config(2, 2);
    EmbeddedChannel a = new EmbeddedChannel();
    a.freezeTime();
    a.pipeline().addFirst(NettyWsAuth.connectionGuard(config));
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isOne();
    a.advanceTimeBy(3, TimeUnit.SECONDS);
    a.runScheduledPendingTasks();
    assertThat(a.isOpen()).isFalse();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isZero();
    assertFalse(a.finish());
  }

  @Test
  void withoutGuard_authenticationLogsOneWarning() {
    ConnectionGuard.resetUnguardedWarning();
    EmbeddedChannel a = new EmbeddedChannel();
    NettyWsAuth.setIdentity(a, ALICE);
    NettyWsAuth.setIdentity(new EmbeddedChannel(), ALICE);
    assertThat(log).containsExactly("WARNING wsauth: a connection reached a wsauth handler without"
        + " NettyWsAuth.connectionGuard(config) first in its pipeline; unauthenticated connections are bounded"
        + " neither in time nor in number (logged once)");
    assertFalse(a.finish());
  }

  @Test
  void guardPlacedAfterTheCodec_stillRefusesAtAccept() {
    WsAuthConfig config = config(1, 1);
    EmbeddedChannel first = channel(config, 1);
    Recorder app = new Recorder(true);
    EmbeddedChannel late = new EmbeddedChannel(new io.netty.handler.codec.http.HttpServerCodec(),
        NettyWsAuth.connectionGuard(config), app);
    assertThat(late.isOpen()).as("refused although placed after the codec").isFalse();
    assertThat(app.messages).isEmpty();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isOne();
    assertFalse(late.finish());
    first.close();
    assertFalse(first.finish());
  }

  @Test
  void channelUpgradedWithoutAnyWsauthDecision_isClosedAtTheHandshakeTimeout() {
    // A wrong wiring: the guard, but no wsauth handler. Netty upgrades; nobody binds an identity.
    WsAuthConfig config = config(2, 2);
    Recorder app = new Recorder(true);
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addLast(NettyWsAuth.connectionGuard(config), new io.netty.handler.codec.http.HttpServerCodec(),
        new io.netty.handler.codec.http.HttpObjectAggregator(8192),
        new WebSocketServerProtocolHandler(config.protocolConfig()), app);
    ch.writeInbound(bytes(new String(RawWebSocket.upgradeRequest("/ws", ""),
        java.nio.charset.StandardCharsets.US_ASCII)));
    ByteBuf response = ch.readOutbound();
    try {
      assertThat(response.toString(java.nio.charset.StandardCharsets.US_ASCII))
          .startsWith("HTTP/1.1 101 Switching Protocols");
    } finally {
      response.release();
    }
    ch.advanceTimeBy(3, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isFalse();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isZero();
    ch.finishAndReleaseAll(); // Netty's own close frame (1000) on close
  }

  // --- pinned for mutation testing: activation, timers, counts ---

  /** Records whether channelActive reached it. */
  private static final class ActiveRecorder extends io.netty.channel.ChannelInboundHandlerAdapter {
    boolean active;

    @Override
    public void channelActive(io.netty.channel.ChannelHandlerContext ctx) {
      active = true;
    }
  }

  /** A channel whose handlers are there before activation (the usual ChannelInitializer case). */
  private static EmbeddedChannel activatedWith(int host, ChannelHandler... handlers) {
    EmbeddedChannel ch = new EmbeddedChannel(false, false, handlers) {
      @Override
      protected SocketAddress remoteAddress0() {
        return new InetSocketAddress("10.0.0." + host, 40000);
      }
    };
    try {
      ch.register();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return ch;
  }

  @Test
  void guardInTheInitialPipeline_admitsAtActivation_installsThePipelinedBytesHandler_andPassesActivation() {
    WsAuthConfig config = config(1, 1);
    ActiveRecorder app = new ActiveRecorder();
    EmbeddedChannel ch = activatedWith(1, NettyWsAuth.connectionGuard(config),
        new io.netty.handler.codec.http.HttpServerCodec(), app);
    assertThat(ch.isOpen()).isTrue();
    assertThat(app.active).isTrue();
    assertThat(ch.pipeline().get(PipelinedBytesHandler.NAME)).isNotNull();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isOne();
    ActiveRecorder refusedApp = new ActiveRecorder();
    EmbeddedChannel refused = activatedWith(2, NettyWsAuth.connectionGuard(config),
        new io.netty.handler.codec.http.HttpServerCodec(), refusedApp);
    assertThat(refused.isOpen()).isFalse();
    assertThat(refusedApp.active).as("a refused connection never reaches the application").isFalse();
    ch.close();
    assertFalse(ch.finish());
    assertFalse(refused.finish());
  }

  @Test
  void secondGuardInTheInitialPipeline_passesActivation() {
    WsAuthConfig config = config(2, 2);
    ActiveRecorder app = new ActiveRecorder();
    EmbeddedChannel ch = activatedWith(1, NettyWsAuth.connectionGuard(config), NettyWsAuth.connectionGuard(config),
        app);
    assertThat(app.active).isTrue();
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isOne();
    ch.close();
    assertFalse(ch.finish());
  }

  @Test
  void guardAddedToALiveChannel_installsThePipelinedBytesHandler() {
    WsAuthConfig config = config(2, 2);
    EmbeddedChannel ch = new EmbeddedChannel(new io.netty.handler.codec.http.HttpServerCodec());
    ch.pipeline().addFirst(NettyWsAuth.connectionGuard(config));
    assertThat(ch.pipeline().get(PipelinedBytesHandler.NAME)).isNotNull();
    ch.close();
    assertFalse(ch.finish());
  }

  @Test
  void guardAddedAfterAuthentication_doesNotCount() {
    WsAuthConfig config = config(2, 2);
    ConnectionGuard.resetUnguardedWarning();
    EmbeddedChannel ch = new EmbeddedChannel();
    NettyWsAuth.setIdentity(ch, ALICE);
    ch.pipeline().addFirst(NettyWsAuth.connectionGuard(config));
    assertThat(NettyWsAuth.unauthenticatedConnections(config)).isZero();
    ch.close();
    assertFalse(ch.finish());
  }

  @Test
  void timerIsCancelled_onAuthentication_onClose_andWhileAwaitingTheFirstMessage() {
    WsAuthConfig config = config(3, 3);
    EmbeddedChannel authenticated = channel(config, 1);
    NettyWsAuth.setIdentity(authenticated, ALICE);
    assertThat(authenticated.runScheduledPendingTasks()).as("no timer left").isEqualTo(-1);
    EmbeddedChannel closed = channel(config, 2);
    closed.close();
    assertThat(closed.runScheduledPendingTasks()).as("no timer left").isEqualTo(-1);
    Recorder app = new Recorder(true);
    EmbeddedChannel awaiting = channel(config, 3, app);
    awaiting.pipeline().addBefore(awaiting.pipeline().context(app).name(), "fm",
        NettyWsAuth.firstMessageHandler(config));
    awaiting.pipeline().fireUserEventTriggered(
        new WebSocketServerProtocolHandler.HandshakeComplete("/ws", new DefaultHttpHeaders(), null));
    assertThat(awaiting.runScheduledPendingTasks()).as("only the 10 s first-message deadline is left")
        .isEqualTo(TimeUnit.SECONDS.toNanos(10));
    authenticated.close();
    assertFalse(authenticated.finish());
    assertFalse(closed.finish());
    awaiting.finishAndReleaseAll();
  }

  @Test
  void withoutGuard_awaitingTheFirstMessageLogsTheWarning() {
    ConnectionGuard.resetUnguardedWarning();
    WsAuthConfig config = config(2, 2);
    EmbeddedChannel ch = new EmbeddedChannel(NettyWsAuth.firstMessageHandler(config));
    ch.pipeline().fireUserEventTriggered(
        new WebSocketServerProtocolHandler.HandshakeComplete("/ws", new DefaultHttpHeaders(), null));
    assertThat(log).containsExactly("WARNING wsauth: a connection reached a wsauth handler without"
        + " NettyWsAuth.connectionGuard(config) first in its pipeline; unauthenticated connections are bounded"
        + " neither in time nor in number (logged once)");
    ch.finishAndReleaseAll();
  }

  @Test
  void counts_addressesAndRefusals_andLogsOneLinePerInterval() {
    WsAuthConfig config = config(10, 1);
    EmbeddedChannel a1 = channel(config, 1);
    EmbeddedChannel b1 = channel(config, 2);
    assertThat(config.unauthenticatedConnections().addresses()).isEqualTo(2);
    EmbeddedChannel a2 = channel(config, 1);
    EmbeddedChannel a3 = channel(config, 1);
    assertThat(List.of(a2.isOpen(), a3.isOpen())).as("the address stays at its cap").containsExactly(false, false);
    assertThat(config.unauthenticatedConnections().refusedCount()).isEqualTo(2);
    assertThat(log).as("one line per 10 s").hasSize(1);
    for (EmbeddedChannel ch : List.of(a1, b1, a2, a3)) {
      ch.close();
      assertFalse(ch.finish());
    }
    assertThat(config.unauthenticatedConnections().addresses()).isZero();
  }

  @Test
  void refusalOfAPeerWithoutAnIpAddress_namesItAsItIs() {
    WsAuthConfig config = config(1, 1);
    EmbeddedChannel first = new EmbeddedChannel(NettyWsAuth.connectionGuard(config));
    EmbeddedChannel second = new EmbeddedChannel(NettyWsAuth.connectionGuard(config));
    assertThat(second.isOpen()).isFalse();
    assertThat(log).singleElement().asString().startsWith("WARNING wsauth refused a connection from embedded:");
    first.close();
    assertFalse(first.finish());
    assertFalse(second.finish());
  }

  @Test
  void refusedAtActivation_onAChannelActivatedLater_theAppNeverSeesIt() {
    WsAuthConfig config = config(1, 1);
    EmbeddedChannel first = channel(config, 1);
    ActiveRecorder app = new ActiveRecorder();
    UpgradeAuthHandlerTest.LateActiveChannel late = new UpgradeAuthHandlerTest.LateActiveChannel(
        NettyWsAuth.connectionGuard(config), app);
    assertThat(late.isOpen()).isTrue();
    late.activate();
    assertThat(late.isOpen()).as("over the cap: refused at activation").isFalse();
    assertThat(app.active).isFalse();
    assertThat(config.unauthenticatedConnections().refusedCount()).isEqualTo(1);
    late.finishAndReleaseAll();
    first.close();
    assertFalse(first.finish());
  }
}
