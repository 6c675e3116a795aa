package io.github.wsauth.jakarta;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
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
    String path = request.getRequestURI();
    String addr = request.getRemoteAddr();
    return UpgradeRequest.builder().path(path == null || !path.startsWith("/") ? "/" : path)
        .rawQuery(request.getQueryString()).headers(headers(request))
        .remoteAddress(addr == null ? null : UpgradeRequest.peerAddress(addr, request.getRemotePort())).build();
  }

  /**
   * Every header of a servlet request with its values in order, for the upgrade request and the cookie bridge: a
   * container that hides the names (null) gives none, and null values are dropped.
   */
  static Map<String, List<String>> headers(HttpServletRequest request) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    Enumeration<String> names = request.getHeaderNames();
    while (names != null && names.hasMoreElements()) {
      String name = names.nextElement();
      if (name != null) {
        List<String> kept = new ArrayList<>();
        for (Enumeration<String> values = request.getHeaders(name); values != null && values.hasMoreElements(); ) {
          String v = values.nextElement();
          if (v != null) {
            kept.add(v);
          }
        }
        out.put(name, kept);
      }
    }
    return out;
  }
}
