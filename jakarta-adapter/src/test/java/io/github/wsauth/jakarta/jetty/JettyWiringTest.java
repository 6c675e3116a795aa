package io.github.wsauth.jakarta.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import io.github.wsauth.jakarta.WsAuthFilter;
import io.github.wsauth.jakarta.it.JulCapture;
import io.github.wsauth.jakarta.it.Recorder;
import io.github.wsauth.jakarta.it.WiringScenarios;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The wiring scenarios on Jetty 12 ee10: {@link WsAuthFilter#install} from the configure callback goes in front of
 * Jetty's {@code WebSocketUpgradeFilter}; {@code context.addFilter} puts the filter behind it.
 */
class JettyWiringTest extends WiringScenarios {
  private Server server;

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
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    server.setHandler(context);
    if (behind != null) {
      // The ordinary way (issue 13 item 11): Jetty later prepends its WebSocketUpgradeFilter in front of it.
      context.addFilter(new FilterHolder(behind), pattern, EnumSet.of(DispatcherType.REQUEST));
    }
    JakartaWebSocketServletContainerInitializer.configure(context, (sc, container) -> {
      for (ServerEndpointConfig sec : endpoints) {
        container.addEndpoint(sec);
      }
      wsauth.accept(sc);
    });
    server.start();
    return connector.getLocalPort();
  }

  @Override
  protected void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Test
  void installBeforeJettysWebSocketSupport_warnsAtStartup_thenRefusesEveryToken() throws Exception {
    try (JulCapture logs = new JulCapture()) {
      server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      server.setHandler(context);
      WsAuthFilter.install(context.getServletContext(), user, CHAT);   // too early: before configure(...)
      assertThat(logs.count("WsAuthFilter.install ran before Jetty's WebSocket support was initialised")).isEqualTo(1);
      JakartaWebSocketServletContainerInitializer.configure(context, (sc, container) -> {
        for (ServerEndpointConfig sec : endpoints()) {
          container.addEndpoint(sec);
        }
      });
      server.start();
      port = connector.getLocalPort();
      int before = userConsumes();
      for (String query : List.of("?token=" + users.issue("alice").value(), "", "?token=garbage")) {
        assertThat(upgrade(CHAT + query).status()).isEqualTo(403);
      }
      assertThat(Recorder.opens()).isZero();
      assertThat(userConsumes()).isEqualTo(before);
      assertThat(logs.count(BEHIND_LINE)).isEqualTo(1);
    }
  }
}
