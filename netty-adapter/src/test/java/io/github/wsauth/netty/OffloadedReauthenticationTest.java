package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A first-message handler added with an {@code EventExecutorGroup} (so a blocking store never runs on the event
 * loop) hands over to the in-band re-authentication handler with {@code pipeline.replace}: the re-authentication
 * must run on that executor too, not on the event loop.
 */
@ExtendWith(LeakDetection.class)
class OffloadedReauthenticationTest {
  private final TestTokens tokens = new TestTokens();
  private final List<String> verifyThreads = new CopyOnWriteArrayList<>();

  @Test
  void inBandReauthentication_runsOnTheOffloadExecutor() throws Exception {
    TokenVerifier recording = token -> {
      verifyThreads.add(Thread.currentThread().getName());
      return tokens.verifier.verify(token);
    };
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().verifier(recording)
            .format(FirstMessageAuthenticator.Format.JSON).build())
        .clock(tokens.clock).lifetime(ConnectionLifetime.builder().registry(new ConnectionRegistry()).build())
        .build();
    try (TestServer server = TestServer.start(config, TestServer.Mode.FIRST_MESSAGE, config.protocolConfig(), true)) {
      JdkClient c = JdkClient.open(server.uri("/ws"), List.of());
      c.send("{\"token\":\"" + tokens.issue("alice") + "\"}");
      assertThat(c.nextText()).isEqualTo("hello alice FIRST_MESSAGE -");
      c.send("{\"token\":\"" + tokens.issue("alice") + "\"}");
      c.send("after");
      assertThat(c.nextText()).isEqualTo("echo:after"); // the token message was taken by wsauth, in order
      assertThat(verifyThreads).hasSize(2);
      assertThat(verifyThreads.get(0)).as("first message").startsWith("defaultEventExecutorGroup-");
      assertThat(verifyThreads.get(1)).as("in-band re-authentication").startsWith("defaultEventExecutorGroup-");
      assertThat(server.appFrames).containsExactly("alice:after");
      c.webSocket.abort();
    }
  }

  /** Sanity of the thread names the test relies on: without the executor, verification runs on the event loop. */
  @Test
  void withoutOffload_verificationRunsOnTheEventLoop() throws Exception {
    TokenVerifier recording = token -> {
      verifyThreads.add(Thread.currentThread().getName());
      return tokens.verifier.verify(token);
    };
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().verifier(recording)
            .format(FirstMessageAuthenticator.Format.JSON).build())
        .clock(tokens.clock).lifetime(ConnectionLifetime.builder().build()).build();
    try (TestServer server = TestServer.start(config, TestServer.Mode.FIRST_MESSAGE, config.protocolConfig(), false)) {
      JdkClient c = JdkClient.open(server.uri("/ws"), List.of());
      c.send("{\"token\":\"" + tokens.issue("bob") + "\"}");
      assertThat(c.nextText()).isEqualTo("hello bob FIRST_MESSAGE -");
      c.send("{\"token\":\"" + tokens.issue("bob") + "\"}");
      c.send("after");
      assertThat(c.nextText()).isEqualTo("echo:after");
      assertThat(verifyThreads).hasSize(2).allMatch(n -> n.startsWith("nioEventLoopGroup-"), "event loop");
      c.webSocket.abort();
    }
  }

}
