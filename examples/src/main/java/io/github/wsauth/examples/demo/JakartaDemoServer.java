package io.github.wsauth.examples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.modeler.Registry;
import org.apache.tomcat.websocket.server.WsSci;

import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.WsAuthConfigurator;
import io.github.wsauth.jakarta.WsAuthFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * A demo server on Jakarta WebSocket, in an embedded Tomcat bound to the loopback address: {@link WsAuthFilter}
 * answers real HTTP 400/401/403 before the upgrade, {@link WsAuthConfigurator} hands the identity to {@link
 * HelloEndpoint}.
 */
final class JakartaDemoServer implements DemoServer {
  static {
    // Several embedded Tomcats share this JVM (and tests start several demos): no JMX beans to collide.
    Registry.disableRegistry();
  }

  private final AuthMethod method;
  private final Tomcat tomcat;
  private final Path baseDir;
  private final int port;

  private JakartaDemoServer(AuthMethod method, Tomcat tomcat, Path baseDir, int port) {
    this.method = method;
    this.tomcat = tomcat;
    this.baseDir = baseDir;
    this.port = port;
  }

  static JakartaDemoServer start(AuthMethod method, int port, JakartaAuthConfig wsauth) {
    Path baseDir;
    try {
      baseDir = Files.createTempDirectory("wsauth-demo-tomcat-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Tomcat tomcat = new Tomcat();
    tomcat.setSilent(true);
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", InetAddress.getLoopbackAddress().getHostAddress());
    connector.setProperty("maxThreads", "8");
    connector.setProperty("minSpareThreads", "1");
    tomcat.setConnector(connector);

    Context context = tomcat.addContext("", baseDir.toString());
    // No web application is redeployed here: skip the leak hunt that needs --add-opens and only warns.
    ((StandardContext) context).setClearReferencesThreadLocals(false);
    ((StandardContext) context).setClearReferencesRmiTargets(false);
    // Tomcat's WebSocket support (it adds its upgrade filter, WsFilter, as the last filter)...
    context.addServletContainerInitializer(new WsSci(), null);
    // ...then wsauth: the configurator on the endpoint, the filter in front of WsFilter for exactly that endpoint.
    context.addServletContainerInitializer((classes, servletContext) -> {
      WsAuthFilter.install(servletContext, wsauth, "/");
      ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
      try {
        container.addEndpoint(ServerEndpointConfig.Builder.create(HelloEndpoint.class, "/")
            .subprotocols(wsauth.handshake().orElseThrow().subprotocols())
            .configurator(new WsAuthConfigurator(wsauth))
            .build());
      } catch (DeploymentException e) {
        throw new ServletException("cannot deploy the demo endpoint", e);
      }
    }, null);
    // Plain HTTP requests (not upgrades) get a short answer instead of Tomcat's error page.
    Tomcat.addServlet(context, "plain", new PlainHttp());
    context.addServletMappingDecoded("/", "plain");
    try {
      tomcat.start();
      int bound = connector.getLocalPort();
      if (bound <= 0) {
        throw new IllegalStateException("Tomcat could not bind port " + port);
      }
      return new JakartaDemoServer(method, tomcat, baseDir, bound);
    } catch (LifecycleException | RuntimeException e) {
      stop(tomcat, baseDir);
      throw new IllegalStateException("cannot start Tomcat on port " + port + ": " + e.getMessage(), e);
    }
  }

  @Override
  public AuthMethod method() {
    return method;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String framework() {
    return "Jakarta WebSocket on Tomcat";
  }

  @Override
  public void close() {
    stop(tomcat, baseDir);
  }

  private static void stop(Tomcat tomcat, Path baseDir) {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      System.getLogger(JakartaDemoServer.class.getName()).log(System.Logger.Level.WARNING,
          "Tomcat did not stop cleanly: " + e.getMessage());
    }
    try (Stream<Path> files = Files.walk(baseDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temp folder left behind is harmless.
    }
  }

  /** Answers plain HTTP requests to the WebSocket endpoint's path. */
  private static final class PlainHttp extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setStatus(HttpServletResponse.SC_BAD_REQUEST);
      resp.setContentType("text/plain;charset=UTF-8");
      resp.getWriter().write("This is a WebSocket endpoint.\n");
    }
  }
}
