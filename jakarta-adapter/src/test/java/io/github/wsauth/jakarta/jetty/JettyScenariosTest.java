package io.github.wsauth.jakarta.jetty;

import java.util.EnumSet;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import io.github.wsauth.jakarta.it.ContainerScenarios;
import io.github.wsauth.jakarta.it.Fixture;
import io.github.wsauth.jakarta.it.ServerHarness;
import jakarta.servlet.DispatcherType;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The scenario suite on Jetty 12 ee10. Jetty prepends its own {@code WebSocketUpgradeFilter} to the filter chain,
 * so a filter added with {@code context.addFilter} runs only after the upgrade already happened; wsauth's filter is
 * added through the servlet API with {@code isMatchAfter=false} from the configure callback, which puts it in front
 * (see docs/JAKARTA.md), and every status in the suite proves it runs first.
 */
class JettyScenariosTest extends ContainerScenarios {

  @Override
  protected String clientPackage() {
    return "org.eclipse.jetty.";
  }

  @Override
  protected boolean configuratorDecidesAlone() {
    return false;
  }

  @Override
  protected String unhandledResetRecord() {
    return "Unhandled Error: " + io.github.wsauth.jakarta.it.HelloEndpoint.class.getName();
  }

  @Override
  protected boolean sessionShowsTheFiltersRequest() {
    return true;
  }

  @Override
  protected String expectedPrincipal() {
    return "identity:alice";
  }

  @Override
  protected ServerHarness harness() {
    return new JettyHarness();
  }

  /** Jetty on an ephemeral port. */
  static final class JettyHarness implements ServerHarness {
    private Server server;

    @Override
    public int start(Fixture.Deployment d) throws Exception {
      server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      server.setHandler(context);
      JakartaWebSocketServletContainerInitializer.configure(context, (sc, container) -> {
        for (ServerEndpointConfig sec : d.endpoints()) {
          container.addEndpoint(sec);
        }
        for (Class<?> c : d.annotated()) {
          container.addEndpoint(c);
        }
        // The WebSocketUpgradeFilter is in place by now (initialize() ran before this callback): the servlet API's
        // isMatchAfter=false puts wsauth in front of it, no Jetty internals needed (what WsAuthFilter.install does).
        sc.addFilter("wsauth", d.filter()).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false,
            d.filterPatterns().toArray(String[]::new));
        sc.addFilter("wsauth-expiry", d.expiryFilter()).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST),
            false, "/exp/programmatic");
        io.github.wsauth.jakarta.WsAuthCookieBridgeServlet.install(sc, d.cookieBridge());
        sc.addServlet("wsauth-cookie-bridge-chips",
            new io.github.wsauth.jakarta.WsAuthCookieBridgeServlet(Fixture.CHIPS_BRIDGE)).addMapping("/chips/*");
      });
      server.start();
      return connector.getLocalPort();
    }

    @Override
    public void stop() throws Exception {
      server.stop();
    }
  }
}
