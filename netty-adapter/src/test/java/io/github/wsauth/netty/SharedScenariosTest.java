package io.github.wsauth.netty;

import java.util.stream.Stream;

import io.github.wsauth.scenarios.UpgradeScenarios;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Core's shared scenario table (the same rows the Jakarta adapter runs on Tomcat and Jetty), on a real Netty. */
class SharedScenariosTest {
  private static final TestTokens TOKENS = new TestTokens();
  private static TestServer server;

  @BeforeAll
  static void start() throws InterruptedException {
    server = TestServer.start(WsAuthConfig.builder().websocketPath(UpgradeScenarios.PATH)
        .handshake(UpgradeScenarios.authenticator(TOKENS.verifier)).clock(TOKENS.clock).build(),
        TestServer.Mode.UPGRADE);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.close();
  }

  @TestFactory
  Stream<DynamicTest> sharedTable() {
    return UpgradeScenarios.tests(UpgradeScenarios.server(server::port, TOKENS::issue, TOKENS.store::down));
  }
}
