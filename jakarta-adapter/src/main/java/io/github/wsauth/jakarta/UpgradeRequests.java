package io.github.wsauth.jakarta;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

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
    URI uri = request.getRequestURI();
    String path = uri == null ? null : uri.getRawPath();
    String query = request.getQueryString();
    Object peer = userProperties == null ? null : userProperties.get(REMOTE_ADDRESS_PROPERTY);
    return UpgradeRequest.builder().path(path == null || !path.startsWith("/") ? "/" : path)
        .rawQuery(query != null || uri == null ? query : uri.getRawQuery()).headers(request.getHeaders())
        .remoteAddress(peer instanceof InetSocketAddress address ? address : null).build();
  }

  static UpgradeRequest from(HttpServletRequest request) {
    String path = request.getRequestURI();
    String addr = request.getRemoteAddr();
    UpgradeRequest.Builder b = UpgradeRequest.builder().path(path == null || !path.startsWith("/") ? "/" : path)
        .rawQuery(request.getQueryString())
        .remoteAddress(addr == null ? null : UpgradeRequest.peerAddress(addr, request.getRemotePort()));
    forEachHeader(request, b::header);
    return b.build();
  }

  /** Every header of a servlet request with its values in order, for the cookie bridge. */
  static Map<String, List<String>> headers(HttpServletRequest request) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    forEachHeader(request, (name, value) -> out.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
    return out;
  }

  /**
   * Hands every header name and value of a servlet request to {@code each}, in order: a container that hides the
   * names (null) gives none, and null names and values are skipped.
   */
  private static void forEachHeader(HttpServletRequest request, BiConsumer<String, String> each) {
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      if (name != null) {
        for (Enumeration<String> values = request.getHeaders(name); values != null && values.hasMoreElements(); ) {
          String v = values.nextElement();
          if (v != null) {
            each.accept(name, v);
          }
        }
      }
    }
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
