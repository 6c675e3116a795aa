package io.github.wsauth.jakarta;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

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
   * The peer as a socket address. An IP literal is parsed (no DNS lookup happens for a literal); anything else,
   * e.g. a host name from a container with lookups on, stays unresolved rather than trigger a lookup here.
   */
  static InetSocketAddress socketAddress(String addr, int port) {
    if (isIpLiteral(addr)) {
      try {
        return new InetSocketAddress(InetAddress.getByName(addr), port);
      } catch (UnknownHostException e) {
        // Not a literal after all: fall through to an unresolved address.
      }
    }
    return InetSocketAddress.createUnresolved(addr, port);
  }

  private static boolean isIpLiteral(String addr) {
    if (addr.isEmpty() || addr.length() > 45) {
      return false;
    }
    boolean v6 = addr.indexOf(':') >= 0;
    for (int i = 0; i < addr.length(); i++) {
      char c = addr.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || c == '.'
          || (v6 && (c == ':' || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '[' || c == ']'));
      if (!ok) {
        return false;
      }
    }
    return true;
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
    if (path != null && path.startsWith("/") && isPlain(path, PATH_CHARS) && (query == null
        || isPlain(query, QUERY_CHARS))) {
      return null; // what java.net.URI accepts in any case: no copy, no parse (the hot path of a valid request)
    }
    String base = "ws://localhost" + (path == null ? "" : path);
    // One parse on the path every valid request takes; the path alone is parsed only to name what failed.
    if (isUri(query == null ? base : base + "?" + query)) {
      return null;
    }
    return isUri(base) ? "malformed query string" : "malformed request target";
  }

  /**
   * Path characters that {@link URI} accepts after an authority (RFC 2396 {@code pchar} and {@code /}): unreserved,
   * {@code ;:@&=+$,} and {@code /}. {@code %} is checked apart: it must start an escape.
   */
  private static final long[] PATH_CHARS = asciiSet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
      + "-_.!~*'();:@&=+$,/");
  /** Query characters that {@link URI} accepts (RFC 2396 {@code uric}): the path's and {@code ?}. */
  private static final long[] QUERY_CHARS = asciiSet("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
      + "-_.!~*'();:@&=+$,/?");

  private static long[] asciiSet(String chars) {
    long[] set = new long[2];
    for (int i = 0; i < chars.length(); i++) {
      char c = chars.charAt(i);
      set[c >> 6] |= 1L << c;
    }
    return set;
  }

  /**
   * Whether {@code s} has only characters of {@code allowed} and escapes {@code %XX} (two hex digits): then
   * {@link URI} parses it. False says nothing: the caller parses.
   */
  private static boolean isPlain(String s, long[] allowed) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= n || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (c >= 128 || (allowed[c >> 6] & (1L << c)) == 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
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
