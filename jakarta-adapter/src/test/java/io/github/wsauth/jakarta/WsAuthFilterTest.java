package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;
import java.security.Principal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.github.wsauth.AuthDecision;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.testkit.MutableClock;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@link WsAuthFilter}'s decisions with the servlet API as the seam (Mockito), so that each can be pinned fast; the
 * same behaviour over real sockets is in the Tomcat, Jetty and Tyrus suites.
 */
class WsAuthFilterTest {
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final TokenStore store = TokenStore.inMemory(clock);
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
  private final JakartaAuthConfig config = JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
      .extractor(CredentialExtractor.bearerHeader())
      .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
      .originPolicy(OriginPolicy.allowOnly("https://app.example")).build()).build();

  /** Captures one logger's records as {@code LEVEL message}. */
  static final class LogCapture extends java.util.logging.Handler implements AutoCloseable {
    private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.logging.Logger logger;

    LogCapture(Class<?> source) {
      logger = java.util.logging.Logger.getLogger(source.getName());
      setLevel(java.util.logging.Level.ALL);
      logger.addHandler(this);
    }

    List<String> lines() {
      return lines;
    }

    @Override
    public void publish(java.util.logging.LogRecord r) {
      lines.add(r.getLevel() + " " + r.getMessage());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }

  /** What the filter wrote. */
  static final class Answer {
    int status = 200;
    final Map<String, String> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean committed;
    boolean reset;
  }

  private final Answer answer = new Answer();

  private HttpServletResponse response() throws Exception {
    HttpServletResponse r = mock(HttpServletResponse.class);
    doAnswer(i -> answer.status = i.getArgument(0)).when(r).setStatus(org.mockito.ArgumentMatchers.anyInt());
    when(r.getStatus()).thenAnswer(i -> answer.status);
    doAnswer(i -> answer.headers.put(i.getArgument(0), i.getArgument(1))).when(r).addHeader(any(), any());
    doAnswer(i -> answer.headers.put("Content-Type", i.getArgument(0))).when(r).setContentType(any());
    doAnswer(i -> answer.headers.put("Content-Length", String.valueOf((int) i.getArgument(0)))).when(r)
        .setContentLength(org.mockito.ArgumentMatchers.anyInt());
    doAnswer(i -> answer.reset = true).when(r).reset();
    when(r.isCommitted()).thenAnswer(i -> answer.committed);
    when(r.getOutputStream()).thenReturn(new ServletOutputStream() {
      @Override
      public boolean isReady() {
        return true;
      }

      @Override
      public void setWriteListener(WriteListener listener) {}

      @Override
      public void write(int b) {
        answer.body.write(b);
      }
    });
    return r;
  }

  private static HttpServletRequest request(String method, String path, String query, String... headers) {
    HttpServletRequest r = mock(HttpServletRequest.class);
    Map<String, List<String>> h = new LinkedHashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      h.computeIfAbsent(headers[i], k -> new java.util.ArrayList<>()).add(headers[i + 1]);
    }
    when(r.getMethod()).thenReturn(method);
    when(r.getProtocol()).thenReturn("HTTP/1.1");
    when(r.getRequestURI()).thenReturn(path);
    when(r.getServletPath()).thenReturn(path);
    when(r.getQueryString()).thenReturn(query);
    when(r.getRemoteAddr()).thenReturn("127.0.0.1");
    when(r.getRemotePort()).thenReturn(5555);
    when(r.getHeaderNames()).thenAnswer(i -> Collections.enumeration(h.keySet()));
    when(r.getHeader(any())).thenAnswer(i -> {
      for (Map.Entry<String, List<String>> e : h.entrySet()) {
        if (e.getKey().equalsIgnoreCase(i.getArgument(0))) {
          return e.getValue().get(0);
        }
      }
      return null;
    });
    when(r.getHeaders(any())).thenAnswer(i -> {
      for (Map.Entry<String, List<String>> e : h.entrySet()) {
        if (e.getKey().equalsIgnoreCase(i.getArgument(0))) {
          return Collections.enumeration(e.getValue());
        }
      }
      return Collections.emptyEnumeration();
    });
    return r;
  }

  private static HttpServletRequest upgrade(String path, String query, String... more) {
    String[] base = {"Host", "localhost", "Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key", KEY,
        "Sec-WebSocket-Version", "13", "Origin", "https://app.example"};
    String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return request("GET", path, query, all);
  }

  private String bearer() {
    return "Bearer " + issuer.issue("alice").value();
  }

  private String body() {
    return answer.body.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void accepted_theRequestHandedOn_masksTheQueryCredential_inTheQueryStringAndEveryParameterAccessor()
      throws Exception {
    JakartaAuthConfig query = JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(),
            CredentialExtractor.queryParameter("token")))
        .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
        .originPolicy(OriginPolicy.allowOnly("https://app.example")).build()).build();
    String token = issuer.issue("alice").value();
    HttpServletRequest request = upgrade("/chat", "room=r1&token=" + token);
    Map<String, String[]> parameters = new LinkedHashMap<>();
    parameters.put("room", new String[] {"r1"});
    parameters.put("token", new String[] {token});
    when(request.getParameterMap()).thenReturn(parameters);
    when(request.getParameter("room")).thenReturn("r1");
    when(request.getParameter("token")).thenReturn(token);
    when(request.getParameterValues("room")).thenReturn(new String[] {"r1"});
    when(request.getParameterValues("token")).thenReturn(new String[] {token, token});
    FilterChain chain = mock(FilterChain.class);
    org.mockito.ArgumentCaptor<jakarta.servlet.ServletRequest> passed =
        org.mockito.ArgumentCaptor.forClass(jakarta.servlet.ServletRequest.class);

    new WsAuthFilter(query).doFilter(request, response(), chain);

    verify(chain).doFilter(passed.capture(), any());
    HttpServletRequest seen = (HttpServletRequest) passed.getValue();
    assertThat(seen.getUserPrincipal()).isInstanceOf(io.github.wsauth.Identity.class);
    assertThat(seen.getQueryString()).isEqualTo("room=r1&token=***");
    assertThat(seen.getParameter("token")).isEqualTo("***");
    assertThat(seen.getParameter("room")).isEqualTo("r1");
    assertThat(seen.getParameter("absent")).isNull();
    assertThat(seen.getParameterValues("token")).containsExactly("***", "***");
    assertThat(seen.getParameterValues("room")).containsExactly("r1");
    assertThat(seen.getParameterValues("absent")).isNull();
    assertThat(seen.getParameterMap()).containsOnlyKeys("room", "token");
    assertThat(seen.getParameterMap().get("token")).containsExactly("***");
    assertThat(seen.getParameterMap().get("room")).containsExactly("r1");
    assertThat(parameters.get("token")).as("the container's own map is not changed").containsExactly(token);
    parameters.remove("token");
    assertThat(seen.getParameterMap()).as("no credential parameter: the container's map as it is")
        .isSameAs(parameters);
  }

  @Test
  void plainRequest_passesUntouched_andNothingIsWritten() throws Exception {
    HttpServletRequest request = request("GET", "/chat", null, "Host", "localhost");
    HttpServletResponse response = response();
    FilterChain chain = mock(FilterChain.class);
    new WsAuthFilter(config).doFilter(request, response, chain);
    verify(chain).doFilter(request, response);
    assertThat(answer.reset).isFalse();
    // Plain HTTP through a filter mapped to /* costs one header look-up: no copy of the request is made.
    verify(request, never()).getHeaders(any());
    verify(request, never()).getRemoteAddr();
  }

  @Test
  void nonHttpRequest_passesUntouched() throws Exception {
    ServletRequest request = mock(ServletRequest.class);
    ServletResponse response = mock(ServletResponse.class);
    FilterChain chain = mock(FilterChain.class);
    new WsAuthFilter(config).doFilter(request, response, chain);
    verify(chain).doFilter(request, response);
    HttpServletRequest http = upgrade("/chat", null);
    new WsAuthFilter(config).doFilter(http, response, chain);
    verify(chain).doFilter(http, response);
  }

  @Test
  void sameHeaderPrefixWithoutUpgrade_isNotAnAttempt() throws Exception {
    // X-Sec-WebSocket-Key is no Sec-WebSocket-* header: the cheap pre-check and core's definition agree.
    HttpServletRequest request = request("GET", "/chat", null, "Host", "localhost", "X-Sec-WebSocket-Key", KEY);
    FilterChain chain = mock(FilterChain.class);
    HttpServletResponse response = response();
    new WsAuthFilter(config).doFilter(request, response, chain);
    verify(chain).doFilter(request, response);
  }

  @Test
  void attemptWithOnlyASecWebSocketHeader_isAuthenticated() throws Exception {
    HttpServletRequest request = request("GET", "/chat", null, "Host", "localhost", "Sec-WebSocket-Version", "13");
    FilterChain chain = mock(FilterChain.class);
    new WsAuthFilter(config).doFilter(request, response(), chain);
    verify(chain, never()).doFilter(any(), any());
    assertThat(answer.status).isEqualTo(400);
    assertThat(body()).isEqualTo("not a WebSocket handshake: missing Upgrade: websocket\n");
  }

  @Test
  void invalidHandshake_isRefusedBeforeTheCredential_nothingConsumed() throws Exception {
    String token = issuer.issue("alice").value();
    HttpServletRequest post = request("POST", "/chat", null, "Host", "localhost", "Upgrade", "websocket",
        "Connection", "Upgrade", "Sec-WebSocket-Key", KEY, "Sec-WebSocket-Version", "13",
        "Authorization", "Bearer " + token);
    FilterChain chain = mock(FilterChain.class);
    new WsAuthFilter(config).doFilter(post, response(), chain);
    verify(chain, never()).doFilter(any(), any());
    assertThat(answer.status).isEqualTo(405);
    assertThat(answer.reset).isTrue();
    assertThat(answer.headers).containsEntry("Allow", "GET");
    assertThat(body()).isEqualTo("not a WebSocket handshake: method must be GET\n");
    assertThat(answer.headers).containsEntry("Content-Length", String.valueOf(answer.body.size()));
    assertThat(TokenVerifier.opaque(store, TokenPolicy.defaults()).verify(token))
        .as("the token is still unused").isInstanceOf(io.github.wsauth.Verification.Verified.class);
  }

  @Test
  void malformedQuery_is400_beforeTheCredential() throws Exception {
    FilterChain chain = mock(FilterChain.class);
    new WsAuthFilter(config).doFilter(upgrade("/chat", "x=%ZZ", "Authorization", bearer()), response(), chain);
    verify(chain, never()).doFilter(any(), any());
    assertThat(answer.status).isEqualTo(400);
    assertThat(body()).isEqualTo("malformed query string\n");
  }

  @Test
  void missingCredential_is401WithTheChallenge() throws Exception {
    FilterChain chain = mock(FilterChain.class);
    new WsAuthFilter(config).doFilter(upgrade("/chat", null), response(), chain);
    verify(chain, never()).doFilter(any(), any());
    assertThat(answer.status).isEqualTo(401);
    assertThat(answer.headers.get("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void committedResponse_isLeftAlone() throws Exception {
    answer.committed = true;
    new WsAuthFilter(config).doFilter(upgrade("/chat", null), response(), mock(FilterChain.class));
    assertThat(answer.reset).isFalse();
    assertThat(answer.body.size()).isZero();
  }

  @Test
  void validBearer_continuesWithTheIdentity_andHandsTheDecisionToTheConfigurator() throws Exception {
    HttpServletRequest request = upgrade("/chat", null, "Authorization", bearer());
    AtomicReference<ServletRequest> passed = new AtomicReference<>();
    AtomicReference<Handoff.Claim> claim = new AtomicReference<>();
    FilterChain chain = (req, res) -> {
      passed.set(req);
      claim.set(Handoff.claim(config, KEY, "/chat"));
      ((HttpServletResponse) res).setStatus(101);
    };
    try (LogCapture log = new LogCapture(WsAuthFilter.class)) {
      new WsAuthFilter(config).doFilter(request, response(), chain);
      assertThat(log.lines()).isEmpty();
    }
    HttpServletRequest http = (HttpServletRequest) passed.get();
    Principal principal = http.getUserPrincipal();
    assertThat(principal).isInstanceOf(Identity.class);
    assertThat(((Identity) principal).subject()).isEqualTo("alice");
    assertThat(http.getRemoteUser()).isEqualTo("alice");
    assertThat(http.getAuthType()).isEqualTo("WSAUTH");
    verify(request).setAttribute(org.mockito.ArgumentMatchers.eq(JakartaWsAuth.IDENTITY_KEY), any(Identity.class));
    assertThat(claim.get().kind()).isEqualTo(Handoff.Claim.Kind.ACCEPTED);
    assertThat(Handoff.filterInFront()).as("the hand-off ends with the filter").isFalse();
  }

  @Test
  void acceptedButUpgradedWithoutAWsauthConfigurator_logsOneError() throws Exception {
    FilterChain chain = (req, res) -> ((HttpServletResponse) res).setStatus(101);
    try (LogCapture log = new LogCapture(WsAuthFilter.class)) {
      new WsAuthFilter(config, "/chat").doFilter(upgrade("/chat", null, "Authorization", bearer()), response(),
          chain);
      assertThat(log.lines()).singleElement().asString().startsWith("SEVERE wsauth: the WebSocket upgrade of /chat"
          + " was accepted by WsAuthFilter but no WsAuthConfigurator of the same configuration ran");
    }
  }

  @Test
  void acceptedByAFilterWithoutPaths_butUpgradedWithoutAWsauthConfigurator_logsOneErrorNamingItsMapping()
      throws Exception {
    FilterChain chain = (req, res) -> ((HttpServletResponse) res).setStatus(101);
    try (LogCapture log = new LogCapture(WsAuthFilter.class)) {
      new WsAuthFilter(config).doFilter(upgrade("/chat", null, "Authorization", bearer()), response(), chain);
      assertThat(log.lines()).singleElement().asString().startsWith("SEVERE wsauth: the WebSocket upgrade of a path"
          + " this filter is mapped to was accepted by WsAuthFilter but no WsAuthConfigurator of the same"
          + " configuration ran");
    }
  }

  @Test
  void acceptedAndAnsweredOtherwise_logsNothing() throws Exception {
    FilterChain chain = (req, res) -> ((HttpServletResponse) res).setStatus(404);
    try (LogCapture log = new LogCapture(WsAuthFilter.class)) {
      new WsAuthFilter(config).doFilter(upgrade("/chat", null, "Authorization", bearer()), response(), chain);
      assertThat(log.lines()).isEmpty();
    }
  }

  @Test
  void otherPath_isGuardedOnly_theConfiguratorDecides_andAnUnclaimedUpgradeIsLogged() throws Exception {
    HttpServletRequest request = upgrade("/other", null);
    AtomicReference<Handoff.Claim> claim = new AtomicReference<>();
    FilterChain chain = (req, res) -> {
      claim.set(Handoff.claim(config, KEY, "/other"));
      ((HttpServletResponse) res).setStatus(101);
    };
    new WsAuthFilter(config, "/chat").doFilter(request, response(), chain);
    assertThat(claim.get().kind()).isEqualTo(Handoff.Claim.Kind.GUARDED);
    assertThat(answer.status).as("no credential needed: the configurator decided").isEqualTo(101);
    FilterChain unclaimed = (req, res) -> ((HttpServletResponse) res).setStatus(101);
    try (LogCapture log = new LogCapture(WsAuthFilter.class)) {
      new WsAuthFilter(config, "/chat").doFilter(upgrade("/other", null), response(), unclaimed);
      assertThat(log.lines()).singleElement().asString().startsWith("SEVERE wsauth: a WebSocket endpoint that is"
          + " not one of this WsAuthFilter's endpoints [/chat] was upgraded with no wsauth check at all");
    }
    FilterChain refusedElsewhere = (req, res) -> ((HttpServletResponse) res).setStatus(403);
    try (LogCapture log = new LogCapture(WsAuthFilter.class)) {
      new WsAuthFilter(config, "/chat").doFilter(upgrade("/other", null), response(), refusedElsewhere);
      assertThat(log.lines()).isEmpty();
    }
  }

  @Test
  void otherPath_anHttp2ConnectAnswered200_isAnUpgrade_andUnclaimedIsLogged_whileAGetAnswered200IsNot()
      throws Exception {
    // RFC 8441: over HTTP/2 the container answers a WebSocket CONNECT with 200 (no Upgrade, no key).
    FilterChain unclaimed = (req, res) -> ((HttpServletResponse) res).setStatus(200);
    HttpServletRequest connect = request("CONNECT", "/other", null, "Sec-WebSocket-Version", "13", "Origin",
        "https://app.example");
    try (LogCapture log = new LogCapture(WsAuthFilter.class)) {
      new WsAuthFilter(config, "/chat").doFilter(connect, response(), unclaimed);
      assertThat(log.lines()).singleElement().asString().contains("was upgraded with no wsauth check at all");
    }
    try (LogCapture log = new LogCapture(WsAuthFilter.class)) {
      new WsAuthFilter(config, "/chat").doFilter(upgrade("/other", null), response(), unclaimed);
      assertThat(log.lines()).as("a GET answered 200 was not upgraded").isEmpty();
    }
  }

  @Test
  void configuratorRefusal_becomesACleanAnswer_directOrWrapped() throws Exception {
    AuthDecision.Rejected forbidden = new AuthDecision.Rejected(403, List.of(), "not authenticated for this endpoint");
    FilterChain direct = (req, res) -> {
      throw new HandshakeRejectedException(forbidden);
    };
    new WsAuthFilter(config).doFilter(upgrade("/chat", null, "Authorization", bearer()), response(), direct);
    assertThat(answer.status).isEqualTo(403);
    assertThat(body()).isEqualTo("not authenticated for this endpoint\n");
    answer.body.reset();
    FilterChain wrapped = (req, res) -> {
      throw new ServletException(new IllegalStateException(new HandshakeRejectedException(forbidden)));
    };
    new WsAuthFilter(config, "/chat").doFilter(upgrade("/other", null), response(), wrapped);
    assertThat(body()).isEqualTo("not authenticated for this endpoint\n");
    FilterChain failing = (req, res) -> {
      throw new ServletException("boom");
    };
    assertThatThrownBy(() -> new WsAuthFilter(config).doFilter(upgrade("/chat", null, "Authorization", bearer()),
        response(), failing)).isInstanceOf(ServletException.class).hasMessage("boom");
    FilterChain runtime = (req, res) -> {
      throw new IllegalStateException("bug");
    };
    assertThatThrownBy(() -> new WsAuthFilter(config).doFilter(upgrade("/chat", null, "Authorization", bearer()),
        response(), runtime)).isInstanceOf(IllegalStateException.class).hasMessage("bug");
  }

  @Test
  void deeplyWrappedRefusal_isNotSearchedForever() throws Exception {
    Throwable t = new HandshakeRejectedException(new AuthDecision.Rejected(403, List.of(), "deep"));
    for (int i = 0; i < 8; i++) {
      t = new RuntimeException(t);
    }
    Throwable thrown = t;
    FilterChain chain = (req, res) -> {
      throw (RuntimeException) thrown;
    };
    assertThatThrownBy(() -> new WsAuthFilter(config).doFilter(upgrade("/chat", null, "Authorization", bearer()),
        response(), chain)).isSameAs(thrown);
  }

  @Test
  void toString_namesTheAuthenticatorAndPaths() {
    assertThat(new WsAuthFilter(config, "/chat").toString()).startsWith("WsAuthFilter[").endsWith(", [/chat]]");
    assertThat(new WsAuthFilter(config).toString()).doesNotContain("[/");
  }

  // --- install, init and destroy with the servlet context as the seam (pinned for mutation testing) ---

  /** A context whose server is {@code serverInfo}, with these filters' class names already registered. */
  private static jakarta.servlet.ServletContext context(String serverInfo, List<String> names,
      jakarta.servlet.FilterRegistration.Dynamic registration, String... registeredClasses) {
    jakarta.servlet.ServletContext context = mock(jakarta.servlet.ServletContext.class);
    when(context.getServerInfo()).thenReturn(serverInfo);
    Map<String, jakarta.servlet.FilterRegistration> registered = new LinkedHashMap<>();
    for (String c : registeredClasses) {
      jakarta.servlet.FilterRegistration r = mock(jakarta.servlet.FilterRegistration.class);
      when(r.getClassName()).thenReturn(c);
      registered.put(String.valueOf(registered.size()), r);
    }
    doAnswer(i -> registered).when(context).getFilterRegistrations();
    when(context.addFilter(any(String.class), any(jakarta.servlet.Filter.class))).thenAnswer(i -> {
      names.add(i.getArgument(0));
      return names.size() == 1 ? null : registration; // the first name is taken: install tries another
    });
    return context;
  }

  @Test
  void install_mapsExactlyTheEndpoints_beforeTheContainersFilters_retryingATakenName() {
    List<String> names = new java.util.ArrayList<>();
    jakarta.servlet.FilterRegistration.Dynamic registration = mock(jakarta.servlet.FilterRegistration.Dynamic.class);
    try (LogCapture log = new LogCapture(WsAuthFilter.class)) {
      WsAuthFilter filter = WsAuthFilter.install(context("Apache Tomcat/11.0", names, registration), config,
          "/chat", "/rooms/{room}");
      assertThat(filter.toString()).contains("/chat", "/rooms/{room}");
      assertThat(log.lines()).isEmpty();
    }
    assertThat(names).as("the first free name of the context").containsExactly("wsauth", "wsauth-2");
    verify(registration).setAsyncSupported(true);
    verify(registration).addMappingForUrlPatterns(java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST), false,
        "/chat", "/rooms/*");
    assertThatThrownBy(() -> WsAuthFilter.install(mock(jakarta.servlet.ServletContext.class), config))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name at least one endpoint path, e.g. \"/chat\"");
    assertThatThrownBy(() -> WsAuthFilter.install(mock(jakarta.servlet.ServletContext.class), config,
        (String[]) null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void install_onJettyBeforeItsUpgradeFilter_warnsAtStartUp_butNotOnceItIsThere() {
    jakarta.servlet.FilterRegistration.Dynamic registration = mock(jakarta.servlet.FilterRegistration.Dynamic.class);
    try (LogCapture log = new LogCapture(WsAuthFilter.class)) {
      WsAuthFilter.install(context("jetty/12.0.16", new java.util.ArrayList<>(), registration,
          "com.example.Other", null), config, "/ws");
      assertThat(log.lines()).singleElement().asString().startsWith("WARNING wsauth: WsAuthFilter.install ran before"
          + " Jetty's WebSocket support was initialised").contains("[/ws]");
      log.lines().clear();
      WsAuthFilter.install(context("Jetty/12", new java.util.ArrayList<>(), registration,
          "org.eclipse.jetty.ee10.websocket.servlet.WebSocketUpgradeFilter"), config, "/ws");
      WsAuthFilter.install(context(null, new java.util.ArrayList<>(), registration), config, "/ws");
      jakarta.servlet.ServletContext broken = context("jetty/12", new java.util.ArrayList<>(), registration);
      when(broken.getFilterRegistrations()).thenThrow(new UnsupportedOperationException());
      WsAuthFilter.install(broken, config, "/ws");
      assertThat(log.lines()).isEmpty();
    }
  }

  @Test
  void init_registersWhatTheFilterCovers_destroyUnregisters() {
    WsAuthFilter withPaths = new WsAuthFilter(config, "/ws");
    withPaths.init(null);
    try {
      assertThat(InstalledFilters.covers(config, "/ws")).isTrue();
      assertThat(InstalledFilters.covers(config, "/other")).isFalse();
    } finally {
      withPaths.destroy();
    }
    assertThat(InstalledFilters.any(config)).isFalse();

    // Without paths: the URL patterns it is mapped to.
    WsAuthFilter mapped = new WsAuthFilter(config);
    jakarta.servlet.FilterConfig filterConfig = mock(jakarta.servlet.FilterConfig.class);
    jakarta.servlet.ServletContext sc = mock(jakarta.servlet.ServletContext.class);
    jakarta.servlet.FilterRegistration reg = mock(jakarta.servlet.FilterRegistration.class);
    when(filterConfig.getServletContext()).thenReturn(sc);
    when(filterConfig.getFilterName()).thenReturn("auth");
    when(sc.getFilterRegistration("auth")).thenReturn(reg);
    when(reg.getUrlPatternMappings()).thenReturn(java.util.Arrays.asList("/chat/*", null));
    mapped.init(filterConfig);
    try {
      assertThat(InstalledFilters.covers(config, "/chat/room")).isTrue();
      assertThat(InstalledFilters.covers(config, "/ws")).isFalse();
    } finally {
      mapped.destroy();
    }
    assertThat(InstalledFilters.any(config)).isFalse();
  }

  @Test
  void init_withoutPaths_whenTheMappingCannotBeRead_coversNothing_butCounts() {
    jakarta.servlet.FilterConfig noContext = mock(jakarta.servlet.FilterConfig.class);
    jakarta.servlet.FilterConfig noRegistration = mock(jakarta.servlet.FilterConfig.class);
    when(noRegistration.getServletContext()).thenReturn(mock(jakarta.servlet.ServletContext.class));
    jakarta.servlet.FilterConfig broken = mock(jakarta.servlet.FilterConfig.class);
    when(broken.getServletContext()).thenThrow(new IllegalStateException());
    for (jakarta.servlet.FilterConfig fc : java.util.Arrays.asList(noContext, noRegistration, broken, null)) {
      WsAuthFilter filter = new WsAuthFilter(config);
      filter.init(fc);
      try {
        assertThat(InstalledFilters.any(config)).isTrue();
        assertThat(InstalledFilters.covers(config, "/ws")).isFalse();
      } finally {
        filter.destroy();
      }
      assertThat(InstalledFilters.any(config)).isFalse();
    }
  }

  @Test
  void httpRequestWithANonHttpResponse_passesUntouched() throws Exception {
    HttpServletRequest http = upgrade("/chat", null);
    ServletResponse response = mock(ServletResponse.class);
    FilterChain chain = mock(FilterChain.class);
    new WsAuthFilter(config).doFilter(http, response, chain);
    verify(chain).doFilter(http, response);
  }

  @Test
  void anotherProtocolUpgrade_isNoWebSocketAttempt_andPassesUntouched() throws Exception {
    HttpServletRequest h2c = request("GET", "/chat", null, "Host", "localhost", "Upgrade", "h2c",
        "Connection", "Upgrade, HTTP2-Settings");
    HttpServletResponse response = response();
    FilterChain chain = mock(FilterChain.class);
    new WsAuthFilter(config).doFilter(h2c, response, chain);
    verify(chain).doFilter(h2c, response);
    assertThat(answer.reset).isFalse();
    assertThat(answer.status).isEqualTo(200);
  }

  @Test
  void endpointPath_isServletPathPlusPathInfo_eitherMayBeNull() throws Exception {
    for (String[] parts : new String[][] {{null, "/chat"}, {"/chat", null}, {"", "/chat"}}) {
      HttpServletRequest request = upgrade("/chat", null);
      when(request.getServletPath()).thenReturn(parts[0]);
      when(request.getPathInfo()).thenReturn(parts[1]);
      FilterChain chain = mock(FilterChain.class);
      answer.status = 200;
      new WsAuthFilter(config, "/chat").doFilter(request, response(), chain);
      verify(chain, never()).doFilter(any(), any());
      assertThat(answer.status).as(java.util.Arrays.toString(parts)).isEqualTo(401);
    }
    HttpServletRequest root = upgrade("/", null);
    when(root.getServletPath()).thenReturn(null);
    FilterChain chain = mock(FilterChain.class);
    answer.status = 200;
    new WsAuthFilter(config, "/").doFilter(root, response(), chain);
    assertThat(answer.status).as("no servlet path and no path info is /").isEqualTo(401);
  }

  @Test
  void refusal_setsTheContentTypeAndFlushes() throws Exception {
    HttpServletResponse response = response();
    new WsAuthFilter(config).doFilter(upgrade("/chat", null), response, mock(FilterChain.class));
    assertThat(answer.headers).containsEntry("Content-Type", "text/plain;charset=utf-8");
    // The servlet API's own setter, which also sets the response's character encoding; never a raw header.
    verify(response).setContentType("text/plain;charset=utf-8");
    verify(response, never()).addHeader(org.mockito.ArgumentMatchers.eq("Content-Type"), any());
    verify(response).flushBuffer();
  }

  @Test
  void toString_withoutPaths_namesOnlyTheAuthenticator() {
    assertThat(new WsAuthFilter(config).toString()).isEqualTo("WsAuthFilter[" + config.requireHandshake() + "]");
  }
}
