package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.wsauth.scenarios.FirstMessageScenarioTable;

/**
 * Core's first-message scenario table over real sockets on Netty: the same rows, close codes and reasons as the
 * Jakarta containers (jakarta-adapter's {@code ContainerScenarios}) and core's state machine.
 */
@ExtendWith(LeakDetection.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirstMessageScenarioTableTest {
  private final TestTokens tokens = new TestTokens();
  private TestServer server;

  @BeforeAll
  void start() throws InterruptedException {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().deadline(FirstMessageScenarioTable.DEADLINE)
            .maxMessageBytes(FirstMessageScenarioTable.MAX_BYTES).build())
        .clock(tokens.clock).build();
    server = TestServer.start(config, TestServer.Mode.FIRST_MESSAGE);
  }

  @AfterAll
  void stop() throws InterruptedException {
    server.close();
  }

  List<FirstMessageScenarioTable.Row> rows() throws Exception {
    return FirstMessageScenarioTable.rows();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void scenario(FirstMessageScenarioTable.Row row) throws Exception {
    String token = tokens.issue("alice");
    tokens.store.down(row.storeDown());
    String outcome;
    try {
      outcome = FirstMessageScenarioTable.play(server.port(), "/ws", row, token);
    } finally {
      tokens.store.down(false);
    }
    if (row.expected().equals("accept")) {
      assertThat(outcome).isEqualTo("accept hello alice FIRST_MESSAGE -");
    } else {
      assertThat(outcome).isEqualTo(row.expected());
    }
  }
}
