package io.github.wsauth.jakarta;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.AuthDecision;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.UpgradeRequest;
import io.github.wsauth.internal.Subprotocols;
import io.github.wsauth.internal.WebSocketHandshake;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * A {@link ServerEndpointConfig.Configurator} that authenticates the WebSocket handshake and puts the {@link
 * Identity} into the per-connection user properties under {@link JakartaWsAuth#IDENTITY_KEY}, where {@link
 * JakartaWsAuth#identity(jakarta.websocket.Session)} finds it.
 *
 * <p>Programmatic endpoint:
 * <pre>{@code
 * ServerEndpointConfig sec = ServerEndpointConfig.Builder.create(ChatEndpoint.class, "/chat")
 *     .subprotocols(List.of("chat"))
 *     .configurator(new WsAuthConfigurator(config))
 *     .build();
 * serverContainer.addEndpoint(sec);
 * }</pre>
 * Annotated endpoint: subclass with a no-argument constructor and name it in the annotation:
 * <pre>{@code
 * public final class AuthConfigurator extends WsAuthConfigurator {
 *   public AuthConfigurator() { super(App.WSAUTH_CONFIG); }
 * }
 * @ServerEndpoint(value = "/chat", configurator = AuthConfigurator.class)
 * public class ChatEndpoint { ... }
 * }</pre>
 *
 * <p>What it does, in the container's order:
 * <ul>
 *   <li>{@code checkOrigin} applies the {@link io.github.wsauth.OriginPolicy} (containers answer 403). On a servlet
 *       container (Tomcat, Jetty) it also refuses (403) a handshake that no {@link WsAuthFilter} is in front of,
 *       whatever its credential, and logs why: a refusal from {@code modifyHandshake} would be the container's 500
 *       with a SEVERE record per handshake. Found by a stack walk for a servlet filter chain, made only when the
 *       thread holds no filter's scope and never on Tyrus, so a correctly wired handshake pays one thread-local
 *       read;</li>
 *   <li>{@code getNegotiatedSubprotocol} selects the server's first preferred application subprotocol the client
 *       offered, and never a token entry: one that starts with the prefix of the handshake authenticator's
 *       subprotocol extractor or with {@code authorization.bearer.} ({@link
 *       HandshakeAuthenticator#withoutTokenEntries}), even if a delegate configurator chooses it;</li>
 *   <li>{@code modifyHandshake} takes the decision {@link WsAuthFilter} made for this very handshake under this
 *       very configuration if there is one (so a single-use token is verified once); a decision made under another
 *       {@link JakartaAuthConfig} instance is refused (403) and logged, never trusted. A handshake that a filter of
 *       this configuration is installed for but did not decide (the filter runs after the upgrade) is refused (503)
 *       and logged. Otherwise it copies the {@code HandshakeRequest} into an {@link io.github.wsauth.UpgradeRequest}
 *       during the call, checks the opening handshake's headers (so a token is consumed only by a request that
 *       will be upgraded) and authenticates it. A rejection here cannot be
 *       answered with a status portably: on Tyrus it becomes the right HTTP status; on another container the
 *       upgrade fails with the container's error status (see {@link HandshakeRejectedException}) and the endpoint
 *       is never created (Tomcat and Jetty without the filter never get here: {@code checkOrigin} refused).</li>
 * </ul>
 * Wrap your own configurator with {@link #WsAuthConfigurator(JakartaAuthConfig, ServerEndpointConfig.Configurator)}:
 * it is consulted after wsauth (its {@code modifyHandshake} already sees the identity), and creates the endpoint.
 *
 * <p>Wiring problems (a decision across configurations, a filter behind the upgrade or missing) are logged in one line, at most once a minute per configurator.
 *
 * <p>Thread-safe and stateless per request: containers share one configurator across all handshakes of an
 * endpoint, so nothing about a request is kept in a field. If a container handed {@code modifyHandshake} a user
 * property map shared between connections, wsauth would find another connection's identity in it and refuse the
 * handshake (fail closed) rather than let identities cross.
 */
public class WsAuthConfigurator extends ServerEndpointConfig.Configurator {
  private static final Logger LOG = System.getLogger(WsAuthConfigurator.class.getName());
  /** Wiring problems, logged at most once a minute per configurator (clients must not flood the logs). */
  private final RateLimitedLog wiring = new RateLimitedLog(LOG);
  private static final String MISCONFIGURED = "authentication misconfigured";
  private static final String INSTALL = "install it with WsAuthFilter.install(servletContext, config, \"/path\")"
      + " from a ServletContextListener (Tomcat) or the WebSocket configure callback (Jetty 12)";
  private static final String JETTY_BEHIND = "on Jetty 12 a filter added with context.addFilter runs after"
      + " WebSocketUpgradeFilter";

  private final JakartaAuthConfig config;
  private final ServerEndpointConfig.Configurator delegate;
  /** The delegate, or a plain configurator, which defers to the container's default. */
  private final ServerEndpointConfig.Configurator next;
  private final boolean authenticateHandshake;
  /** Which container this runs in, found once: a fact about the deployment, not about any request. */
  private volatile Boolean onTyrus;

  /** A configurator that authenticates with {@code config}'s handshake authenticator. */
  public WsAuthConfigurator(JakartaAuthConfig config) {
    this(config, null);
  }

  /**
   * A configurator that authenticates with {@code config}'s handshake authenticator and then consults {@code
   * delegate} (may be null for the container's default).
   */
  public WsAuthConfigurator(JakartaAuthConfig config, ServerEndpointConfig.Configurator delegate) {
    this(config, delegate, true);
    config.requireHandshake();
  }

  WsAuthConfigurator(JakartaAuthConfig config, ServerEndpointConfig.Configurator delegate,
      boolean authenticateHandshake) {
    this.config = Objects.requireNonNull(config, "config must not be null");
    this.delegate = delegate;
    this.next = delegate != null ? delegate : new ServerEndpointConfig.Configurator();
    this.authenticateHandshake = authenticateHandshake;
  }

  /** The configuration. */
  public final JakartaAuthConfig config() {
    return config;
  }

  @Override
  public boolean checkOrigin(String originHeaderValue) {
    if (originCheckDeferred()) {
      // Tyrus answers a failed checkOrigin with a 403 that has no length and keeps the connection open, so
      // clients wait for a body that never comes: check in modifyHandshake instead, where we write the answer.
      return delegate == null || delegate.checkOrigin(originHeaderValue);
    }
    if (authenticateHandshake && !Handoff.filterInFront() && ServletFrames.onStack()) {
      // A servlet container with no WsAuthFilter in front of this handshake: the configurator could only make it
      // fail with the container's 500 (and, on Tomcat, a SEVERE log line per handshake). Containers answer a false
      // checkOrigin with a clean 403 before modifyHandshake, so refuse here: nothing verified, nothing consumed.
      logNoFilterInFront();
      return false;
    }
    boolean allowed = config.originPolicy().allows(originHeaderValue == null ? List.of() : List.of(originHeaderValue));
    return allowed && (delegate == null || delegate.checkOrigin(originHeaderValue));
  }

  @Override
  public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
    // Token entries are those of the authenticator's own extractor prefixes (and the default one): never selectable.
    List<String> offered = withoutTokenEntries(requested);
    List<String> mine = config.handshake().map(HandshakeAuthenticator::subprotocols).filter(l -> !l.isEmpty())
        .orElse(withoutTokenEntries(supported));
    if (delegate != null) {
      String chosen = delegate.getNegotiatedSubprotocol(mine, offered);
      return chosen == null || !offered.contains(chosen) ? "" : chosen;
    }
    return Objects.toString(Subprotocols.select(mine, offered), "");
  }

  private List<String> withoutTokenEntries(List<String> protocols) {
    return config.handshake().map(h -> h.withoutTokenEntries(protocols)).orElseGet(() ->
        Subprotocols.withoutTokenEntries(protocols, List.of(CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX)));
  }

  @Override
  public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
    return next.getNegotiatedExtensions(installed, requested);
  }

  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
    return next.getEndpointInstance(endpointClass);
  }

  @Override
  public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    try {
      decide(sec, request, response);
    } catch (HandshakeRejectedException e) {
      if (!Handoff.filterInFront() && !MISCONFIGURED.equals(e.rejected().reason())) {
        wiring.log(Level.WARNING, "wsauth refused a WebSocket handshake for " + sec.getPath() + " in its configurator"
            + " with no WsAuthFilter in front of the upgrade, so the container answers with its own error status"
            + " (Tomcat and Jetty: 500) and may log it; install the filter with WsAuthFilter.install(servletContext,"
            + " config, \"" + sec.getPath() + "\") for a clean 400/401/403/503");
      }
      throw e;
    }
  }

  private void decide(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    if (originCheckDeferred()
        && !config.originPolicy().allows(UpgradeRequests.from(request, sec.getUserProperties()))) {
      throw ContainerRejection.reject(response, new AuthDecision.Rejected(403, List.of(), "origin not allowed"));
    }
    if (authenticateHandshake) {
      Identity identity = authenticate(sec, request, response);
      Object previous = sec.getUserProperties().putIfAbsent(JakartaWsAuth.IDENTITY_KEY, identity);
      if (previous != null) {
        // A fresh per-connection copy never holds our key: this map is shared between connections.
        LOG.log(Level.ERROR, "the container shares user properties between connections; refusing the handshake");
        throw ContainerRejection.reject(response,
            new AuthDecision.Rejected(503, List.of(), "authentication temporarily unavailable"));
      }
    }
    next.modifyHandshake(sec, request, response);
  }

  private void logNoFilterInFront() {
    if (InstalledFilters.any(config)) {
      wiring.log(Level.ERROR, "wsauth refused a WebSocket handshake with 403: the WsAuthFilter installed for this"
          + " configuration did not run before the container's upgrade of this endpoint (" + JETTY_BEHIND + "; or the"
          + " endpoint's path is not one the filter is installed for); " + INSTALL);
    } else {
      wiring.log(Level.ERROR, "wsauth refused a WebSocket handshake with 403: no WsAuthFilter ran in front of the"
          + " container's upgrade of an endpoint whose WsAuthConfigurator authenticates the handshake, and on a"
          + " servlet container the configurator alone cannot answer a refusal cleanly, so every handshake is"
          + " refused; " + INSTALL);
    }
  }

  private Identity authenticate(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    // The hot path (the filter decided): a key lookup, no copy of the request.
    URI uri = request.getRequestURI();
    Handoff.Claim claim = Handoff.claim(config, UpgradeRequests.webSocketKey(request),
        uri == null ? null : uri.getRawPath());
    if (claim.kind() == Handoff.Claim.Kind.ACCEPTED) {
      return claim.identity();
    }
    if (claim.kind() == Handoff.Claim.Kind.FOREIGN) {
      wiring.log(Level.WARNING, "wsauth refused a WebSocket handshake for " + sec.getPath() + ": WsAuthFilter"
          + " accepted it under another configuration than this endpoint's WsAuthConfigurator; a decision is"
          + " never trusted across configurations (map each filter to its own endpoints: WsAuthFilter.install)");
      throw ContainerRejection.reject(response,
          new AuthDecision.Rejected(403, List.of(), "not authenticated for this endpoint"));
    }
    if (claim.kind() == Handoff.Claim.Kind.NONE && InstalledFilters.covers(config, sec.getPath())) {
      // Our filter is installed for this endpoint yet did not run before the upgrade (Jetty 12 with
      // context.addFilter puts it behind WebSocketUpgradeFilter): refuse rather than decide without it.
      wiring.log(Level.ERROR, "wsauth refused a WebSocket handshake for " + sec.getPath() + ": the WsAuthFilter"
          + " installed for it did not run before the container's upgrade (" + JETTY_BEHIND + "); " + INSTALL);
      throw ContainerRejection.reject(response, new AuthDecision.Rejected(503, List.of(), MISCONFIGURED));
    }
    UpgradeRequest upgrade = UpgradeRequests.from(request, sec.getUserProperties());
    // The container routed a GET upgrade here (the Jakarta API shows neither method nor HTTP version); check the
    // handshake headers before the credential, so a token is consumed only by a request that will be upgraded.
    Optional<WebSocketHandshake.Invalid> invalid = WebSocketHandshake.check("GET", "HTTP/1.1", upgrade);
    if (invalid.isPresent()) {
      throw ContainerRejection.reject(response, invalid.get().rejected());
    }
    AuthDecision decision = config.requireHandshake().authenticate(upgrade);
    if (decision instanceof AuthDecision.Rejected rejected) {
      throw ContainerRejection.reject(response, rejected);
    }
    return ((AuthDecision.Accepted) decision).identity();
  }

  /** Whether this runs on Tyrus (its default configurator is Tyrus'), where the origin is checked late. */
  private boolean originCheckDeferred() {
    Boolean deferred = onTyrus;
    if (deferred == null) {
      try {
        deferred = getContainerDefaultConfigurator().getClass().getName().startsWith("org.glassfish.tyrus.");
      } catch (RuntimeException e) {
        deferred = false;
      }
      onTyrus = deferred;
    }
    return deferred;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + config + (delegate != null ? ", delegate=" + delegate : "") + "]";
  }
}
