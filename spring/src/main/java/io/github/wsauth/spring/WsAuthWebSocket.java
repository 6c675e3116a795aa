package io.github.wsauth.spring;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.HttpRejection;
import io.github.wsauth.Identity;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.JakartaWsAuth;
import io.github.wsauth.internal.LiveSession;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.springframework.context.Lifecycle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistration;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * Registers Spring {@link WebSocketHandler}s whose upgrade wsauth authenticates before it happens: a refused client
 * gets a real 400/401/403/503 with {@code WWW-Authenticate} (the Jakarta adapter's {@code WsAuthFilter}, on the raw
 * request), and an accepted session has the {@link Identity} as its {@link WebSocketSession#getPrincipal()
 * Principal} and as the attribute {@link JakartaWsAuth#IDENTITY_KEY}. The token is verified once, by the filter;
 * the handshake takes the filter's decision for that very request. From its opening to its close the session is
 * registered in the configuration's {@code ConnectionRegistry} (so the {@code Revoker} bean closes it with 4410) and
 * it is closed when its identity expires ({@code wsauth.lifetime.close-on-expiry}).
 *
 * <pre>{@code
 * @Configuration @EnableWebSocket
 * class Sockets implements WebSocketConfigurer {
 *   @Autowired WsAuthWebSocket wsauth;
 *   public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
 *     wsauth.register(registry, new ChatHandler(), "/chat");
 *   }
 * }
 * }</pre>
 *
 * <p>The {@code Origin} is wsauth's decision ({@code wsauth.allowed-origins}), so the registration allows every
 * origin on Spring's side. A bean of the auto-configuration; thread-safe.
 */
public final class WsAuthWebSocket {
  private static final Logger LOG = System.getLogger(WsAuthWebSocket.class.getName());

  private final ProtectedPaths paths;
  private final JakartaAuthConfig config;
  private final HandshakeAuthenticator authenticator;

  WsAuthWebSocket(ProtectedPaths paths, JakartaAuthConfig config) {
    this.paths = paths;
    this.config = config;
    this.authenticator = config.handshake().orElseThrow(
        () -> new IllegalStateException("wsauth: the JakartaAuthConfig bean has no handshake authenticator"));
  }

  /**
   * Registers {@code handler} at {@code paths} (Spring path patterns) with wsauth's check of the upgrade request.
   *
   * @return the registration, for further settings (SockJS is not supported: its transports are not upgrades)
   */
  public WebSocketHandlerRegistration register(WebSocketHandlerRegistry registry, WebSocketHandler handler,
      String... paths) {
    Objects.requireNonNull(registry, "registry must not be null");
    Objects.requireNonNull(handler, "handler must not be null");
    if (paths == null || paths.length == 0) {
      throw new IllegalArgumentException("name at least one path, e.g. \"/chat\"");
    }
    this.paths.authenticateHandshake(paths);
    IdentityHandshakeHandler handshakeHandler = new IdentityHandshakeHandler(new DefaultHandshakeHandler());
    if (!authenticator.subprotocols().isEmpty()) {
      handshakeHandler.setSupportedProtocols(authenticator.subprotocols().toArray(String[]::new));
    }
    return registry.addHandler(new LifetimeHandler(handler, config), paths)
        .setHandshakeHandler(handshakeHandler)
        .addInterceptors(new ClaimInterceptor(config))
        .setAllowedOriginPatterns("*");
  }

  @Override
  public String toString() {
    return "WsAuthWebSocket[" + paths.handshakePatterns() + "]";
  }

  /**
   * Takes the filter's decision for this request; refuses when there is none: one log line, and core's 503 answer
   * ({@link HttpRejection}: {@code Retry-After}, {@code Cache-Control: no-store}, ... and the body), as the filter
   * sends it.
   */
  static final class ClaimInterceptor implements HandshakeInterceptor {
    private final JakartaAuthConfig config;

