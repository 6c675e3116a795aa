package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.JakartaWsAuth;
import io.github.wsauth.jakarta.WsAuthFilter;
import io.github.wsauth.store.TokenStore;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.context.Lifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.ServletWebSocketHandlerRegistry;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * {@link WsAuthWebSocket} on its own: what {@code register} installs, the claim of the filter's decision, and the
 * principal Spring's handshake hands the upgrade (Spring's upgrade strategy, the container's seam, mocked).
 */
class WsAuthWebSocketTest {
  private final TokenStore store = TokenStore.inMemory(Clock.systemUTC());
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), Clock.systemUTC());
  private final JakartaAuthConfig config = JakartaAuthConfig.builder()
      .handshake(HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
          .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults())).originPolicy(OriginPolicy.anyOrigin())
          .subprotocols(List.of("chat", "chat.v2")).build())
      .build();


  private static WebSocketHttpRequestHandler registered(ServletWebSocketHandlerRegistry registry, String path) {
    SimpleUrlHandlerMapping mapping = (SimpleUrlHandlerMapping) registry.getHandlerMapping();
    return (WebSocketHttpRequestHandler) (HttpRequestHandler) mapping.getUrlMap().get(path);
  }

  @Test
  void register_installsWsAuthsHandshake_atEveryPath_andProtectsThem() {
    ProtectedPaths paths = new ProtectedPaths();
    ServletWebSocketHandlerRegistry registry = new ServletWebSocketHandlerRegistry();
    WebSocketHandler app = new TextWebSocketHandler();
    assertThat(new WsAuthWebSocket(paths, config).register(registry, app, "/chat", "/rooms/{room}")).isNotNull();
    for (String path : List.of("/chat", "/rooms/{room}")) {
      WebSocketHttpRequestHandler handler = registered(registry, path);
      assertThat(handler.getHandshakeHandler()).isInstanceOf(WsAuthWebSocket.IdentityHandshakeHandler.class);
      assertThat(((WsAuthWebSocket.IdentityHandshakeHandler) handler.getHandshakeHandler()).spring
          .getSupportedProtocols()).as("the authenticator's subprotocols").containsExactly("chat", "chat.v2");
      assertThat(handler.getHandshakeInterceptors()).hasAtLeastOneElementOfType(WsAuthWebSocket.ClaimInterceptor.class);
      WebSocketHandler h = handler.getWebSocketHandler(); // Spring's own decorators around wsauth's
      while (h instanceof WebSocketHandlerDecorator d && !(h instanceof WsAuthWebSocket.LifetimeHandler)) {
        h = d.getDelegate();
      }
      assertThat(h).isInstanceOf(WsAuthWebSocket.LifetimeHandler.class);
      assertThat(((WsAuthWebSocket.LifetimeHandler) h).getDelegate()).isSameAs(app);
    }
    assertThat(paths.handshakePatterns()).containsExactly("/chat", "/rooms/{room}");
    assertThat(paths.authenticatesHandshake(new MockHttpServletRequest("GET", "/rooms/r1"))).isTrue();
    assertThat(new WsAuthWebSocket(paths, config)).hasToString("WsAuthWebSocket[[/chat, /rooms/{room}]]");
  }

  @Test
  void register_withoutSubprotocols_leavesSpringsDefault() {
    JakartaAuthConfig none = JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.bearerHeader()).verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
        .originPolicy(OriginPolicy.anyOrigin()).build()).build();
    ServletWebSocketHandlerRegistry registry = new ServletWebSocketHandlerRegistry();
    new WsAuthWebSocket(new ProtectedPaths(), none).register(registry, new TextWebSocketHandler(), "/chat");
    assertThat(((WsAuthWebSocket.IdentityHandshakeHandler) registered(registry, "/chat").getHandshakeHandler()).spring
        .getSupportedProtocols()).isEmpty();
  }

  @Test
  void register_withNoPath_isRefused_andProtectsNothing() {
    ProtectedPaths paths = new ProtectedPaths();
    WsAuthWebSocket wsauth = new WsAuthWebSocket(paths, config);
    ServletWebSocketHandlerRegistry registry = new ServletWebSocketHandlerRegistry();
    for (String[] none : new String[][] {null, {}}) {
      assertThatThrownBy(() -> wsauth.register(registry, new TextWebSocketHandler(), none))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("name at least one path, e.g. \"/chat\"");
    }
    assertThat(paths.handshakePatterns()).isEmpty();
  }

  @Test
  void aConfigurationWithoutAHandshakeAuthenticator_isRefused() {
    JakartaAuthConfig firstMessage = JakartaAuthConfig.builder().firstMessage(FirstMessageAuthenticator.builder()
        .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults())).deadline(Duration.ofSeconds(5)).build())
        .build();
    assertThatThrownBy(() -> new WsAuthWebSocket(new ProtectedPaths(), firstMessage))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("wsauth: the JakartaAuthConfig bean has no handshake authenticator");
  }

  @Test
  void claim_ofAnUpgradeNoFilterDecided_refusesWith503_andLogsWhy() throws Exception {
    try (UnitFixtures.LogLines log = new UnitFixtures.LogLines()) {
      MockHttpServletResponse servletResponse = new MockHttpServletResponse();
      ServletServerHttpResponse response = new ServletServerHttpResponse(servletResponse);
      Map<String, Object> attributes = new HashMap<>();
      boolean go = new WsAuthWebSocket.ClaimInterceptor(config).beforeHandshake(
          new ServletServerHttpRequest(UnitFixtures.upgrade("/chat")), response, new TextWebSocketHandler(), attributes);
      response.flush();
      assertThat(go).isFalse();
      assertThat(servletResponse.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());
      // core's rendering, as the filter sends its own 503
      assertThat(servletResponse.getHeader("Retry-After")).isEqualTo("5");
      assertThat(servletResponse.getHeader("Cache-Control")).isEqualTo("no-store");
      assertThat(servletResponse.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(servletResponse.getHeader("Connection")).isEqualTo("close");
      assertThat(servletResponse.getContentType()).isEqualTo("text/plain;charset=utf-8");
      assertThat(servletResponse.getContentAsString()).isEqualTo("authentication temporarily unavailable\n");
      assertThat(servletResponse.getContentLength()).isEqualTo(servletResponse.getContentAsByteArray().length);
      io.github.wsauth.HttpRejection core = io.github.wsauth.HttpRejection.of(503, java.util.List.of(),
          "authentication temporarily unavailable");
      core.headerMap().forEach((name, values) -> assertThat(servletResponse.getHeaders(name)).as(name)
          .isEqualTo(values));
      assertThat(attributes).isEmpty();
      assertThat(log.messages()).anyMatch(l -> l.startsWith("wsauth refused a WebSocket upgrade with 503: no wsauth filter"
          + " decided for this request"));
    }
  }

  @Test
  void claim_ofAnHttp2WebSocketConnect_withoutAnUpgradeHeader_isAnUpgrade_soNoDecisionMeans503() throws Exception {
    // RFC 8441: over HTTP/2 the handshake is a CONNECT with :protocol websocket and no Upgrade header; Spring's
    // handshake handler upgrades it on Jetty, so it must carry the filter's decision like any upgrade.
    MockHttpServletRequest connect = new MockHttpServletRequest("CONNECT", "/chat");
    connect.setProtocol("HTTP/2.0");
    connect.addHeader("Sec-WebSocket-Version", "13");
    MockHttpServletResponse servletResponse = new MockHttpServletResponse();
    ServletServerHttpResponse response = new ServletServerHttpResponse(servletResponse);
    Map<String, Object> attributes = new HashMap<>();
    try (UnitFixtures.LogLines log = new UnitFixtures.LogLines()) {
      assertThat(new WsAuthWebSocket.ClaimInterceptor(config).beforeHandshake(new ServletServerHttpRequest(connect),
          response, new TextWebSocketHandler(), attributes)).isFalse();
      assertThat(log.messages()).anyMatch(l -> l.startsWith("wsauth refused a WebSocket upgrade with 503"));
    }
    response.flush();
    assertThat(servletResponse.getStatus()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE.value());
    assertThat(attributes).isEmpty();
  }

  @Test
  void claim_ofARequestThatIsNotAnUpgrade_isLeftToSpring() throws Exception {
    MockHttpServletRequest plain = new MockHttpServletRequest("GET", "/chat");
    MockHttpServletResponse servletResponse = new MockHttpServletResponse();
    Map<String, Object> attributes = new HashMap<>();
    assertThat(new WsAuthWebSocket.ClaimInterceptor(config).beforeHandshake(new ServletServerHttpRequest(plain),
        new ServletServerHttpResponse(servletResponse), new TextWebSocketHandler(), attributes)).isTrue();
    assertThat(attributes).isEmpty();
    assertThat(servletResponse.getStatus()).isEqualTo(200);
  }

  @Test
  void claim_insideTheFiltersChain_takesItsDecision() throws Exception {
    MockHttpServletRequest request = UnitFixtures.upgrade("/chat");
    request.addHeader("Authorization", "Bearer " + issuer.issue("alice").value());
    MockHttpServletResponse servletResponse = new MockHttpServletResponse();
    Map<String, Object> attributes = new HashMap<>();
    boolean[] go = new boolean[1];
    new WsAuthFilter(config).doFilter(request, servletResponse, (req, res) -> // as WsAuthUpgradeFilter makes it
        go[0] = new WsAuthWebSocket.ClaimInterceptor(config).beforeHandshake(
            new ServletServerHttpRequest((jakarta.servlet.http.HttpServletRequest) req),
            new ServletServerHttpResponse((jakarta.servlet.http.HttpServletResponse) res), new TextWebSocketHandler(),
            attributes));
    assertThat(go[0]).as("status %s: %s", servletResponse.getStatus(), servletResponse.getContentAsString()).isTrue();
    assertThat(((Identity) attributes.get(JakartaWsAuth.IDENTITY_KEY)).subject()).isEqualTo("alice");
  }

  @Test
  void theHandshake_handsTheUpgradeTheIdentityAsItsPrincipal_andTheAuthenticatorsSubprotocol() throws Exception {
    RequestUpgradeStrategy strategy = mock(RequestUpgradeStrategy.class);
    when(strategy.getSupportedVersions()).thenReturn(new String[] {"13"});
    WsAuthWebSocket.IdentityHandshakeHandler handler =
        new WsAuthWebSocket.IdentityHandshakeHandler(new DefaultHandshakeHandler(strategy));
    handler.setSupportedProtocols("chat");
    Identity alice = Identity.of("alice", Map.of(), java.time.Instant.now().plusSeconds(60));
    MockHttpServletRequest request = UnitFixtures.upgrade("/chat");
    request.addHeader("Sec-WebSocket-Protocol", "other, chat");
    request.setUserPrincipal(() -> "someone-else");
    Map<String, Object> attributes = new HashMap<>(Map.of(JakartaWsAuth.IDENTITY_KEY, alice));
    MockHttpServletResponse servletResponse = new MockHttpServletResponse();
    assertThat(handler.doHandshake(new ServletServerHttpRequest(request),
        new ServletServerHttpResponse(servletResponse), new TextWebSocketHandler(), attributes)).isTrue();
    ArgumentCaptor<Principal> user = ArgumentCaptor.forClass(Principal.class);
    verify(strategy).upgrade(any(), any(), eq("chat"), anyList(), user.capture(), any(), anyMap());
    assertThat(user.getValue()).isSameAs(alice);
  }

  @Test
  void theHandshake_withoutAnIdentity_keepsTheRequestsPrincipal_andARefusalIsSpringsAnswer() throws Exception {
    RequestUpgradeStrategy strategy = mock(RequestUpgradeStrategy.class);
    when(strategy.getSupportedVersions()).thenReturn(new String[] {"13"});
    WsAuthWebSocket.IdentityHandshakeHandler handler =
        new WsAuthWebSocket.IdentityHandshakeHandler(new DefaultHandshakeHandler(strategy));
    MockHttpServletRequest request = UnitFixtures.upgrade("/chat");
    Principal someone = () -> "someone";
    request.setUserPrincipal(someone);
    assertThat(handler.doHandshake(new ServletServerHttpRequest(request),
        new ServletServerHttpResponse(new MockHttpServletResponse()), new TextWebSocketHandler(), new HashMap<>()))
        .isTrue();
    ArgumentCaptor<Principal> user = ArgumentCaptor.forClass(Principal.class);
    verify(strategy).upgrade(any(), any(), any(), anyList(), user.capture(), any(), anyMap());
    assertThat(user.getValue()).isSameAs(someone);
    // Spring's own refusal (a wrong version) is returned as is
    MockHttpServletRequest wrongVersion = UnitFixtures.upgrade("/chat");
    wrongVersion.removeHeader("Sec-WebSocket-Version");
    wrongVersion.addHeader("Sec-WebSocket-Version", "8");
    MockHttpServletResponse refused = new MockHttpServletResponse();
    ServletServerHttpResponse refusedResponse = new ServletServerHttpResponse(refused);
    assertThat(handler.doHandshake(new ServletServerHttpRequest(wrongVersion), refusedResponse,
        new TextWebSocketHandler(), new HashMap<>())).isFalse();
    refusedResponse.flush();
    assertThat(refused.getStatus()).isEqualTo(426);
  }

  @Test
  void theHandshakeHandler_passesSpringsLifecycleOn() {
    RequestUpgradeStrategy strategy = mock(RequestUpgradeStrategy.class,
        withSettings().extraInterfaces(Lifecycle.class));
    WsAuthWebSocket.IdentityHandshakeHandler handler =
        new WsAuthWebSocket.IdentityHandshakeHandler(new DefaultHandshakeHandler(strategy));
    assertThat(handler.isRunning()).isFalse();
    handler.start();
    assertThat(handler.isRunning()).isTrue();
    verify((Lifecycle) strategy).start();
    handler.stop();
    assertThat(handler.isRunning()).isFalse();
    verify((Lifecycle) strategy).stop();
  }

  @Test
  void theInterceptorsAfterHandshake_doesNothing() {
    HandshakeInterceptor claim = new WsAuthWebSocket.ClaimInterceptor(config);
    MockHttpServletResponse servletResponse = new MockHttpServletResponse();
    claim.afterHandshake(new ServletServerHttpRequest(UnitFixtures.upgrade("/chat")),
        new ServletServerHttpResponse(servletResponse), new TextWebSocketHandler(), null);
    assertThat(servletResponse.getStatus()).isEqualTo(200);
  }

  @Test
  void theLifetimeHandler_registersAnAuthenticatedSession_untilItCloses_andPassesEveryEventOn() throws Exception {
    io.github.wsauth.lifetime.ConnectionRegistry registry = new io.github.wsauth.lifetime.ConnectionRegistry();
    JakartaAuthConfig withRegistry = JakartaAuthConfig.builder().handshake(config.requireHandshake())
        .lifetime(io.github.wsauth.lifetime.ConnectionLifetime.builder().registry(registry).build()).build();
    WebSocketHandler application = mock(WebSocketHandler.class);
    WsAuthWebSocket.LifetimeHandler handler = new WsAuthWebSocket.LifetimeHandler(application, withRegistry);
    org.springframework.web.socket.WebSocketSession session =
        mock(org.springframework.web.socket.WebSocketSession.class);
    Identity alice = Identity.of("alice", Map.of(), java.time.Instant.now().plusSeconds(60));
    when(session.getAttributes()).thenReturn(new HashMap<>(Map.of(JakartaWsAuth.IDENTITY_KEY, alice)));
    handler.afterConnectionEstablished(session);
    verify(application).afterConnectionEstablished(session);
    assertThat(SpringSessionLifetime.of(session)).isPresent();
    assertThat(registry.size()).isEqualTo(1);
    handler.afterConnectionClosed(session, org.springframework.web.socket.CloseStatus.NORMAL);
    verify(application).afterConnectionClosed(session, org.springframework.web.socket.CloseStatus.NORMAL);
    assertThat(registry.size()).isZero();
  }

  @Test
  void theLifetimeHandler_startsNothingForASessionWithoutIdentity() throws Exception {
    WebSocketHandler application = mock(WebSocketHandler.class);
    WsAuthWebSocket.LifetimeHandler handler = new WsAuthWebSocket.LifetimeHandler(application, config);
    org.springframework.web.socket.WebSocketSession session =
        mock(org.springframework.web.socket.WebSocketSession.class);
    when(session.getAttributes()).thenReturn(new HashMap<>());
    handler.afterConnectionEstablished(session);
    verify(application).afterConnectionEstablished(session);
    assertThat(SpringSessionLifetime.of(session)).isEmpty();
  }
}
