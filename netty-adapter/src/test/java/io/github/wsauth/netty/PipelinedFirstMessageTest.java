package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 13 item 8: a first message written in the same TCP write as the upgrade request. */
@ExtendWith(LeakDetection.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelinedFirstMessageTest {
  private final TestTokens tokens = new TestTokens();
  private TestServer server;

  @BeforeAll
  void start() throws InterruptedException {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessageAuthenticator(tokens.firstMessage().deadline(Duration.ofSeconds(2)).build())
        .clock(tokens.clock).build();
    server = TestServer.start(config, TestServer.Mode.FIRST_MESSAGE);
  }

  @AfterAll
  void stop() throws InterruptedException {
    server.close();
  }

  @Test
  void repro() throws Exception {
    String token = tokens.issue("alice");
    try (RawWebSocket c = RawWebSocket.connect(server.port())) {
      c.write(RawWebSocket.concat(RawWebSocket.upgradeRequest("/ws", ""), RawWebSocket.maskedText(token),
          RawWebSocket.maskedText("app-1")));
      System.out.println("STATUS " + c.readStatusLine());
      System.out.println("FRAMES " + c.readFrames(1));
      System.out.println("FRAMES " + c.readFrames(1));
    }
    Thread.sleep(200);
    System.out.println("APP " + server.appFrames);
  }
}
