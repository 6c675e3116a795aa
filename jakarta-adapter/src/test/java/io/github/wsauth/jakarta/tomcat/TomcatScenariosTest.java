package io.github.wsauth.jakarta.tomcat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

import org.apache.catalina.Context;
import org.apache.catalina.startup.ExpandWar;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

import io.github.wsauth.jakarta.it.ContainerScenarios;
import io.github.wsauth.jakarta.it.Fixture;
import io.github.wsauth.jakarta.it.ServerHarness;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

/** The scenario suite on embedded Tomcat 11 (WsSci + WsFilter), with wsauth's filter in front of the upgrade. */
class TomcatScenariosTest extends ContainerScenarios {

  @Override
  protected String clientPackage() {
    return "org.apache.tomcat.websocket.";
  }

  @Override
  protected boolean configuratorDecidesAlone() {
    return false;
  }

  @Override
  protected String unhandledResetRecord() {
    return "No error handling configured for [" + io.github.wsauth.jakarta.it.HelloEndpoint.class.getName() + "]";
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
    return new TomcatHarness();
  }

  /** Embedded Tomcat on an ephemeral port. */
  static final class TomcatHarness implements ServerHarness {
    private Tomcat tomcat;
    private Path baseDir;

    @Override
    public int start(Fixture.Deployment d) throws Exception {
      baseDir = Files.createTempDirectory("wsauth-tomcat");
      tomcat = new Tomcat();
      tomcat.setBaseDir(baseDir.toString());
      tomcat.setPort(0);
      Context ctx = tomcat.addContext("", baseDir.toString());
      ctx.addServletContainerInitializer(new WsSci(), null);
      ctx.addServletContainerInitializer((classes, sc) -> {
        ServerContainer container = (ServerContainer) sc.getAttribute(ServerContainer.class.getName());
        try {
          for (ServerEndpointConfig sec : d.endpoints()) {
            container.addEndpoint(sec);
          }
          for (Class<?> c : d.annotated()) {
            container.addEndpoint(c);
          }
        } catch (jakarta.websocket.DeploymentException e) {
          throw new jakarta.servlet.ServletException(e);
        }
        // isMatchAfter=false: before Tomcat's WsFilter, which WsSci registered to match after.
        FilterRegistration.Dynamic reg = sc.addFilter("wsauth", d.filter());
        reg.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false,
            d.filterPatterns().toArray(String[]::new));
        sc.addFilter("wsauth-expiry", d.expiryFilter()).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST),
            false, "/exp/programmatic");
        io.github.wsauth.jakarta.WsAuthCookieBridgeServlet.install(sc, d.cookieBridge());
        sc.addServlet("wsauth-cookie-bridge-chips",
            new io.github.wsauth.jakarta.WsAuthCookieBridgeServlet(Fixture.CHIPS_BRIDGE)).addMapping("/chips/*");
      }, null);
      Tomcat.addServlet(ctx, "none", new HttpServlet() {
        private static final long serialVersionUID = 1L;
      });
      ctx.addServletMapping("/", "none");
      tomcat.getConnector();
      tomcat.start();
      return tomcat.getConnector().getLocalPort();
    }

    @Override
    public void stop() throws Exception {
      tomcat.stop();
      tomcat.destroy();
      ExpandWar.delete(baseDir.toFile()); // Tomcat's work directory, not left in /tmp
    }
  }
}
