package io.github.wsauth.jakarta.tomcat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

import org.apache.catalina.Context;
import org.apache.catalina.startup.ExpandWar;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

import io.github.wsauth.jakarta.WsAuthFilter;
import io.github.wsauth.jakarta.it.WiringScenarios;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

/** The wiring scenarios on embedded Tomcat 11. */
class TomcatWiringTest extends WiringScenarios {
  private Tomcat tomcat;

  @Override
  protected int start(List<ServerEndpointConfig> endpoints, Consumer<ServletContext> wsauth) throws Exception {
    return start(endpoints, wsauth, null, null);
  }

  @Override
  protected int startWithFilterBehindTheUpgrade(List<ServerEndpointConfig> endpoints, WsAuthFilter filter,
      String pattern) throws Exception {
    return start(endpoints, sc -> { }, filter, pattern);
  }

  private int start(List<ServerEndpointConfig> endpoints, Consumer<ServletContext> wsauth, WsAuthFilter behind,
      String pattern) throws Exception {
    Path baseDir = Files.createTempDirectory("wsauth-tomcat-wiring");
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    tomcat.setPort(0);
    Context ctx = tomcat.addContext("", baseDir.toString());
    ctx.addServletContainerInitializer(new WsSci(), null);
    ctx.addServletContainerInitializer((classes, sc) -> {
      ServerContainer container = (ServerContainer) sc.getAttribute(ServerContainer.class.getName());
      try {
        for (ServerEndpointConfig sec : endpoints) {
          container.addEndpoint(sec);
        }
      } catch (DeploymentException e) {
        throw new ServletException(e);
      }
      wsauth.accept(sc);
      if (behind != null) {
        // isMatchAfter=true: after Tomcat's WsFilter, which upgrades first.
        sc.addFilter("wsauth-behind", behind).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true,
            pattern);
      }
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
  protected void stop() throws Exception {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
      ExpandWar.delete(tomcat.getServer().getCatalinaBase()); // the base directory, not left in /tmp
    }
  }
}
