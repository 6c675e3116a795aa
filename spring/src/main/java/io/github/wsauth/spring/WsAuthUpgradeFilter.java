package io.github.wsauth.spring;

import java.io.IOException;

import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.WsAuthFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The servlet-side check in front of every upgrade of a wsauth path: the Jakarta adapter's {@link WsAuthFilter}
 * (strict parsing of the raw request, real 400/401/403/503 with {@code WWW-Authenticate}), applied to the paths of
 * {@link ProtectedPaths}, known only once the WebSocket registrations ran. Other requests pass untouched.
 */
final class WsAuthUpgradeFilter implements Filter {
  private final ProtectedPaths paths;
  private final WsAuthFilter delegate;

  WsAuthUpgradeFilter(ProtectedPaths paths, JakartaAuthConfig config) {
    this.paths = paths;
    this.delegate = new WsAuthFilter(config);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http && paths.authenticatesHandshake(http)) {
      delegate.doFilter(request, response, chain);
    } else {
      chain.doFilter(request, response);
    }
  }

  @Override
  public String toString() {
    return "WsAuthUpgradeFilter[" + paths.handshakePatterns() + "]";
  }
}
