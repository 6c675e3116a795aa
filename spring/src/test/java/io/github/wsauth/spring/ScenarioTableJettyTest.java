package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import io.github.wsauth.scenarios.UpgradeScenarios;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The shared scenario table (the same status, headers and body for the same upgrade request as every other
 * server wsauth runs on) against the WebSocketHandler style on Spring Boot's Jetty 12 over HTTP/1.1, as {@link
 * HandlerUpgradeTest} runs it on Tomcat. Runs in the surefire execution {@code jetty}, in the application context
 * {@link WebSocketOverHttp2JettyTest} uses (HTTP/2 on, h2c: these requests are HTTP/1.1 upgrades all the same).
 */
@TestPropertySource(properties = "server.http2.enabled=true")
class ScenarioTableJettyTest extends AppTestBase {

  @Test
  void theApplicationRunsOnJetty() {
    assertThat(((WebServerApplicationContext) context).getWebServer()).isInstanceOf(JettyWebServer.class);
  }

  @TestFactory
  Stream<DynamicTest> theSharedScenarioTable() {
    return UpgradeScenarios.tests(UpgradeScenarios.server(() -> port, this::token, store::down));
  }
}
