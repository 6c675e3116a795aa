package io.github.wsauth.spring;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Marks a {@code @ServerEndpoint} bean that wsauth authenticates, with its configuration from the application
 * context:
 * <pre>{@code
 * @Component
 * @ServerEndpoint(value = "/echo", configurator = WsAuthSpringConfigurator.class)
 * public class EchoEndpoint { ... }
 * }</pre>
 *
 * <p>wsauth-spring's {@code ServerEndpointExporter} (auto-configured) registers such an endpoint inside the Jakarta
 * adapter's {@code WsAuthEndpoint} under the context's {@code JakartaAuthConfig} (so the annotation's configurator
 * itself is never used): the servlet-side check sits in front of its path (real 400/401/403/503 before the
 * upgrade, the token verified once), each connection is registered in the {@code ConnectionRegistry} from its
 * opening to its close (the {@code Revoker} bean closes it) and closed when its identity expires, and one endpoint
 * instance per connection is created through the context (so it can be autowired). The endpoint may use whole
 * {@code String}, {@code ByteBuffer} and {@code byte[]} messages ({@code WsAuthEndpoint.annotated}); another
 * signature fails the start-up with a message naming it.
 *
 * <p>An instance made by the container with the no-argument constructor (the endpoint was registered by another
 * {@code ServerEndpointExporter}) refuses every handshake with one log line. Thread-safe.
 */
public final class WsAuthSpringConfigurator extends ServerEndpointConfig.Configurator {
  private static final Logger LOG = System.getLogger(WsAuthSpringConfigurator.class.getName());

  /**
   * The configurator the container makes from the annotation when wsauth-spring's exporter did not register the
   * endpoint: it refuses every handshake.
   */
  public WsAuthSpringConfigurator() {}

  @Override
  public boolean checkOrigin(String originHeaderValue) {
    LOG.log(Level.ERROR, "wsauth refused a WebSocket handshake: a @ServerEndpoint with configurator="
        + "WsAuthSpringConfigurator was registered by another ServerEndpointExporter than wsauth-spring's; remove"
        + " the application's ServerEndpointExporter bean (wsauth-spring provides one)");
    return false;
  }

  @Override
  public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    throw new IllegalStateException("wsauth: unbound WsAuthSpringConfigurator");
  }

  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
    throw new InstantiationException("wsauth: unbound WsAuthSpringConfigurator");
  }

  @Override
  public String toString() {
    return "WsAuthSpringConfigurator[unbound]";
  }
}
