package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13 item 8 over real sockets: the first WebSocket message written in the same TCP write as the upgrade
 * request (and cut inside it) reaches the application only as a frame, and only after acceptance. Servers with
 * the first-message handler on the event loop, on an {@code EventExecutorGroup}, and the upgrade handler.
 */
@ExtendWith(LeakDetection.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelinedFirstMessageTest {
  private final TestTokens tokens = new TestTokens();
  private TestServer firstMessage;
  private TestServer offloaded;
  private TestServer offloadedUnguarded;
  private TestServer upgrade;

  @BeforeAll
  void start() throws InterruptedException {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().deadline(Duration.ofSeconds(2)).build())
        .clock(tokens.clock).build();
    firstMessage = TestServer.start(config, TestServer.Mode.FIRST_MESSAGE);
    offloaded = TestServer.startGuarded(config, TestServer.Mode.FIRST_MESSAGE, true);
    offloadedUnguarded = TestServer.start(config, TestServer.Mode.FIRST_MESSAGE, config.protocolConfig(), true);
    WsAuthConfig upgradeConfig = WsAuthConfig.builder().websocketPath("/ws")
        .handshake(tokens.handshake().build()).clock(tokens.clock).build();
    upgrade = TestServer.start(upgradeConfig, TestServer.Mode.UPGRADE);
  }

  @AfterAll
  void stop() throws InterruptedException {
    firstMessage.close();
    offloaded.close();
    offloadedUnguarded.close();
    upgrade.close();
  }

  /** Writes the bytes in pieces cut at {@code cuts}; returns the status line and the first two frames. */
  private static List<String> exchange(TestServer server, byte[] bytes, int... cuts) throws Exception {
    try (RawWebSocket c = RawWebSocket.connect(server.port())) {
      int from = 0;
      for (int cut : cuts) {
        c.write(java.util.Arrays.copyOfRange(bytes, from, cut));
        from = cut;
      }
      c.write(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
      String status = c.readStatusLine();
      List<String> frames = c.readFrames(2);
      return List.of(status, String.join(" | ", frames));
    }
  }

  private byte[] tokenThenApp(String subject, String app) {
    return RawWebSocket.concat(RawWebSocket.upgradeRequest("/ws", ""), RawWebSocket.maskedText(tokens.issue(subject)),
        RawWebSocket.maskedText(app));
  }

  @Test
  void firstMessage_oneWrite_authenticatesThenTheAppGetsItsFrame() throws Exception {
    assertThat(exchange(firstMessage, tokenThenApp("alice", "m-one-write"))).containsExactly(
        "HTTP/1.1 101 Switching Protocols", "hello alice FIRST_MESSAGE - | echo:m-one-write");
    assertThat(firstMessage.appFrames).contains("alice:m-one-write").noneMatch(f -> f.startsWith("raw:"));
  }

  @Test
  void firstMessage_cutInsideTheTokenFrame_authenticates() throws Exception {
    byte[] request = RawWebSocket.upgradeRequest("/ws", "");
    byte[] all = tokenThenApp("bob", "m-cut");
    assertThat(exchange(firstMessage, all, request.length + 3)).containsExactly(
        "HTTP/1.1 101 Switching Protocols", "hello bob FIRST_MESSAGE - | echo:m-cut");
    assertThat(firstMessage.appFrames).noneMatch(f -> f.startsWith("raw:"));
  }

  @Test
  void firstMessage_offloadedAndGuarded_oneWrite_authenticates() throws Exception {
    assertThat(exchange(offloaded, tokenThenApp("carol", "m-offloaded"))).containsExactly(
        "HTTP/1.1 101 Switching Protocols", "hello carol FIRST_MESSAGE - | echo:m-offloaded");
    assertThat(offloaded.appFrames).contains("carol:m-offloaded").noneMatch(f -> f.startsWith("raw:"));
  }

  @Test
  void firstMessage_pipelinedWrongToken_closes1008AndNothingReachesTheApp() throws Exception {
    byte[] all = RawWebSocket.concat(RawWebSocket.upgradeRequest("/ws", ""),
        RawWebSocket.maskedText("B".repeat(43)), RawWebSocket.maskedText("m-after-wrong"));
    assertThat(exchange(firstMessage, all)).containsExactly("HTTP/1.1 101 Switching Protocols", "close:1008");
    assertThat(firstMessage.appFrames).noneMatch(f -> f.contains("m-after-wrong") || f.startsWith("raw:"));
  }

  @Test
  void upgrade_oneWrite_theAppGetsAFrameNotBytes() throws Exception {
    byte[] all = RawWebSocket.concat(RawWebSocket.upgradeRequest("/ws", "Origin: " + TestTokens.APP_ORIGIN
        + "\r\nAuthorization: Bearer " + tokens.issue("dave") + "\r\n"), RawWebSocket.maskedText("m-upgrade"));
    List<String> got = exchange(upgrade, all);
    assertThat(got.get(0)).isEqualTo("HTTP/1.1 101 Switching Protocols");
    // Accepted at the upgrade, so the frame may reach the app before Netty's HandshakeComplete (its greeting).
    assertThat(List.of(got.get(1).split(" \\| "))).containsExactlyInAnyOrder("hello dave AUTHORIZATION_BEARER -",
        "echo:m-upgrade");
    assertThat(upgrade.appFrames).as("a frame, read with the identity bound").contains("dave:m-upgrade")
        .noneMatch(f -> f.startsWith("raw:"));
  }

  @Test
  void firstMessage_offloadedWithoutGuard_racesFailClosed_neverOpen() throws Exception {
    // Without the guard, an offloaded first-message handler installs the pipelined-bytes handler from its own
    // executor, which may be after the upgrade: then the pipelined token closes the connection (1008) instead of
    // authenticating it. It must never leave the connection unauthenticated with the application.
    for (int i = 0; i < 20; i++) {
      List<String> got = exchange(offloadedUnguarded, tokenThenApp("race", "m-race-" + i));
      assertThat(got.get(0)).isEqualTo("HTTP/1.1 101 Switching Protocols");
      assertThat(got.get(1)).isIn("hello race FIRST_MESSAGE - | echo:m-race-" + i, "close:1008");
    }
    assertThat(offloadedUnguarded.appFrames).allMatch(f -> f.startsWith("race:m-race-"));
  }

  // Issue 13 items 3 and 9 in a first-message pipeline, which has no upgrade handler: the pipelined-bytes handler,
  // right after the HTTP decoder, refuses what Netty could not decode and reduces absolute-form targets.

  @Test
  void firstMessage_headersPastTheDecoderLimit_are431AndClosed_notHandedToTheHandshaker() throws Exception {
    try (RawHttp c = RawHttp.connect(firstMessage.port())) {
      RawHttp.Response r = c.send(RawHttp.upgrade("/ws", "X-Pad: " + "a".repeat(9000), "Origin: http://evil.example"))
          .read();
      assertThat(r.status()).isEqualTo(431); // Netty's handshaker answered 400 "Missing origin header"
      assertThat(r.body()).isEqualTo("request header fields too large\n");
      assertThat(r.header("Connection")).isEqualTo("close");
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void firstMessage_invalidHeaderName_is400_notUpgraded() throws Exception {
    try (RawHttp c = RawHttp.connect(firstMessage.port())) {
      RawHttp.Response r = c.send(RawHttp.upgrade("/ws", "Bad Header: x")).read();
      assertThat(r.status()).isEqualTo(400); // Netty upgraded what it had decoded before the bad line: 101
      assertThat(r.body()).isEqualTo("malformed request\n");
      assertThat(r.header("Connection")).isEqualTo("close");
    }
  }

  @Test
  void firstMessage_absoluteFormTarget_isUpgradedAndAuthenticated() throws Exception {
    byte[] request = RawHttp.upgrade("http://127.0.0.1:" + firstMessage.port() + "/ws")
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    // Netty's protocol handler matches the raw target: without the reduction there was no answer at all.
    assertThat(exchange(firstMessage, RawWebSocket.concat(request, RawWebSocket.maskedText(tokens.issue("erin")),
        RawWebSocket.maskedText("m-absolute")))).containsExactly("HTTP/1.1 101 Switching Protocols",
        "hello erin FIRST_MESSAGE - | echo:m-absolute");
  }
}
