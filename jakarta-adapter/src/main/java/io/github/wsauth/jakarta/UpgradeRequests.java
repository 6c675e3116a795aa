package io.github.wsauth.jakarta;

import java.net.InetSocketAddress;
import java.net.URI;
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
    URI uri = request.getRequestURI();
    String path = uri == null ? null : uri.getRawPath();
    String query = request.getQueryString();
    Object peer = userProperties == null ? null : userProperties.get(REMOTE_ADDRESS_PROPERTY);
    return UpgradeRequest.builder().path(path == null || !path.startsWith("/") ? "/" : path)
        .rawQuery(query != null || uri == null ? query : uri.getRawQuery()).headers(request.getHeaders())
        .remoteAddress(peer instanceof InetSocketAddress address ? address : null).build();
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
      b.remoteAddress(UpgradeRequest.peerAddress(addr, request.getRemotePort()));
    }
    return b.build();
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
