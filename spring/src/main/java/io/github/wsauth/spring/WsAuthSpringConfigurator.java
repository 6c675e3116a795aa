package io.github.wsauth.spring;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

import io.github.wsauth.jakarta.WsAuthConfigurator;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The configurator of a {@code @ServerEndpoint} bean that wsauth authenticates, with its configuration from the
 * application context:
 * <pre>{@code
 * @Component
 * @ServerEndpoint(value = "/echo", configurator = WsAuthSpringConfigurator.class)
 * public class EchoEndpoint { ... }
 * }</pre>
 *
 * <p>wsauth-spring's {@code ServerEndpointExporter} (auto-configured) registers such an endpoint with a configurator
 * bound to the context's {@code JakartaAuthConfig}, puts the servlet-side check in front of its path (real
 * 400/401/403/503 before the upgrade), and creates one endpoint instance per connection through the context (so
 * it can be autowired). The {@link WsAuthConfigurator} it wraps takes the filter's decision; the token is verified
 * once.
 *
 * <p>An instance made by the container with the no-argument constructor (the endpoint was registered by another
 * {@code ServerEndpointExporter}) is not bound: it refuses every handshake with one log line. Thread-safe.
 */
public final class WsAuthSpringConfigurator extends ServerEndpointConfig.Configurator {
  private static final Logger LOG = System.getLogger(WsAuthSpringConfigurator.class.getName());

  private final WsAuthConfigurator bound;

  /**
   * The unbound configurator the container makes from the annotation when wsauth-spring's exporter did not
   * register the endpoint: it refuses every handshake.
   */
  public WsAuthSpringConfigurator() {
    this.bound = null;
  }

  WsAuthSpringConfigurator(WsAuthConfigurator bound) {
    this.bound = bound;
  }

  @Override
  public boolean checkOrigin(String originHeaderValue) {
    if (bound == null) {
      LOG.log(Level.ERROR, "wsauth refused a WebSocket handshake: a @ServerEndpoint with configurator="
          + "WsAuthSpringConfigurator was registered by another ServerEndpointExporter than wsauth-spring's; remove"
          + " the application's ServerEndpointExporter bean (wsauth-spring provides one)");
      return false;
    }
    return bound.checkOrigin(originHeaderValue);
  }

  @Override
  public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    if (bound == null) {
      throw new IllegalStateException("wsauth: unbound WsAuthSpringConfigurator");
    }
    bound.modifyHandshake(sec, request, response);
  }

  @Override
  public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
    return bound == null ? "" : bound.getNegotiatedSubprotocol(supported, requested);
  }

  @Override
  public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
    return bound == null ? List.of() : bound.getNegotiatedExtensions(installed, requested);
  }

  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
    if (bound == null) {
      throw new InstantiationException("wsauth: unbound WsAuthSpringConfigurator");
    }
    return bound.getEndpointInstance(endpointClass);
  }

  @Override
  public String toString() {
    return "WsAuthSpringConfigurator[" + (bound == null ? "unbound" : bound) + "]";
  }
}
