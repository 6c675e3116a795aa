package io.github.wsauth.spring;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.WsAuthConfigurator;
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
 * WsAuthSpringConfigurator} registered with a configurator bound to the context's configuration and their paths
 * put behind the servlet-side check. Other endpoints are registered as Spring registers them.
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
    ApplicationContext context = getApplicationContext();
    if (context == null) {
      throw new IllegalStateException("wsauth: no ApplicationContext to register endpoints with");
    }
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

  private ServerEndpointConfig bound(Class<?> type, ServerEndpoint annotation, AutowireCapableBeanFactory beans) {
    paths.authenticateHandshake(annotation.value());
    WsAuthConfigurator configurator = new WsAuthConfigurator(config, new ContextConfigurator(beans));
    return ServerEndpointConfig.Builder.create(type, annotation.value())
        .subprotocols(List.of(annotation.subprotocols()))
        .encoders(List.of(annotation.encoders()))
        .decoders(List.of(annotation.decoders()))
        .configurator(new WsAuthSpringConfigurator(configurator))
        .build();
  }

  /** One endpoint instance per connection, made (and autowired) by the context. */
  static final class ContextConfigurator extends ServerEndpointConfig.Configurator {
    private final AutowireCapableBeanFactory beans;

    ContextConfigurator(AutowireCapableBeanFactory beans) {
      this.beans = beans;
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
      try {
        return beans.createBean(endpointClass);
      } catch (RuntimeException e) {
        InstantiationException failure = new InstantiationException("wsauth: cannot create " + endpointClass.getName());
        failure.initCause(e);
        throw failure;
      }
    }
  }
}
