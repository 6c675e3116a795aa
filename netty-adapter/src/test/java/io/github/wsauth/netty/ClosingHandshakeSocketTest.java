package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.scenarios.ManualWakeUps;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Closes that wsauth starts on an upgraded connection do the RFC 6455 closing handshake over a real socket: a
 * client that keeps sending and reads late gets the Close frame with its code and reason and can answer it
 * (closing the TCP connection at once makes the kernel answer the client's writes with a reset: the client's Close
 * reply then fails with "Broken pipe", the way Chromium's fails into 1006); nothing sent after the Close reaches
 * the application; the client's Close ends the connection at once, without a second Close frame (Netty's protocol
 * handler would echo it); a client that never answers is cut off after the configured timeout.
 */
@ExtendWith(LeakDetection.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClosingHandshakeSocketTest {
  /** Far longer than any test waits: when a connection ends, the client's Close ended it, not this timeout. */
  private static final Duration PATIENT = Duration.ofSeconds(30);
  private static final Duration SHORT = Duration.ofMillis(150);

  private final TestTokens tokens = new TestTokens();
  private final ManualWakeUps wakeUps = new ManualWakeUps();
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private final RevocationBus bus = RevocationBus.inProcess();
  private final Revoker revoker = Revoker.builder().store(tokens.store).bus(bus).registry(registry)
      .clock(tokens.clock).build();
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  private TestServer handshake;
  private TestServer firstMessage;
  private TestServer impatient;

  @BeforeAll
  void start() throws InterruptedException {
    handshake = handshakeServer(PATIENT);
    impatient = handshakeServer(SHORT);
    WsAuthConfig fm = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().format(FirstMessageAuthenticator.Format.JSON).build())
        .clock(tokens.clock).closeOnExpiry(true).closingHandshakeTimeout(PATIENT)
        .lifetime(ConnectionLifetime.builder().registry(registry).build()).wakeUps(wakeUps::schedule).build();
    firstMessage = TestServer.wired(false, (p, server) -> p.addLast(new HttpServerCodec(),
        new HttpObjectAggregator(65536), new WebSocketServerProtocolHandler(fm.protocolConfig()),
        NettyWsAuth.firstMessageHandler(fm), new Observer(), server.app()));
  }

  private TestServer handshakeServer(Duration closingHandshakeTimeout) throws InterruptedException {
    WsAuthConfig hs = WsAuthConfig.builder().websocketPath("/ws").handshake(tokens.handshake().build())
        .clock(tokens.clock).closeOnExpiry(true).closingHandshakeTimeout(closingHandshakeTimeout)
        .lifetime(ConnectionLifetime.builder().registry(registry).build()).wakeUps(wakeUps::schedule).build();
    return TestServer.wired(false, (p, server) -> p.addLast(new HttpServerCodec(),
        new HttpObjectAggregator(65536), NettyWsAuth.upgradeHandler(hs),
        new WebSocketServerProtocolHandler(hs.protocolConfig()), new Observer(), server.app()));
  }

  @AfterAll
  void stop() {
    handshake.close();
    impatient.close();
    firstMessage.close();
    revoker.close();
    bus.close();
  }

  /** The application's side: the channel of each subject. */
  private final class Observer extends ChannelInboundHandlerAdapter {
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof AuthenticatedEvent authenticated) {
        channels.put(authenticated.identity().subject(), ctx.channel());
      }
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Test
  void revocation_reachesAClientThatKeepsSendingAndReadsLate() throws Exception {
    try (RawWebSocket client = upgraded(handshake, "rita")) {
      revoker.revokeSubject("rita");
      afterTasksOf(channels.get("rita")); // the server has sent its Close frame (before the fix: and closed)

      String close = keepSendingThenRead(client, "rita");

      assertThat(close).isEqualTo("close:" + Revoker.DEFAULT_CLOSE_CODE + " " + Revoker.REASON);
      assertClientCloseEndsTheConnection(client, handshake, "rita");
    }
  }

  @Test
  void expiry_reachesAClientThatKeepsSendingAndReadsLate() throws Exception {
    try (RawWebSocket client = upgraded(handshake, "erin")) {
      tokens.clock.advance(tokens.policy.lifetime().plus(tokens.policy.clockSkew()).plusSeconds(1));
      wakeUps.runAll();
      afterTasksOf(channels.get("erin"));

      String close = keepSendingThenRead(client, "erin");

      assertThat(close).isEqualTo("close:1008 authentication expired");
      assertClientCloseEndsTheConnection(client, handshake, "erin");
    }
  }

  @Test
  void revocation_onAFirstMessageConnection_reachesAClientThatKeepsSending() throws Exception {
    try (RawWebSocket client = firstMessageAuthenticated("fred")) {
      revoker.revokeSubject("fred");
      afterTasksOf(channels.get("fred"));

      String close = keepSendingThenRead(client, "fred");

      assertThat(close).isEqualTo("close:" + Revoker.DEFAULT_CLOSE_CODE + " " + Revoker.REASON);
      assertClientCloseEndsTheConnection(client, firstMessage, "fred");
    }
  }

  @Test
  void refusedInBandReauthentication_dropsWhatFollowsInTheSameSegment_andTheCloseArrives() throws Exception {
    try (RawWebSocket client = firstMessageAuthenticated("ines")) {
      // another subject's token, then messages in the same TCP segment: decoded in one batch with it
      client.write(RawWebSocket.concat(RawWebSocket.maskedText("{\"token\": \"" + tokens.issue("mallory") + "\"}"),
          RawWebSocket.maskedText("late-ines-x"), RawWebSocket.maskedText("late-ines-y")));

      String close = keepSendingThenRead(client, "ines");

      assertThat(close).isEqualTo("close:1008 re-authentication subject mismatch");
      assertClientCloseEndsTheConnection(client, firstMessage, "ines");
    }
  }

  @Test
  void refusedFirstMessage_reachesAClientThatKeepsSending() throws Exception {
    try (RawWebSocket client = RawWebSocket.connect(firstMessage.port())) {
      client.write(RawWebSocket.upgradeRequest("/ws", ""));
      assertThat(client.readStatusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
      String revoked = tokens.issue("nina");
      revoker.revokeSubject("nina"); // a well-formed token, refused by the verifier
      client.write(RawWebSocket.maskedText("{\"token\": \"" + revoked + "\"}"));

      String close = keepSendingThenRead(client, "nina");

      assertThat(close).isEqualTo("close:1008 token revoked");
      assertClientCloseEndsTheConnection(client, firstMessage, "nina");
    }
  }

  @Test
  void aClientThatNeverAnswersTheClose_isDisconnectedAfterTheClosingHandshakeTimeout() throws Exception {
    try (RawWebSocket client = upgraded(impatient, "sam")) {
      long start = System.nanoTime();
      revoker.revokeSubject("sam");

      assertThat(client.readFrame()).isEqualTo("close:" + Revoker.DEFAULT_CLOSE_CODE + " " + Revoker.REASON);
      assertThat(client.readByte()).as("EOF: the server closed the TCP connection").isEqualTo(-1);
      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(elapsedMillis).as("waited for the client's Close, at most the timeout")
          .isGreaterThanOrEqualTo(SHORT.toMillis()).isLessThan(SHORT.toMillis() + 2000);
    }
  }

  /** A client authenticated on the handshake server as {@code subject}, its greeting read. */
  private RawWebSocket upgraded(TestServer server, String subject) throws IOException {
    RawWebSocket client = RawWebSocket.connect(server.port());
    client.write(RawWebSocket.upgradeRequest("/ws", "Origin: " + TestTokens.APP_ORIGIN
        + "\r\nAuthorization: Bearer " + tokens.issue(subject) + "\r\n"));
    assertThat(client.readStatusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
    assertThat(client.readFrame()).isEqualTo("hello " + subject + " AUTHORIZATION_BEARER -");
    client.write(RawWebSocket.maskedText("before"));
    assertThat(client.readFrame()).isEqualTo("echo:before");
    return client;
  }

  /** A client authenticated on the first-message server as {@code subject}, its greeting read. */
  private RawWebSocket firstMessageAuthenticated(String subject) throws IOException {
    RawWebSocket client = RawWebSocket.connect(firstMessage.port());
    client.write(RawWebSocket.upgradeRequest("/ws", ""));
    assertThat(client.readStatusLine()).isEqualTo("HTTP/1.1 101 Switching Protocols");
    client.write(RawWebSocket.maskedText("{\"token\": \"" + tokens.issue(subject) + "\"}"));
    assertThat(client.readFrame()).startsWith("hello " + subject + " ");
    client.write(RawWebSocket.maskedText("before"));
    assertThat(client.readFrame()).isEqualTo("echo:before");
    return client;
  }

  /** Waits until the channel's event loop ran every task submitted before (the close wsauth started). */
  private static void afterTasksOf(Channel channel) throws Exception {
    channel.eventLoop().submit(() -> { }).get(5, TimeUnit.SECONDS);
  }

  /**
   * Sends a message every 20 ms for 200 ms without reading (each one after the server's Close frame), then reads
   * the next frame. A write the socket refuses (the connection was reset) ends the sending, as a browser's send
   * would go nowhere, and the read then tells what the client gets.
   */
  private static String keepSendingThenRead(RawWebSocket client, String subject) throws Exception {
    for (int i = 0; i < 10; i++) {
      try {
        client.write(RawWebSocket.maskedText("late-" + subject + "-" + i));
      } catch (IOException reset) {
        break;
      }
      Thread.sleep(20);
    }
    return client.readFrame();
  }

  /**
   * The client answers with its Close: the server closes the TCP connection at once (well before the patient
   * timeout), sending nothing more (no second Close frame), and nothing sent after the server's Close reached the
   * application.
   */
  private static void assertClientCloseEndsTheConnection(RawWebSocket client, TestServer server, String subject)
      throws IOException {
    client.write(RawWebSocket.maskedClose(1000));
    assertThat(client.readByte()).as("EOF right after the client's Close, nothing else").isEqualTo(-1);
    assertThat(server.appFrames).as("nothing sent after the server's Close reached the application")
        .noneMatch(f -> f.contains("late-" + subject));
  }
}
