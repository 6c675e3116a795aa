package io.github.wsauth.jakarta.it;

import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import io.github.wsauth.scenarios.UpgradeScenarios;

/**
 * Core's shared scenario table (the same rows the Netty adapter runs) on a servlet container with {@link
 * io.github.wsauth.jakarta.WsAuthFilter} in front of the upgrade: {@link Fixture}'s handshake authenticator is
 * {@link UpgradeScenarios#authenticator}, and {@code /hs/annotated} is behind the filter.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SharedTable {
  private Fixture fixture;
  private ServerHarness harness;
  private int port;

  /** The container under test. */
  protected abstract ServerHarness harness();

  @BeforeAll
  void startServer() throws Exception {
    fixture = Fixture.create();
    harness = harness();
    port = harness.start(fixture.deployment());
  }

  @AfterAll
  void stopServer() throws Exception {
    harness.stop();
  }

  @TestFactory
  Stream<DynamicTest> sharedTable() {
    return UpgradeScenarios.tests(UpgradeScenarios.server(() -> port, subject -> fixture.issuer.issue(subject).value(),
        fixture.store::down));
  }
}
