package io.github.wsauth.testkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL stops while two WebSocket servers run: handshakes get 503 (not 401), nothing is consumed, and both
 * servers serve again once the database is back, without being restarted.
 */
@ExtendWith(PostgresExtension.class)
class PostgresOutageTest {
  private static final String TABLE = "outage_tokens";
  private static final long RECOVERY_DEADLINE_MILLIS = 20_000;

  private PostgresCluster pg;
  private WsNode a;
  private WsNode b;

  @BeforeEach
  void startNodes(PostgresCluster pg) throws Exception {
    this.pg = pg;
    a = WsNode.start("outage-a", pg.jdbcUrl(), pg.user(), TABLE, 0, 1_000);
    b = WsNode.start("outage-b", pg.jdbcUrl(), pg.user(), TABLE, 0, 1_000);
  }

  @AfterEach
  void stopNodes() throws Exception {
    try {
      if (!pg.isRunning()) {
        pg.startServer(); // leave the database up for the other tests, whatever happened here
      }
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void databaseDown_handshakesGet503_consumeNothing_andServiceReturnsWithTheDatabase() throws Exception {
    String outstanding = WsClient.issueOrFail(a.port(), "alice");
    String warmUp = WsClient.issueOrFail(b.port(), "bob");
    assertThat(WsClient.handshake(b.port(), warmUp)).isEqualTo(101);

    pg.stopServer();

    List<Long> outageMillis = new ArrayList<>();
    for (WsNode node : List.of(a, b, a, b)) {
      long t0 = System.nanoTime();
      assertThat(WsClient.handshake(node.port(), outstanding)).as("handshake while the database is down")
          .isEqualTo(503);
      outageMillis.add((System.nanoTime() - t0) / 1_000_000);
    }
    assertThat(WsClient.issue(a.port(), "carol").statusCode()).as("issue while the database is down")
        .isEqualTo(503);

    pg.startServer();
    long t0 = System.nanoTime();
    int attempts = 0;
    int status;
    do {
      attempts++;
      // Retrying the same token is safe only because a failed attempt consumes nothing; the first non-503
      // answer must therefore be an upgrade.
      status = WsClient.handshake(a.port(), outstanding);
    } while (status == 503 && (System.nanoTime() - t0) / 1_000_000 < RECOVERY_DEADLINE_MILLIS);
    long recoveryMillis = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("outage: 503 answered in %s ms; after restart, %d attempt(s) and %d ms to the first 101%n",
        outageMillis, attempts, recoveryMillis);

    assertThat(status).as("the outstanding token after the database came back").isEqualTo(101);
    assertThat(WsClient.handshake(b.port(), outstanding)).as("and only once").isEqualTo(401);
    String fresh = WsClient.issueOrFail(b.port(), "dave");
    assertThat(WsClient.handshake(a.port(), fresh)).isEqualTo(101);
  }
}
