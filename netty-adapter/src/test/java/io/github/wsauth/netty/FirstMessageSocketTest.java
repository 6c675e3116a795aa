package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;

/** The first-message handler on a real server (authentication on an EventExecutorGroup), both clients. */
@ExtendWith(LeakDetection.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirstMessageSocketTest {
  private final TestTokens tokens = new TestTokens();
  private TestServer server;
  private EventLoopGroup clients;

  @BeforeAll
  @SuppressWarnings("deprecation")
  void start() throws InterruptedException {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().deadline(Duration.ofSeconds(1)).build())
        .clock(tokens.clock).build();
    server = TestServer.start(config, TestServer.Mode.FIRST_MESSAGE, config.protocolConfig(), true);
    clients = new NioEventLoopGroup(1);
  }

  @AfterAll
  void stop() throws InterruptedException {
    clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    server.close();
  }

  private List<String> framesOf(String prefix) {
    return server.appFrames.stream().filter(f -> f.contains(prefix)).toList();
  }

  @Test
  void jdk_validToken_isGreetedThenTalks() throws Exception {
    JdkClient c = JdkClient.open(server.uri("/ws"), List.of());
    c.send(tokens.issue("alice"));
    assertThat(c.nextText()).isEqualTo("hello alice FIRST_MESSAGE -");
    c.send("first-app-message");
    assertThat(c.nextText()).isEqualTo("echo:first-app-message");
    assertThat(server.appFrames).contains("alice:first-app-message");
    c.webSocket.abort();
  }

  @Test
  void netty_validToken_isAccepted() throws Exception {
    NettyClient.Conn c = NettyClient.connect(clients, server.uri("/ws"), null, null).get(5, TimeUnit.SECONDS);
    assertThat(c.status).isEqualTo(101);
    c.channel.writeAndFlush(new TextWebSocketFrame(tokens.issue("bob"))).sync();
    assertThat(c.nextText()).isEqualTo("hello bob FIRST_MESSAGE -");
    c.channel.close().sync();
  }

  @Test
  void wrongToken_closes1008AndNothingReachesTheApp() throws Exception {
    JdkClient c = JdkClient.open(server.uri("/ws"), List.of());
    c.send("wrong-token-1");
    c.trySend("after-wrong-token");
    assertThat(c.awaitClose()).isEqualTo(1008);
    assertThat(c.texts).isEmpty();
    assertThat(framesOf("wrong-token")).isEmpty();
  }

  @Test
  void silence_closes1008AfterTheDeadline() throws Exception {
    NettyClient.Conn c = NettyClient.connect(clients, server.uri("/ws"), null, null).get(5, TimeUnit.SECONDS);
    long start = System.nanoTime();
    assertThat(c.awaitClose()).isEqualTo(1008);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
    assertThat(c.texts).isEmpty();
  }

  @Test
  void oversized_closes1009() throws Exception {
    JdkClient c = JdkClient.open(server.uri("/ws"), List.of());
    c.send("x".repeat(5000));
    assertThat(c.awaitClose()).isEqualTo(1009);
  }

  @Test
  void framesBeforeAuthentication_neverReachTheApp() throws Exception {
    NettyClient.Conn c = NettyClient.connect(clients, server.uri("/ws"), null, null).get(5, TimeUnit.SECONDS);
    String token = tokens.issue("carol");
    c.channel.write(new BinaryWebSocketFrame(io.netty.buffer.Unpooled.copiedBuffer("sneaky-binary",
        StandardCharsets.US_ASCII)));
    c.channel.writeAndFlush(new TextWebSocketFrame(token)).sync();
    assertThat(c.awaitClose()).isEqualTo(1008);
    assertThat(c.texts).isEmpty();
    assertThat(framesOf("sneaky")).isEmpty();
    assertThat(tokens.store.isUnused(token)).as("the token after the refusal was never looked at").isTrue();
  }

  @Test
  void jdk_binaryFirst_closes1008() throws Exception {
    JdkClient c = JdkClient.open(server.uri("/ws"), List.of());
    c.send(ByteBuffer.wrap("binary-first".getBytes(StandardCharsets.US_ASCII)));
    assertThat(c.awaitClose()).isEqualTo(1008);
    assertThat(framesOf("binary-first")).isEmpty();
  }

  @Test
  void storeThatThrows_closes1011AndTheTokenStillWorksAfterwards() throws Exception {
    String token = tokens.issue("dan");
    tokens.store.down(true);
    try {
      JdkClient c = JdkClient.open(server.uri("/ws"), List.of());
      c.send(token);
      assertThat(c.awaitClose()).isEqualTo(1011);
    } finally {
      tokens.store.down(false);
    }
    assertThat(tokens.store.isUnused(token)).isTrue();
    JdkClient again = JdkClient.open(server.uri("/ws"), List.of());
    again.send(token);
    assertThat(again.nextText()).isEqualTo("hello dan FIRST_MESSAGE -");
    again.webSocket.abort();
  }
}
