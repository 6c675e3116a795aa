package io.github.wsauth.jakarta.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.util.EnumSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import io.github.wsauth.jakarta.it.Fixture;
import jakarta.servlet.DispatcherType;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The Jetty 12 trap, shown: a filter added the ordinary way sits behind Jetty's {@code WebSocketUpgradeFilter}, which
 * upgrades (or fails) the request before wsauth's filter runs, so a missing credential never gets the filter's 401;
 * the configurator, finding no filter in front, refuses every handshake with 403. {@link JettyScenariosTest} prepends
 * the filter and gets real 401s.
 */
class JettyFilterOrderTest {

  @Test
  void filterAddedTheOrdinaryWay_runsAfterJettysUpgrade_soNo401() throws Exception {
    Fixture f = Fixture.create();
    Fixture.Deployment d = f.deployment();
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    server.setHandler(context);
    FilterHolder holder = new FilterHolder(d.filter());
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    JakartaWebSocketServletContainerInitializer.configure(context, (sc, container) -> {
      for (ServerEndpointConfig sec : d.endpoints()) {
        container.addEndpoint(sec);
      }
    });
    server.start();
    try {
      URI uri = URI.create("ws://localhost:" + connector.getLocalPort() + "/bare/programmatic");
      int status;
      try {
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, new java.net.http.WebSocket.Listener() { })
            .get(10, TimeUnit.SECONDS).abort();
        status = 101;
      } catch (ExecutionException e) {
        status = ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
      }
      assertThat(status).isEqualTo(403);
    } finally {
      server.stop();
    }
  }
}
