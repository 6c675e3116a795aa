package io.github.wsauth.jakarta;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Objects;

import io.github.wsauth.AuthDecision;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
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
 * Requests that are not WebSocket upgrades pass through untouched.
 *
 * <p>On success the request continues with the {@link Identity} as its {@code getUserPrincipal()} (Tomcat hands
 * that principal to {@code Session.getUserPrincipal()}) and as the request attribute {@link
 * JakartaWsAuth#IDENTITY_KEY}; the {@link WsAuthConfigurator} of the endpoint takes the filter's decision instead
 * of verifying the token again, so single-use tokens work.
 *
 * <p>Register it programmatically in front of the upgrade:
 * <pre>{@code
 * // Tomcat (WsFilter is added by the WsSci as the last filter; yours runs first):
 * FilterRegistration.Dynamic reg = servletContext.addFilter("wsauth", new WsAuthFilter(config));
 * reg.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/chat/*");
 * // Jetty 12: its WebSocketUpgradeFilter is prepended to the chain; prepend wsauth after it (see docs/JAKARTA.md).
 * }</pre>
 *
 * <p>The body of an error answer is the short public reason; no credential is ever written or logged. Immutable
 * and thread-safe.
 */
public final class WsAuthFilter implements Filter {
  private final HandshakeAuthenticator authenticator;

  /** A filter using {@code config}'s handshake authenticator. */
  public WsAuthFilter(JakartaAuthConfig config) {
    Objects.requireNonNull(config, "config must not be null");
    this.authenticator = config.requireHandshake();
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse httpResponse)
        || !UpgradeRequests.isWebSocketUpgrade(http)) {
      chain.doFilter(request, response);
      return;
    }
    AuthDecision decision = authenticator.authenticate(UpgradeRequests.from(http));
    if (decision instanceof AuthDecision.Rejected rejected) {
      writeRejection(httpResponse, rejected);
      return;
    }
    Identity identity = ((AuthDecision.Accepted) decision).identity();
    http.setAttribute(JakartaWsAuth.IDENTITY_KEY, identity);
    try (Handoff.Scope scope = Handoff.offer(http.getHeader("Sec-WebSocket-Key"), identity)) {
      chain.doFilter(new AuthenticatedRequest(http, identity), response);
    }
  }

  private static void writeRejection(HttpServletResponse response, AuthDecision.Rejected rejected)
      throws IOException {
    if (response.isCommitted()) {
      return;
    }
    response.resetBuffer();
    response.setStatus(rejected.status());
    for (String challenge : rejected.challenges()) {
      response.addHeader("WWW-Authenticate", challenge);
    }
    response.setHeader("Cache-Control", "no-store");
    response.setContentType("text/plain;charset=UTF-8");
    byte[] body = (rejected.reason() + "\n").getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }

  @Override
  public String toString() {
    return "WsAuthFilter[" + authenticator + "]";
  }

  /** The upgrade request, authenticated: its principal is the identity. */
  private static final class AuthenticatedRequest extends HttpServletRequestWrapper {
    private final Identity identity;

    AuthenticatedRequest(HttpServletRequest request, Identity identity) {
      super(request);
      this.identity = identity;
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
  }
}
