package io.github.wsauth.testkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two WebSocket server processes (separate JVMs, each with its own {@code JdbcTokenStore} and HikariCP pool)
 * share one PostgreSQL database: a token is good exactly once on whichever node the client reaches.
 */
@ExtendWith(PostgresExtension.class)
class TwoNodeTest {
  private static final String TABLE = "two_node_tokens";

  private PostgresCluster pg;
  private NodeProcess a;
  private NodeProcess b;

  @BeforeEach
  void startNodes(PostgresCluster pg) throws Exception {
    this.pg = pg;
    ExecutorService starter = Executors.newFixedThreadPool(2);
    try {
      Future<NodeProcess> fa = starter.submit(() -> NodeProcess.launch("a", pg, TABLE));
      Future<NodeProcess> fb = starter.submit(() -> NodeProcess.launch("b", pg, TABLE));
      a = fa.get(60, TimeUnit.SECONDS);
      b = fb.get(60, TimeUnit.SECONDS);
    } finally {
      starter.shutdown();
    }
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (NodeProcess n : new NodeProcess[] {a, b}) {
      if (n != null) {
        n.close();
      }
    }
  }

  @Test
  void tokenIssuedOnOneNode_isAcceptedOnceOnTheOther_thenRejectedOnBoth() throws Exception {
    String token = WsClient.issueOrFail(a.port(), "alice");

    assertThat(WsClient.handshake(b.port(), token)).isEqualTo(101);
    assertThat(WsClient.handshake(b.port(), token)).isEqualTo(401);
    assertThat(WsClient.handshake(a.port(), token)).isEqualTo(401);
    assertThat(WsClient.handshake(a.port(), "A".repeat(43))).as("never issued").isEqualTo(401);
  }

  @Test
  void clientsRacingOneTokenAcrossBothNodes_exactlyOneWins() throws Exception {
    int clients = 32;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      for (int round = 0; round < 3; round++) {
        String token = WsClient.issueOrFail(round % 2 == 0 ? a.port() : b.port(), "racer" + round);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
          int port = i % 2 == 0 ? a.port() : b.port();
          results.add(pool.submit(() -> {
            start.await();
            return WsClient.handshake(port, token);
          }));
        }
        start.countDown();
        int upgraded = 0;
        int rejected = 0;
        for (Future<Integer> f : results) {
          int status = f.get(60, TimeUnit.SECONDS);
          if (status == 101) {
            upgraded++;
          } else if (status == 401) {
            rejected++;
          }
        }
        System.out.printf("two nodes, round %d: %d clients, %d upgraded, %d got 401%n", round, clients, upgraded,
            rejected);
        assertThat(upgraded).as("clients that got 101 with one single-use token").isEqualTo(1);
        assertThat(rejected).as("clients that got 401").isEqualTo(clients - 1);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void restartingANode_losesNoOutstandingToken() throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tokens.add(WsClient.issueOrFail(a.port(), "user" + i));
    }
    a.kill();
    a = NodeProcess.launch("a2", pg, TABLE);

    assertThat(WsClient.handshake(a.port(), tokens.get(0))).isEqualTo(101);
    assertThat(WsClient.handshake(b.port(), tokens.get(1))).isEqualTo(101);
    assertThat(WsClient.handshake(a.port(), tokens.get(2))).isEqualTo(101);
    for (String t : tokens) {
      assertThat(WsClient.handshake(b.port(), t)).isEqualTo(401);
    }
  }
}
