package io.github.wsauth.spring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.WsAuthEndpoint;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/**
 * Spring's {@link ServerEndpointExporter}, with the {@code @ServerEndpoint} beans whose configurator is {@link
 * WsAuthSpringConfigurator} registered inside the Jakarta adapter's {@link WsAuthEndpoint} under the context's
 * configuration (authenticated, registered for revocation, closed on expiry) and their paths put behind the
 * servlet-side check. Other endpoints are registered as Spring registers them.
 */
final class WsAuthEndpointExporter extends ServerEndpointExporter {
  private final ProtectedPaths paths;
  private final JakartaAuthConfig config;

  WsAuthEndpointExporter(ProtectedPaths paths, JakartaAuthConfig config) {
    this.paths = paths;
    this.config = config;
  }

  /**
   * Unlike Spring's exporter, no container is required up front: an application with no {@code @ServerEndpoint}
   * (or a test on a mock servlet environment) must start; {@link #registerEndpoints()} checks when there are some.
   */
  @Override
  public void afterPropertiesSet() {
    // checked in registerEndpoints
  }

  @Override
  protected void registerEndpoints() {
    ApplicationContext context = obtainApplicationContext();
    Set<Class<?>> classes = new LinkedHashSet<>();
    for (String name : context.getBeanNamesForAnnotation(ServerEndpoint.class)) {
      Class<?> type = context.getType(name);
      if (type != null) {
        classes.add(ClassUtils.getUserClass(type));
      }
    }
    List<ServerEndpointConfig> configs = new ArrayList<>(context.getBeansOfType(ServerEndpointConfig.class).values());
    if (classes.isEmpty() && configs.isEmpty()) {
      return;
    }
    ServerContainer container = getServerContainer();
    if (container == null) {
      throw new IllegalStateException("wsauth: the application has @ServerEndpoint beans but no"
          + " jakarta.websocket.server.ServerContainer to register them with (run it on an embedded servlet"
          + " container with WebSocket support)");
    }
    try {
      for (Class<?> type : classes) {
        ServerEndpoint annotation = AnnotatedElementUtils.findMergedAnnotation(type, ServerEndpoint.class);
        if (annotation != null && annotation.configurator() == WsAuthSpringConfigurator.class) {
          container.addEndpoint(bound(type, annotation, context.getAutowireCapableBeanFactory()));
        } else {
          container.addEndpoint(type);
        }
      }
      for (ServerEndpointConfig sec : configs) {
        container.addEndpoint(sec);
      }
    } catch (DeploymentException e) {
      throw new IllegalStateException("wsauth: failed to register a WebSocket endpoint: " + e.getMessage(), e);
    }
  }

  /**
   * The endpoint wrapped in the Jakarta adapter's {@link WsAuthEndpoint}: authenticated by the filter's decision,
   * registered in the lifetime's registry from {@code onOpen} to {@code onClose}, closed on expiry; one instance per
   * connection, made (and autowired) by the context.
   */
  private ServerEndpointConfig bound(Class<?> type, ServerEndpoint annotation, AutowireCapableBeanFactory beans) {
    paths.authenticateHandshake(annotation.value());
    ServerEndpointConfig.Builder b;
    try {
      b = wrapped(type, annotation.value(), beans);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("wsauth: the @ServerEndpoint " + type.getName() + " (configurator="
          + "WsAuthSpringConfigurator) runs inside wsauth's WsAuthEndpoint, so that its connections can be revoked"
          + " and closed on expiry, which supports whole String, ByteBuffer and byte[] messages: " + e.getMessage(),
          e);
    }
    if (annotation.subprotocols().length > 0) {
      b.subprotocols(List.of(annotation.subprotocols()));
    }
    return b.encoders(List.of(annotation.encoders()))
        .decoders(List.of(annotation.decoders()))
        .build();
  }

  private <T> ServerEndpointConfig.Builder wrapped(Class<T> type, String path, AutowireCapableBeanFactory beans) {
    return WsAuthEndpoint.annotated(path, config, type, () -> beans.createBean(type));
  }
}