    ClaimInterceptor(JakartaAuthConfig config) {
      this.config = config;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
        Map<String, Object> attributes) throws IOException {
      if (!"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())
          && !"CONNECT".equals(request.getMethod().name())) {
        // Not an upgrade: Spring's handshake handler refuses it (400), nothing is opened. A CONNECT is one: over
        // HTTP/2 (RFC 8441, Jetty) a WebSocket handshake has no Upgrade header, and Spring upgrades it.
        return true;
      }
      Optional<Identity> identity = request instanceof ServletServerHttpRequest servlet
          ? JakartaWsAuth.claimFilterDecision(servlet.getServletRequest(), config)
          : Optional.empty();
      if (identity.isEmpty()) {
        LOG.log(Level.ERROR, "wsauth refused a WebSocket upgrade with 503: no wsauth filter decided for this request"
            + " before the handler (its path is routed to a wsauth handler but matched none of the registered"
            + " patterns, or the filter is not installed); register handlers with WsAuthWebSocket.register");
        write(response, HttpRejection.of(503, List.of(), LiveSession.UNAVAILABLE));
        return false;
      }
      attributes.put(JakartaWsAuth.IDENTITY_KEY, identity.get());
      return true;
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
        Exception exception) {
      // nothing to do
    }

    /**
     * Writes core's rendering of a refusal, as the filter writes its own: the status, every header in order
     * ({@code Retry-After} on 503, {@code Cache-Control}, {@code X-Content-Type-Options}, {@code Connection}, {@code
     * Content-Type}) and the body; {@code Content-Length} is added for framing.
     */
    private static void write(ServerHttpResponse response, HttpRejection answer) throws IOException {
      response.setStatusCode(HttpStatusCode.valueOf(answer.status()));
      HttpHeaders headers = response.getHeaders();
      for (HttpRejection.Header header : answer.headers()) {
        headers.add(header.name(), header.value());
      }
      byte[] body = answer.bodyBytes();
      headers.setContentLength(body.length);
      response.getBody().write(body);
    }
  }

  /** Registers the session from its opening to its close, and closes it on expiry (core's live session). */
  static final class LifetimeHandler extends WebSocketHandlerDecorator {
    private final JakartaAuthConfig config;

    LifetimeHandler(WebSocketHandler delegate, JakartaAuthConfig config) {
      super(delegate);
      this.config = config;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws Exception {
      if (session.getAttributes().get(JakartaWsAuth.IDENTITY_KEY) instanceof Identity identity) {
        SpringSessionLifetime.start(session, identity, config, null, false);
      }
      super.afterConnectionEstablished(session);
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
      try {
        super.afterConnectionClosed(session, closeStatus);
      } finally {
        SpringSessionLifetime.of(session).ifPresent(LiveSession::closed);
      }
    }
  }

  /**
   * Spring's own handshake handler, whose session principal is the identity the filter accepted (also behind Spring
   * Security, whose request wrapper would show its own principal). A wrapper, not a subclass: Spring's handler logs
   * each request with its headers at TRACE under its class's name, and a subclass here would put that dump
   * ({@code Authorization}, {@code Cookie}) under wsauth's logger name.
   */
  static final class IdentityHandshakeHandler implements HandshakeHandler, Lifecycle {
    final DefaultHandshakeHandler spring;

    IdentityHandshakeHandler(DefaultHandshakeHandler spring) {
      this.spring = spring;
    }

    void setSupportedProtocols(String... protocols) {
      spring.setSupportedProtocols(protocols);
    }

    @Override
    public boolean doHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
        Map<String, Object> attributes) {
      ServerHttpRequest upgrade = request;
      if (attributes.get(JakartaWsAuth.IDENTITY_KEY) instanceof Identity identity
          && request instanceof ServletServerHttpRequest servlet) {
        upgrade = new ServletServerHttpRequest(new HttpServletRequestWrapper(servlet.getServletRequest()) {
          @Override
          public Principal getUserPrincipal() {
            return identity;
          }
        });
      }
      return spring.doHandshake(upgrade, response, handler, attributes);
    }

    @Override
    public void start() {
      spring.start();
    }

    @Override
    public void stop() {
      spring.stop();
    }

    @Override
    public boolean isRunning() {
      return spring.isRunning();
    }
  }
}
