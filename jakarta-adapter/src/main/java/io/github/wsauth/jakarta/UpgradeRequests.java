package io.github.wsauth.jakarta;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.wsauth.UpgradeRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.server.HandshakeRequest;

/**
 * Copies a container's request into a framework-free {@link UpgradeRequest}. The copy is made during the call:
 * Tomcat invalidates its {@code HandshakeRequest} once {@code modifyHandshake} returns.
 */
final class UpgradeRequests {
  /** Where Jetty (and some others) put the peer address in the per-connection user properties. */
  static final String REMOTE_ADDRESS_PROPERTY = "jakarta.websocket.endpoint.remoteAddress";

  private UpgradeRequests() {}

  static UpgradeRequest from(HandshakeRequest request, Map<String, Object> userProperties) {
    UpgradeRequest.Builder b = UpgradeRequest.builder();
    URI uri = request.getRequestURI();
    if (uri != null) {
      String path = uri.getRawPath();
      b.path(path == null || path.isEmpty() || !path.startsWith("/") ? "/" : path);
      b.rawQuery(uri.getRawQuery());
    }
    String query = request.getQueryString();
    if (query != null) {
      b.rawQuery(query);
    }
    Map<String, List<String>> headers = request.getHeaders();
    if (headers != null) {
      headers.forEach((name, values) -> {
        if (name != null && values != null) {
          for (String v : values) {
            if (v != null) {
              b.header(name, v);
            }
          }
        }
      });
    }
    Object remote = userProperties == null ? null : userProperties.get(REMOTE_ADDRESS_PROPERTY);
    if (remote instanceof InetSocketAddress address) {
      b.remoteAddress(address);
    }
    return b.build();
  }

  static UpgradeRequest from(HttpServletRequest request) {
    UpgradeRequest.Builder b = UpgradeRequest.builder();
    String path = request.getRequestURI();
    b.path(path == null || !path.startsWith("/") ? "/" : path);
    b.rawQuery(request.getQueryString());
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      Enumeration<String> values = request.getHeaders(name);
      while (values != null && values.hasMoreElements()) {
        String v = values.nextElement();
        if (v != null) {
          b.header(name, v);
        }
      }
    }
    String addr = request.getRemoteAddr();
    if (addr != null) {
      b.remoteAddress(socketAddress(addr, Math.max(0, request.getRemotePort())));
    }
    return b.build();
  }

  /**
   * The peer as a socket address. An IP literal is parsed; anything else (a host name from a container with
   * lookups on, or whatever a proxy header put there) stays unresolved: no name is ever looked up from a request.
   * Between brackets {@link InetAddress#getByName} accepts only an IPv6 literal and never resolves a name; an
   * address with a dot and no colon is tried as the IPv4-mapped {@code [::ffff:a.b.c.d]}, which it returns as the
   * IPv4 address (and refuses for anything but a dotted quad).
   */
  static InetSocketAddress socketAddress(String addr, int port) {
    String literal;
    if (addr.contains(":")) {
      literal = addr.startsWith("[") ? addr : "[" + addr + "]";
    } else if (addr.contains(".")) {
      literal = "[::ffff:" + addr + "]";
    } else {
      return InetSocketAddress.createUnresolved(addr, port);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(literal), port);
    } catch (UnknownHostException e) {
      return InetSocketAddress.createUnresolved(addr, port);
    }
  }

  /**
   * Why the request's path and query do not form a valid {@link URI}, or null if they do. Every container must
   * build one for {@code HandshakeRequest.getRequestURI()}, and Tomcat's {@code WsHandshakeRequest} throws (a 500)
   * when it cannot: {@code ?x=%ZZ}, {@code ?x=%}. The scheme and authority are fixed here; Tomcat uses its own.
   */
  static String uriProblem(HttpServletRequest request) {
    return uriProblem(request.getRequestURI(), request.getQueryString());
  }

  static String uriProblem(String path, String query) {
    // One parse for a valid request (about a microsecond, against a handshake of hundreds); the path alone is
    // parsed only to name what failed.
    String base = "ws://localhost" + Objects.toString(path, "");
    String target = base;
    if (query != null) {
      target = base + "?" + query;
    }
    if (isUri(target)) {
      return null;
    }
    return isUri(base) ? "malformed query string" : "malformed request target";
  }

  private static boolean isUri(String s) {
    try {
      new URI(s);
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * A cheap over-approximation of {@link io.github.wsauth.internal.WebSocketHandshake#isUpgradeAttempt}: an {@code
   * Upgrade} header or any {@code Sec-WebSocket-*} header. False means the request is certainly not an attempt.
   */
  static boolean mayBeUpgradeAttempt(HttpServletRequest request) {
    if (request.getHeader("Upgrade") != null) {
      return true;
    }
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      if (name != null && name.regionMatches(true, 0, "sec-websocket-", 0, 14)) {
        return true;
      }
    }
    return false;
  }

  /** The first {@code Sec-WebSocket-Key} of a handshake request, or null. */
  static String webSocketKey(HandshakeRequest request) {
    Map<String, List<String>> headers = request.getHeaders();
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if ("Sec-WebSocket-Key".equalsIgnoreCase(e.getKey()) && e.getValue() != null && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }
}
