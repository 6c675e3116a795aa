package io.github.wsauth.jakarta.tyrus;

import java.util.List;
import java.util.Map;

import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.server.TyrusServerContainer;

import io.github.wsauth.jakarta.it.ContainerScenarios;
import io.github.wsauth.jakarta.it.Fixture;
import io.github.wsauth.jakarta.it.RawClient;
import io.github.wsauth.jakarta.it.ServerHarness;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The scenario suite on standalone Tyrus 2 (Grizzly, no servlets): no filter exists, the configurator alone
 * answers, through Tyrus' {@code HandshakeException}, with the same statuses as the servlet containers.
 */
class TyrusScenariosTest extends ContainerScenarios {

  @Override
  protected String clientPackage() {
    return "org.glassfish.tyrus.";
  }

  @Override
  protected boolean configuratorDecidesAlone() {
    return true;
  }

  /** Tyrus reports a peer's reset to no endpoint (it closes the session): no control record to wait for. */
  @Override
  protected String unhandledResetRecord() {
    return null;
  }

  @Override
  protected boolean sessionShowsTheFiltersRequest() {
    return false;
  }

  @Override
  protected String expectedPrincipal() {
    return "null";
  }

  @Override
  protected boolean dropsBytesPipelinedWithTheUpgrade() {
    return true;
  }

  /**
   * Standalone Tyrus answers a missing key (500) and version 99 (426) itself, before the configurator; it
   * upgrades a {@code POST} and an HTTP/1.0 request (its request object shows the configurator neither the method
   * nor the version), so those use the token like any upgrade.
   */
  @Override
  protected List<RawClient.Response> invalidHandshakeAnswers() {
    return List.of(new RawClient.Response(500, Map.of(), ""),
        new RawClient.Response(426, Map.of("sec-websocket-version", "13"), ""),
        new RawClient.Response(101, Map.of(), ""),
        new RawClient.Response(101, Map.of(), ""));
  }

  @Override
  protected ServerHarness harness() {
    return new TyrusHarness();
  }

  /** Tyrus on Grizzly on an ephemeral port. */
  static final class TyrusHarness implements ServerHarness {
    private TyrusServerContainer container;

    @Override
    public int start(Fixture.Deployment d) throws Exception {
      container = (TyrusServerContainer) new GrizzlyServerContainer().createContainer(Map.of());
      for (ServerEndpointConfig sec : d.endpoints()) {
        container.addEndpoint(sec);
      }
      for (Class<?> c : d.annotated()) {
        container.addEndpoint(c);
      }
      container.start("/", 0);
      return container.getPort();
    }

    @Override
    public void stop() {
      container.stop();
    }
  }
}
