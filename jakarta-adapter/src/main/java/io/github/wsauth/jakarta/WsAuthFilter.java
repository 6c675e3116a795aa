package io.github.wsauth.jakarta;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.Principal;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.AuthDecision;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.HttpRejection;
import io.github.wsauth.Identity;
import io.github.wsauth.Redaction;
import io.github.wsauth.UpgradeRequest;
import io.github.wsauth.internal.WebSocketHandshake;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A servlet filter that authenticates WebSocket upgrade requests before the container upgrades them, so a
 * rejected client gets a real HTTP answer: 400 for a malformed credential, 401 with {@code WWW-Authenticate} for a
 * missing or invalid one, 403 for a foreign {@code Origin}, 503 when the token store is down (nothing consumed).
 * Requests that are not WebSocket upgrade attempts pass through untouched.
 *
 * <p>Install it with {@link #install(ServletContext, JakartaAuthConfig, String...)}, on Tomcat and on Jetty 12
 * alike, from code that runs once the container's WebSocket support is initialised (an SCI added after Tomcat's
 * {@code WsSci}, Jetty's {@code JakartaWebSocketServletContainerInitializer.configure} callback):
 * <pre>{@code
 * container.addEndpoint(ServerEndpointConfig.Builder.create(ChatEndpoint.class, "/chat")
 *     .configurator(new WsAuthConfigurator(config)).build());
 * WsAuthFilter.install(servletContext, config, "/chat");
 * }</pre>
 *
 * <p>What it checks, in order, for an upgrade attempt on one of its endpoint paths:
 * <ol>
 *   <li>the RFC 6455 opening handshake ({@code GET}, HTTP/1.1, {@code Upgrade}, {@code Connection}, one valid
 *       {@code Sec-WebSocket-Key}, {@code Sec-WebSocket-Version: 13}): an invalid one is refused (400, 405, or 426
 *       with {@code Sec-WebSocket-Version: 13}) before any credential is read, so a single-use token is consumed
 *       only by a request the container will upgrade; on Jetty 12 with HTTP/2, the extended {@code CONNECT} of RFC
 *       8441 that browsers use there ({@code :protocol websocket}, {@code Sec-WebSocket-Version: 13}) is a valid
 *       handshake too;</li>
 *   <li>the credential and the origin, with {@code config}'s {@link HandshakeAuthenticator}.</li>
 * </ol>
 * On success the request continues with the {@link Identity} as its {@code getUserPrincipal()} (Tomcat hands that
 * principal to {@code Session.getUserPrincipal()}) and as the request attribute {@link JakartaWsAuth#IDENTITY_KEY};
 * the decision is handed to the {@link WsAuthConfigurator} of the endpoint, bound to this configuration and to this
 * request: a configurator of another configuration refuses it, and a configurator of this one takes it instead of
 * verifying the token again, so single-use tokens work.
 *
 * <p>A filter with endpoint paths decides for those paths only; on any other path it mapped to it only stands
 * guard: it lets the endpoint's own configurator decide and turns that configurator's refusal into a clean HTTP
 * answer (instead of the container's 500). A filter created without endpoint paths decides for every path it is
 * mapped to (the behaviour of earlier versions; avoid mapping it to {@code /*} next to endpoints of other
 * configurations, or to paths where no endpoint is: a token would be verified for a request nobody upgrades).
 *
 * <p>Wiring mistakes fail closed with one log line (at most one a minute): an upgrade that this filter accepted
 * but no {@link WsAuthConfigurator} of the same configuration claimed (an endpoint deployed without the
 * configurator) logs an ERROR.
 *
 * <p>The body of an error answer is the short public reason; no credential is ever written or logged. Immutable
 * and thread-safe.
 */
public final class WsAuthFilter implements Filter {
  private static final Logger LOG = System.getLogger(WsAuthFilter.class.getName());

  private final JakartaAuthConfig config;
  private final HandshakeAuthenticator authenticator;
  private final EndpointPaths endpointPaths;
  /** Wiring problems, logged at most once a minute per filter (clients must not flood the logs). */
  private final RateLimitedLog wiring = new RateLimitedLog(LOG);

  /**
   * A filter using {@code config}'s handshake authenticator for the endpoints at {@code endpointPaths} (path
   * templates relative to the context, as given to the container: {@code "/chat"}, {@code "/rooms/{room}"}). With
   * no path it decides for every path it is mapped to.
   */
  public WsAuthFilter(JakartaAuthConfig config, String... endpointPaths) {
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.authenticator = config.requireHandshake();
    this.endpointPaths = EndpointPaths.of(endpointPaths);
  }

  /**
   * Registers a filter for {@code config} in front of the container's WebSocket upgrade, mapped to exactly the
   * endpoints at {@code endpointPaths} (a template segment such as {@code {room}} maps the prefix before it, and
   * the filter matches the rest). Works on Tomcat 10.1+/11 (in front of {@code WsFilter}) and on Jetty 12 ee10 (in
   * front of {@code WebSocketUpgradeFilter}, provided Jetty's WebSocket support is initialised first: call this from
   * the {@code JakartaWebSocketServletContainerInitializer.configure} callback).
   *
   * @param context the servlet context, while it is being initialised
   * @param config the configuration, the same instance as the endpoints' {@link WsAuthConfigurator}
   * @param endpointPaths at least one endpoint path template
   * @return the filter that was registered
   * @throws IllegalStateException if the context is already initialised
   */
  public static WsAuthFilter install(ServletContext context, JakartaAuthConfig config, String... endpointPaths) {
    Objects.requireNonNull(context, "context must not be null");
    if (endpointPaths == null || endpointPaths.length == 0) {
      throw new IllegalArgumentException("name at least one endpoint path, e.g. \"/chat\"");
    }
    WsAuthFilter filter = new WsAuthFilter(config, endpointPaths);
    if (jettyWithoutItsUpgradeFilterYet(context)) {
      LOG.log(Level.WARNING, "wsauth: WsAuthFilter.install ran before Jetty's WebSocket support was initialised, so"
          + " Jetty will put its WebSocketUpgradeFilter in front of wsauth and wsauth will refuse every handshake of "
          + filter.endpointPaths.templates() + "; call install from the"
          + " JakartaWebSocketServletContainerInitializer.configure callback");
    }
    // The first free name of this context: wsauth, wsauth-2, ... (addFilter answers null for a name taken).
    FilterRegistration.Dynamic registration = null;
    for (int n = 1; registration == null; n++) {
      registration = context.addFilter(n == 1 ? "wsauth" : "wsauth-" + n, filter);
    }
    registration.setAsyncSupported(true);
    // isMatchAfter=false: before the filters declared so far and before the container's upgrade filter
    // (Tomcat's WsFilter matches after; Jetty inserts programmatic "before" mappings ahead of its own filter).
    registration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false,
        filter.endpointPaths.urlPatterns());
    return filter;
  }

  /**
   * Whether this is Jetty and its upgrade filter is not registered yet: Jetty will then insert it at the head of
   * the chain, in front of a filter installed now (a start-up warning; the configurator refuses at run time).
   */
  private static boolean jettyWithoutItsUpgradeFilterYet(ServletContext context) {
    try {
      String server = context.getServerInfo();
      return server != null && server.toLowerCase(Locale.ROOT).startsWith("jetty")
          && context.getFilterRegistrations().values().stream().map(FilterRegistration::getClassName)
              .noneMatch(c -> c != null && c.endsWith(".WebSocketUpgradeFilter"));
    } catch (RuntimeException e) {
      return false; // not knowable here: the run-time check still applies
    }
  }

  @Override
  public void init(FilterConfig filterConfig) {
    List<String> patterns = endpointPaths.isEmpty() ? mappedPatterns(filterConfig) : List.of();
    InstalledFilters.add(config, new InstalledFilters.Registration(this, endpointPaths.templates(), patterns));
  }

  /**
   * The URL patterns a filter is mapped to, or none when the container cannot say: no filter configuration,
   * context or registration (each a {@code NullPointerException} here), or a context that refuses the question.
   */
  private static List<String> mappedPatterns(FilterConfig filterConfig) {
    try {
      return EndpointPaths.nonNull(filterConfig.getServletContext()
          .getFilterRegistration(filterConfig.getFilterName()).getUrlPatternMappings());
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  @Override
  public void destroy() {
    InstalledFilters.remove(config, this);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    UpgradeRequest upgrade;
    if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)
        || (http.getHeader("Upgrade") == null // plain HTTP (no copy is made), unless a Sec-WebSocket-* header
            && !WebSocketHandshake.mayBeUpgradeAttempt(http.getHeaderNames()))
        || !WebSocketHandshake.isUpgradeAttempt(upgrade = UpgradeRequests.from(http))) {
      chain.doFilter(request, response);
      return;
    }
    if (!endpointPaths.isEmpty() && !endpointPaths.matches(pathInContext(http))) {
      // Not one of our endpoints: whoever serves it decides; we only answer its configurator's refusal cleanly.
      continueIn(Handoff.guard(config), chain, http, httpResponse);
      return;
    }
    // An HTTP/2 extended CONNECT (RFC 8441) is checked with its :protocol, which only Jetty's request shows.
    Optional<WebSocketHandshake.Invalid> invalid = WebSocketHandshake.check(http.getMethod(), http.getProtocol(),
        UpgradeRequests.connectProtocol(http), upgrade);
    if (invalid.isPresent()) {
      // Refused before the credential is read: nothing is consumed by a request the container would not upgrade.
      write(httpResponse, invalid.get().rejected());
      return;
    }
    // The container builds a java.net.URI for its HandshakeRequest after this filter; Tomcat answers 500 when it
    // cannot (?x=%ZZ), after the credential was used up: refused here, with nothing consumed (item 6).
    String uriProblem = WebSocketHandshake.uriProblem(http.getRequestURI(), http.getQueryString());
    AuthDecision decision = uriProblem == null ? authenticator.authenticate(upgrade)
        : authenticator.rejectMalformed(upgrade, uriProblem);
    if (decision instanceof AuthDecision.Rejected rejected) {
      write(httpResponse, rejected);
      return;
    }
    Identity identity = ((AuthDecision.Accepted) decision).identity();
    http.setAttribute(JakartaWsAuth.IDENTITY_KEY, identity);
    continueIn(Handoff.offer(config, http.getHeader("Sec-WebSocket-Key"), http.getRequestURI(), identity), chain,
        new AuthenticatedRequest(http, identity, authenticator), httpResponse);
  }

  /**
   * Runs the rest of the chain in a hand-off scope (a decision, or a guard); an upgrade that no wsauth configurator
   * claimed is logged.
   */
  private void continueIn(Handoff scope, FilterChain chain, HttpServletRequest http, HttpServletResponse response)
      throws IOException, ServletException {
    try (scope) {
      guarded(chain, http, response);
      if (!scope.claimed() && upgraded(http, response)) {
        wiring.log(Level.ERROR, !scope.decided()
            ? "wsauth: a WebSocket endpoint that is not one of this WsAuthFilter's endpoints " + endpointPaths.templates()
                + " was upgraded with no wsauth check at all (it has no WsAuthConfigurator); deploy it with"
                + " configurator=WsAuthConfigurator and name it in WsAuthFilter.install"
            : "wsauth: the WebSocket upgrade of " + endpointTemplateFor(http) + " was accepted by WsAuthFilter but no"
                + " WsAuthConfigurator of the same configuration ran: that endpoint is deployed without"
                + " configurator=WsAuthConfigurator, so it gets no wsauth identity; fix its deployment");
      }
    }
  }

  /**
   * Whether the container upgraded the request: 101 Switching Protocols, or 200 to an HTTP/2 extended CONNECT
   * (RFC 8441 §5, the stream is the WebSocket).
   */
  private static boolean upgraded(HttpServletRequest http, HttpServletResponse response) {
    int status = response.getStatus();
    return status == HttpServletResponse.SC_SWITCHING_PROTOCOLS
        || status == HttpServletResponse.SC_OK && "CONNECT".equals(http.getMethod());
  }

  /** Runs the rest of the chain; a configurator's refusal, thrown as is or wrapped by the container, is answered. */
  private static void guarded(FilterChain chain, HttpServletRequest request, HttpServletResponse response)
      throws IOException, ServletException {
    try {
      chain.doFilter(request, response);
    } catch (ServletException | RuntimeException e) {
      Throwable t = e;
      for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
        if (t instanceof HandshakeRejectedException r) {
          write(response, r.rejected());
          return;
        }
      }
      throw e;
    }
  }

  /**
   * The endpoint a decided request was for, as the log names it: the template of ours it matches (a filter with
   * endpoint paths decides only for those), else a filter without endpoint paths decided for its mapping. The
   * request path itself is never logged: it is the client's text.
   */
  private String endpointTemplateFor(HttpServletRequest http) {
    String template = endpointPaths.matching(pathInContext(http));
    return template != null ? template : "a path this filter is mapped to";
  }

  /** The decoded path relative to the context, as the containers match endpoints. */
  private static String pathInContext(HttpServletRequest http) {
    String servletPath = http.getServletPath();
    String pathInfo = http.getPathInfo();
    String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    return path.isEmpty() ? "/" : path;
  }

  /** Writes core's rendering of the refusal; {@code Content-Length} is added for framing. */
  private static void write(HttpServletResponse response, AuthDecision.Rejected rejected) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    HttpRejection answer = rejected.httpResponse();
    // reset(), not resetBuffer(): a container may already have set Upgrade and Sec-WebSocket-Accept.
    response.reset();
    response.setStatus(answer.status());
    for (HttpRejection.Header header : answer.headers()) {
      if (header.name().equalsIgnoreCase("Content-Type")) {
        response.setContentType(header.value());
      } else {
        response.addHeader(header.name(), header.value());
      }
    }
    byte[] body = answer.bodyBytes();
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  @Override
  public String toString() {
    return "WsAuthFilter[" + authenticator + (endpointPaths.isEmpty() ? "" : ", " + endpointPaths.templates()) + "]";
  }

  /**
   * The upgrade request, authenticated: its principal is the identity, and the credential's query parameters are
   * masked ({@link HandshakeAuthenticator#redactQuery}) in its query string and parameters, so the handshake request
   * the container builds from it (Tomcat's {@code Session.getQueryString()}, {@code getRequestURI()} and request
   * parameter map; Spring's session URI) and what the framework logs do not carry the token.
   */
  private static final class AuthenticatedRequest extends HttpServletRequestWrapper {
    private final Identity identity;
    private final HandshakeAuthenticator authenticator;
    /** Masked once: containers ask for the query several times per handshake. */
    private final String maskedQuery;

    AuthenticatedRequest(HttpServletRequest request, Identity identity, HandshakeAuthenticator authenticator) {
      super(request);
      this.identity = identity;
      this.authenticator = authenticator;
      this.maskedQuery = authenticator.redactQuery(request.getQueryString());
    }

    @Override
    public Principal getUserPrincipal() {
      return identity;
    }

    @Override
    public String getRemoteUser() {
      return identity.subject();
    }

    @Override
    public String getAuthType() {
      return "WSAUTH";
    }

    @Override
    public String getQueryString() {
      return maskedQuery;
    }

    @Override
    public String getParameter(String name) {
      String value = super.getParameter(name);
      return value != null && authenticator.credentialParameters().contains(name) ? Redaction.MASK : value;
    }

    @Override
    public String[] getParameterValues(String name) {
      String[] values = super.getParameterValues(name);
      return values != null && authenticator.credentialParameters().contains(name) ? masked(values.length) : values;
    }

    @Override
    public Map<String, String[]> getParameterMap() {
      Map<String, String[]> map = super.getParameterMap();
      if (Collections.disjoint(map.keySet(), authenticator.credentialParameters())) {
        return map;
      }
      Map<String, String[]> out = new LinkedHashMap<>(map);
      out.replaceAll((name, values) -> authenticator.credentialParameters().contains(name) ? masked(values.length)
          : values);
      return Collections.unmodifiableMap(out);
    }

    private static String[] masked(int n) {
      String[] out = new String[n];
      Arrays.fill(out, Redaction.MASK);
      return out;
    }
  }
}
