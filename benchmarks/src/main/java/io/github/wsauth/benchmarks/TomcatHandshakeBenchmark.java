package io.github.wsauth.benchmarks;

import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.WsAuthConfigurator;
import io.github.wsauth.jakarta.WsAuthFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.ExpandWar;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * WebSocket handshakes per second on embedded Tomcat 11, with and without the Jakarta adapter ({@link
 * WsAuthFilter} in front of the upgrade, {@link WsAuthConfigurator} on the endpoint), the credential a
 * single-use opaque token in the query or a Bearer header. Same client, tokens and method as {@link
 * NettyHandshakeBenchmark}; the endpoint does nothing.
 *
 * <p>Two Tomcat instances run side by side, one per variant, each with its default connector thread pool.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Tomcat compiles slowly: with 5 warmup iterations the measured ones still rose by 10-15%, so 15.
@Warmup(iterations = 15, time = 2)
@Measurement(iterations = 8, time = 2)
// Tomcat's leak detection wants these opens and logs a warning per context without them.
@Fork(value = 2, jvmArgsAppend = {
    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.rmi/sun.rmi.transport=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class TomcatHandshakeBenchmark extends HandshakeBenchmarkBase {
  @Param({"query", "bearer"})
  public String credential;

  @Param({"16"})
  public int concurrency;

  private Tomcat baselineServer;
  private Tomcat wsauthServer;
  private HandshakeClient baselineClient;
  private HandshakeClient wsauthClient;

  /** The application endpoint: accepts and does nothing. */
  public static final class NoopEndpoint extends Endpoint {
    @Override
    public void onOpen(Session session, EndpointConfig config) {
      // nothing: the benchmark measures the handshake
    }
  }

  @Setup(Level.Trial)
  public void start() throws Exception {
    Logger.getLogger("org.apache").setLevel(java.util.logging.Level.WARNING);
    fixtures = new HandshakeFixtures(credential);
    JakartaAuthConfig config = JakartaAuthConfig.builder().handshake(fixtures.authenticator()).build();
    baselineServer = start(null);
    wsauthServer = start(config);
    baselineClient = new HandshakeClient(baselineServer.getConnector().getLocalPort());
    wsauthClient = new HandshakeClient(wsauthServer.getConnector().getLocalPort());
  }

  private static Tomcat start(JakartaAuthConfig config) throws IOException, LifecycleException {
    Path base = Files.createTempDirectory("wsauth-bench-tomcat");
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(0);
    tomcat.getConnector().setProperty("address", "127.0.0.1");
    Context ctx = tomcat.addContext("", base.toString());
    ctx.addServletContainerInitializer(new WsSci(), null);
    ctx.addServletContainerInitializer((classes, sc) -> {
      ServerContainer container = (ServerContainer) sc.getAttribute(ServerContainer.class.getName());
      ServerEndpointConfig.Builder endpoint =
          ServerEndpointConfig.Builder.create(NoopEndpoint.class, HandshakeFixtures.PATH);
      if (config != null) {
        endpoint.configurator(new WsAuthConfigurator(config));
        // Before Tomcat's WsFilter, which WsSci registered to match after.
        FilterRegistration.Dynamic reg = sc.addFilter("wsauth", new WsAuthFilter(config));
        reg.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, HandshakeFixtures.PATH);
      }
      try {
        container.addEndpoint(endpoint.build());
      } catch (DeploymentException e) {
        throw new jakarta.servlet.ServletException(e);
      }
    }, null);
    Tomcat.addServlet(ctx, "none", new HttpServlet() {
      private static final long serialVersionUID = 1L;
    });
    ctx.addServletMapping("/", "none");
    tomcat.start();
    return tomcat;
  }

  @TearDown(Level.Trial)
  public void stop() throws LifecycleException {
    baselineClient.close();
    wsauthClient.close();
    for (Tomcat t : new Tomcat[] {baselineServer, wsauthServer}) {
      t.stop();
      t.destroy();
      ExpandWar.delete(t.getServer().getCatalinaBase()); // the base directory, not left in /tmp
    }
  }

  @Benchmark
  @OperationsPerInvocation(HandshakeFixtures.HANDSHAKES)
  public void baseline() throws InterruptedException {
    baselineClient.run(requests, concurrency);
  }

  @Benchmark
  @OperationsPerInvocation(HandshakeFixtures.HANDSHAKES)
  public void wsauth() throws InterruptedException {
    wsauthClient.run(requests, concurrency);
  }
}
