package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;

/** 500 concurrent handshakes with distinct tokens: each connection sees its own identity. */
@ExtendWith(LeakDetection.class)
class ConcurrentHandshakeTest {
  private static final int CONNECTIONS = 500;

  @Test
  @SuppressWarnings("deprecation")
  void concurrentHandshakes_eachSeesItsOwnIdentity() throws Exception {
    TestTokens tokens = new TestTokens();
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .handshake(tokens.handshake().build()).clock(tokens.clock).build();
    List<String> issued = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      issued.add(tokens.issue("user-" + i));
    }
    EventLoopGroup clients = new NioEventLoopGroup(2);
    Semaphore inFlight = new Semaphore(100); // bounded: keeps the 2-core machine responsive
    try (TestServer server = TestServer.start(config, TestServer.Mode.UPGRADE)) {
      List<CompletableFuture<String>> greetings = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        inFlight.acquire();
        CompletableFuture<String> greeting = NettyClient.connect(clients, server.uri("/ws"), null,
            NettyClient.headers("Authorization", "Bearer " + issued.get(i)))
            .thenApplyAsync(conn -> {
              try {
                String hello = conn.nextText();
                conn.channel.close();
                return hello;
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
              }
            });
        greeting.whenComplete((g, e) -> inFlight.release());
        greetings.add(greeting);
      }
      for (int i = 0; i < CONNECTIONS; i++) {
        assertThat(greetings.get(i).get(20, TimeUnit.SECONDS)).isEqualTo("hello user-" + i + " AUTHORIZATION_BEARER -");
      }
    } finally {
      clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
