package io.github.wsauth.jakarta.it;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;

/** The container's own Jakarta WebSocket client (whichever {@link ContainerProvider} is on the classpath). */
final class JakartaClient {
  private JakartaClient() {}

  /** A connected client session and its received messages. */
  static final class Conn extends Endpoint {
    final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    Session session;

    @Override
    public void onOpen(Session session, EndpointConfig config) {
      session.addMessageHandler(String.class, (MessageHandler.Whole<String>) messages::add);
    }

    String next() throws InterruptedException {
      String m = messages.poll(JdkClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (m == null) {
        throw new AssertionError("no message");
      }
      return m;
    }
  }

  /** Tyrus' client sends an Origin of its own; present the allowed one, as a browser page of the app would. */
  private static final class WithOrigin extends ClientEndpointConfig.Configurator {
    private final ClientEndpointConfig.Configurator delegate;

    WithOrigin(ClientEndpointConfig.Configurator delegate) {
      this.delegate = delegate;
    }

    @Override
    public void beforeRequest(Map<String, List<String>> headers) {
      headers.keySet().removeIf("Origin"::equalsIgnoreCase);
      headers.put("Origin", List.of(Fixture.ORIGIN));
      delegate.beforeRequest(headers);
    }
  }

  static WebSocketContainer container() {
    return ContainerProvider.getWebSocketContainer();
  }

  static Conn connect(URI uri, ClientEndpointConfig.Configurator configurator) throws Exception {
    ClientEndpointConfig cec = ClientEndpointConfig.Builder.create()
        .preferredSubprotocols(List.of(Fixture.PROTOCOL))
        .configurator(new WithOrigin(configurator))
        .build();
    Conn conn = new Conn();
    conn.session = container().connectToServer(conn, cec, uri);
    return conn;
  }
}
