package io.github.wsauth.jakarta.tyrus;

import java.util.Map;

import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.server.TyrusServerContainer;

import io.github.wsauth.jakarta.it.ContainerScenarios;
import io.github.wsauth.jakarta.it.Fixture;
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
  protected int configuratorOnlyMissingCredentialStatus() {
    return 401;
  }

  @Override
  protected String expectedPrincipal() {
    return "null";
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
