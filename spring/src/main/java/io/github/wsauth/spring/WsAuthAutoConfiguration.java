package io.github.wsauth.spring;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.AuthListener;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.CredentialSource;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.store.TokenStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/**
 * The auto-configuration of wsauth on a Spring Boot servlet application: from the {@link WsAuthProperties
 * wsauth.* properties} it creates the token store (in memory), policy, verifier and issuer (opaque tokens), the
 * handshake and first-message authenticators and the Jakarta adapter's configuration, each only when the
 * application has no bean of that type. It installs the servlet-side check in front of the paths registered with
 * {@link WsAuthWebSocket} and of the {@code @ServerEndpoint} beans configured with {@link
 * WsAuthSpringConfigurator}, authenticates STOMP {@code CONNECT} frames ({@link WsAuthStompInterceptor}), keeps
 * Spring Security off the paths wsauth takes care of, and counts decisions in Micrometer ({@link
 * MicrometerAuthListener}). A contradictory configuration fails the start-up with one message naming the
 * property.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(WsAuthProperties.class)
public final class WsAuthAutoConfiguration {
  /** The order of the servlet-side check: before Spring Security's filter chain (-100). */
  public static final int FILTER_ORDER = -200;

  /** Creates the auto-configuration. */
  public WsAuthAutoConfiguration() {}

  @Bean
  ProtectedPaths wsauthProtectedPaths(WsAuthProperties properties) {
    ProtectedPaths paths = new ProtectedPaths();
    paths.authenticateLater(properties.getStomp().getPaths());
    return paths;
  }

  /** The token store: in memory, for one process. */
  @Bean
  @ConditionalOnMissingBean
  public TokenStore wsauthTokenStore(ObjectProvider<Clock> clock) {
    return TokenStore.inMemory(clock.getIfUnique(Clock::systemUTC));
  }

  /** The token policy from {@code wsauth.token.*}. */
  @Bean
  @ConditionalOnMissingBean
  public TokenPolicy wsauthTokenPolicy(WsAuthProperties properties) {
    WsAuthProperties.Token t = properties.getToken();
    TokenPolicy.Builder b = TokenPolicy.defaults().toBuilder();
    if (t.getLifetime() != null) {
      b.lifetime(t.getLifetime());
    }
    if (t.getClockSkew() != null) {
      b.clockSkew(t.getClockSkew());
    }
    if (t.isSingleUse()) {
      b.singleUse();
    } else {
      b.reusable();
    }
    return b.build();
  }

  /** The verifier of opaque tokens in the store. */
  @Bean
  @ConditionalOnMissingBean
  public TokenVerifier wsauthTokenVerifier(TokenStore store, TokenPolicy policy) {
    return TokenVerifier.opaque(store, policy);
  }

  /** The issuer of opaque tokens into the store. */
  @Bean
  @ConditionalOnMissingBean
  public TokenIssuer wsauthTokenIssuer(TokenStore store, TokenPolicy policy, ObjectProvider<Clock> clock) {
    return TokenIssuer.opaque(store, policy, clock.getIfUnique(Clock::systemUTC));
  }

  /** The handshake authenticator from {@code wsauth.credentials}, {@code allowed-origins}, {@code realm}. */
  @Bean
  @ConditionalOnMissingBean
  public HandshakeAuthenticator wsauthHandshakeAuthenticator(WsAuthProperties properties, TokenVerifier verifier,
      ObjectProvider<AuthListener> listeners) {
    return HandshakeAuthenticator.builder()
        .extractor(extractor(properties))
        .verifier(verifier)
        .originPolicy(properties.getAllowedOrigins().isEmpty() ? OriginPolicy.anyOrigin()
            : OriginPolicy.allowOnly(properties.getAllowedOrigins().toArray(String[]::new)))
        .subprotocols(List.copyOf(properties.getSubprotocols()))
        .realm(properties.getRealm())
        .listener(new Listeners(listeners))
        .build();
  }

  /** The first-message authenticator (STOMP {@code CONNECT}) with {@code wsauth.first-message-deadline}. */
  @Bean
  @ConditionalOnMissingBean
  public FirstMessageAuthenticator wsauthFirstMessageAuthenticator(WsAuthProperties properties,
      TokenVerifier verifier, ObjectProvider<AuthListener> listeners) {
    return FirstMessageAuthenticator.builder()
        .verifier(verifier)
        .deadline(properties.getFirstMessageDeadline())
        .format(FirstMessageAuthenticator.Format.RAW)
        .listener(new Listeners(listeners))
        .build();
  }

  /** The scheduler of deadlines. */
  @Bean
  @ConditionalOnMissingBean
  public TaskScheduler wsauthTaskScheduler() {
    return TaskScheduler.shared();
  }

  /** This node's live authenticated connections, of every style (the handler, the endpoint, STOMP). */
  @Bean
  @ConditionalOnMissingBean
  public ConnectionRegistry wsauthConnectionRegistry() {
    return new ConnectionRegistry();
  }

  /** The bus that carries revocations to every node: in this process only (declare a database-backed one). */
  @Bean
  @ConditionalOnMissingBean
  public RevocationBus wsauthRevocationBus() {
    return RevocationBus.inProcess();
  }

  /** Revokes a subject's or a token's tokens and closes the matching live connections (4410) on every node. */
  @Bean
  @ConditionalOnMissingBean
  public Revoker wsauthRevoker(TokenStore store, RevocationBus bus, ConnectionRegistry registry,
      ObjectProvider<Clock> clock) {
    return Revoker.builder().store(store).bus(bus).registry(registry)
        .clock(clock.getIfUnique(Clock::systemUTC)).build();
  }

  /**
   * The Jakarta adapter's configuration, shared by the filter, the configurators and the handlers: connections are
   * registered in the {@link ConnectionRegistry} and closed on expiry ({@code wsauth.lifetime.*}).
   */
  @Bean
  @ConditionalOnMissingBean
  public JakartaAuthConfig wsauthJakartaAuthConfig(WsAuthProperties properties, HandshakeAuthenticator handshake,
      TokenVerifier verifier, ConnectionRegistry registry, TaskScheduler scheduler, ObjectProvider<Clock> clock) {
    WsAuthProperties.Lifetime lifetime = properties.getLifetime();
    JakartaAuthConfig.Builder b;
    try {
      b = JakartaAuthConfig.builder().expiryCloseCode(lifetime.getExpiryCloseCode());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("wsauth.lifetime.expiry-close-code must be 1000, 1001, 1008 or 3000-4999: "
          + lifetime.getExpiryCloseCode(), e);
    }
    return b.handshake(handshake)
        .scheduler(scheduler)
        .clock(clock.getIfUnique(Clock::systemUTC))
        .closeOnExpiry(lifetime.isCloseOnExpiry())
        .lifetime(ConnectionLifetime.builder().registry(registry).reauthenticationVerifier(verifier).build())
        .build();
  }

  /** The servlet-side check, in front of the wsauth paths only. */
  @Bean
  FilterRegistrationBean<WsAuthUpgradeFilter> wsauthUpgradeFilter(ProtectedPaths paths,
      JakartaAuthConfig config) {
    FilterRegistrationBean<WsAuthUpgradeFilter> registration =
        new FilterRegistrationBean<>(new WsAuthUpgradeFilter(paths, config));
    registration.setName("wsauth");
    registration.setOrder(FILTER_ORDER);
    registration.addUrlPatterns("/*");
    return registration;
  }

  /** The registrar of authenticated {@code WebSocketHandler}s. */
  @Bean
  WsAuthWebSocket wsauthWebSocket(ProtectedPaths paths, JakartaAuthConfig config) {
    return new WsAuthWebSocket(paths, config);
  }

  static CredentialExtractor extractor(WsAuthProperties properties) {
    List<CredentialSource> sources = properties.getCredentials();
    if (sources == null || sources.isEmpty()) {
      throw new IllegalStateException("wsauth.credentials is empty: name where clients put their token, e.g."
          + " wsauth.credentials=authorization-bearer,subprotocol,query-parameter");
    }
    Set<CredentialSource> distinct = Set.copyOf(sources);
    if (distinct.size() != sources.size()) {
      throw new IllegalStateException("wsauth.credentials names a location twice: " + sources);
    }
    if (distinct.contains(CredentialSource.FIRST_MESSAGE)) {
      throw new IllegalStateException("wsauth.credentials: first-message is not a handshake location (STOMP"
          + " authenticates its CONNECT frame by itself); remove it");
    }
    if (distinct.contains(CredentialSource.COOKIE) && properties.getAllowedOrigins().isEmpty()) {
      throw new IllegalStateException("wsauth.credentials includes cookie but wsauth.allowed-origins is empty:"
          + " browsers send cookies on cross-site requests (cross-site WebSocket hijacking); set"
          + " wsauth.allowed-origins to the origins of your pages");
    }
    List<CredentialExtractor> extractors = new ArrayList<>();
    for (CredentialSource s : sources) {
      extractors.add(switch (s) {
        case AUTHORIZATION_BEARER -> CredentialExtractor.bearerHeader();
        case AUTHORIZATION_BASIC -> CredentialExtractor.basicHeader();
        case QUERY_PARAMETER -> CredentialExtractor.queryParameter(properties.getQueryParameter());
        case COOKIE -> CredentialExtractor.cookie(properties.getCookieName());
        case SUBPROTOCOL -> CredentialExtractor.subprotocol();
        case FIRST_MESSAGE -> throw new IllegalStateException("unreachable");
      });
    }
    return CredentialExtractor.firstOf(extractors.toArray(CredentialExtractor[]::new)); // of one: that one
  }

  /** {@code @ServerEndpoint} beans, with wsauth's configurator bound to this context. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ServerContainer.class, ServerEndpointExporter.class})
  static class EndpointExporterConfiguration {
    @Bean
    @ConditionalOnMissingBean(ServerEndpointExporter.class)
    ServerEndpointExporter wsauthServerEndpointExporter(ProtectedPaths paths, JakartaAuthConfig config) {
      return new WsAuthEndpointExporter(paths, config);
    }

    /** Fails the start-up when another exporter would register wsauth's endpoints with an unbound configurator. */
    @Bean
    static SmartInitializingSingleton wsauthEndpointExporterCheck(ListableBeanFactory beans) {
      return () -> {
        for (String name : beans.getBeanNamesForAnnotation(ServerEndpoint.class)) {
          ServerEndpoint annotation = beans.findAnnotationOnBean(name, ServerEndpoint.class);
          if (annotation != null && annotation.configurator() == WsAuthSpringConfigurator.class
              && beans.getBeansOfType(WsAuthEndpointExporter.class, false, false).isEmpty()) {
            throw new IllegalStateException("wsauth: @ServerEndpoint bean '" + name + "' uses WsAuthSpringConfigurator"
                + " but the application declares its own ServerEndpointExporter, which would register it without"
                + " wsauth's check; remove that ServerEndpointExporter bean (wsauth-spring provides one)");
          }
        }
      };
    }
  }

  /** STOMP: the {@code CONNECT} frame is authenticated, within the deadline. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({WebSocketMessageBrokerConfigurer.class, ChannelRegistration.class})
  @ConditionalOnProperty(name = "wsauth.stomp.enabled", matchIfMissing = true)
  static class StompConfiguration {
    @Bean
    @ConditionalOnMissingBean
    WsAuthStompInterceptor wsauthStompInterceptor(FirstMessageAuthenticator authenticator) {
      return new WsAuthStompInterceptor(authenticator);
    }

    @Bean
    WebSocketMessageBrokerConfigurer wsauthStompConfigurer(WsAuthStompInterceptor interceptor,
        TaskScheduler scheduler, JakartaAuthConfig config) {
      interceptor.lifetime(config);
      return new StompConfigurer(interceptor, scheduler);
    }
  }

  /** First among the message broker configurers, so no application interceptor sees an unauthenticated frame. */
  static final class StompConfigurer implements WebSocketMessageBrokerConfigurer, Ordered {
    private final WsAuthStompInterceptor interceptor;
    private final TaskScheduler scheduler;

    StompConfigurer(WsAuthStompInterceptor interceptor, TaskScheduler scheduler) {
      this.interceptor = interceptor;
      this.scheduler = scheduler;
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
      registration.interceptors(interceptor);
    }

    @Override
    public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
      registration.addDecoratorFactory(new StompDeadline(interceptor, scheduler));
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  /** Spring Security leaves the wsauth paths to wsauth: not blocked, not authenticated twice. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(WebSecurityCustomizer.class)
  static class SecurityConfiguration {
    @Bean
    WebSecurityCustomizer wsauthWebSecurityCustomizer(ProtectedPaths paths) {
      return web -> web.ignoring().requestMatchers(paths::covers);
    }
  }

  /** Micrometer: decisions counted, verifications timed, live connections gauged. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterRegistry.class)
  static class MetricsConfiguration {
    @Bean
    MicrometerAuthListener wsauthMicrometerAuthListener(ObjectProvider<MeterRegistry> registry) {
      return new MicrometerAuthListener((Supplier<MeterRegistry>) registry::getIfUnique);
    }

    /** The gauge of live authenticated connections: the size of the {@link ConnectionRegistry} bean. */
    @Bean
    static SmartInitializingSingleton wsauthLiveConnectionsGauge(ObjectProvider<MeterRegistry> registry,
        ObjectProvider<ConnectionRegistry> connections) {
      return () -> {
        MeterRegistry meters = registry.getIfUnique();
        ConnectionRegistry live = connections.getIfUnique();
        if (meters != null && live != null) {
          Gauge.builder(MicrometerAuthListener.LIVE_CONNECTIONS, live, ConnectionRegistry::size)
              .description("live authenticated WebSocket connections on this node")
              .register(meters);
        }
      };
    }

    @Bean
    static BeanPostProcessor wsauthTimedTokenVerifier(ObjectProvider<MeterRegistry> registry) {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
          // A TimedTokenVerifier is never a bean (package-private, made only here): no verifier is timed twice.
          return bean instanceof TokenVerifier verifier ? new TimedTokenVerifier(verifier, registry::getIfUnique) : bean;
        }
      };
    }
  }

  /** Every {@link AuthListener} bean of the context, in order; a failing one never changes a decision. */
  static final class Listeners implements AuthListener {
    private final ObjectProvider<AuthListener> listeners;

    Listeners(ObjectProvider<AuthListener> listeners) {
      this.listeners = listeners;
    }

    @Override
    public void onAccepted(AuthEvent event) {
      listeners.orderedStream().forEach(l -> AuthListener.notify(l, event));
    }

    @Override
    public void onRejected(AuthEvent event) {
      listeners.orderedStream().forEach(l -> AuthListener.notify(l, event));
    }

    @Override
    public String toString() {
      return "Listeners[" + listeners.orderedStream().map(Object::toString).collect(Collectors.joining(", "))
          + "]";
    }
  }
}
