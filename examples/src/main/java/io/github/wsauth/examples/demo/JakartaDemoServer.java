package io.github.wsauth.examples.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import io.github.wsauth.jakarta.WsAuthEndpoint;
import io.github.wsauth.jakarta.WsAuthFilter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

/**
 * A demo server on Jakarta WebSocket, in an embedded Tomcat bound to the loopback address: {@link WsAuthFilter}
 * answers real HTTP 400/401/403 before the upgrade, {@link WsAuthEndpoint} (its configurator) hands the identity to
 * {@link HelloEndpoint} and closes the connection when the identity expires. The connector bounds
 * unauthenticated connections as wsauth's Netty guard does (issue 13, item 4): {@link #CONNECTION_TIMEOUT} to send the request, at most {@link #MAX_CONNECTIONS} connections.
 */
final class JakartaDemoServer implements DemoServer {
  /**
   * Tomcat's {@code connectionTimeout}: how long a new connection may stay silent before Tomcat closes it (and its
   * keep-alive timeout). Tomcat's own default is 60 s (20 s in its shipped {@code server.xml}).
   */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);
  /**
   * Tomcat's {@code maxConnections}: beyond it Tomcat stops accepting (new connections wait in the OS backlog of
   * {@link #ACCEPT_COUNT}, then are refused by the kernel). Tomcat's own default is 8,192.
   */
  static final int MAX_CONNECTIONS = 1000;
  /** Tomcat's {@code acceptCount}: the OS backlog once {@link #MAX_CONNECTIONS} is reached (Tomcat's default). */
  static final int ACCEPT_COUNT = 100;

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
    return start(method, port, wsauth, CONNECTION_TIMEOUT);
  }

  /** As {@link #start(AuthMethod, int, JakartaAuthConfig)} with another connection timeout (tests). */
  static JakartaDemoServer start(AuthMethod method, int port, JakartaAuthConfig wsauth,
      Duration connectionTimeout) {
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
    // Unauthenticated connections are bounded in time and in number (the WebSocket endpoints here authenticate
    // the handshake, so an upgraded connection is never unauthenticated).
    connector.setProperty("connectionTimeout", Long.toString(connectionTimeout.toMillis()));
    connector.setProperty("maxConnections", Integer.toString(MAX_CONNECTIONS));
    connector.setProperty("acceptCount", Integer.toString(ACCEPT_COUNT));
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
        // WsAuthEndpoint: the configurator that takes the filter's identity, plus the connection's lifetime
        // (expiry close, registration, re-authentication) around the application endpoint.
        container.addEndpoint(WsAuthEndpoint.builder("/", wsauth, HelloEndpoint::new).build());
      } catch (DeploymentException e) {
        throw new ServletException("cannot deploy the demo endpoint", e);
      }
    }, null);
    // Plain HTTP requests (not upgrades) get a short answer instead of Tomcat's error page.
    Tomcat.addServlet(context, "plain", new PlainHttp());
    context.addServletMapping("/", "plain");
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

  /** Tomcat's connector, for tests that check its limits. */
  Connector connector() {
    return tomcat.getConnector();
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
