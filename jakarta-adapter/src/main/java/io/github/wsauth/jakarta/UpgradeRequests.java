package io.github.wsauth.jakarta;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import io.github.wsauth.UpgradeRequest;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.websocket.server.HandshakeRequest;

/**
 * Copies a container's request into a framework-free {@link UpgradeRequest}. The copy is made during the call:
 * Tomcat invalidates its {@code HandshakeRequest} once {@code modifyHandshake} returns.
 */
final class UpgradeRequests {
  /** Where Jetty (and some others) put the peer address in the per-connection user properties. */
  static final String REMOTE_ADDRESS_PROPERTY = "jakarta.websocket.endpoint.remoteAddress";

  /** Jetty 12 (ee11, then ee10): its servlet requests find their core request, whose tunnel has the protocol. */
  private static final TunnelLookup JETTY = new TunnelLookup(List.of(
      "org.eclipse.jetty.ee11.servlet.ServletContextRequest", "org.eclipse.jetty.ee10.servlet.ServletContextRequest"),
      "org.eclipse.jetty.server.Request", "org.eclipse.jetty.server.TunnelSupport");

  private UpgradeRequests() {}

  /**
   * The {@code :protocol} pseudo-header of an HTTP/2 extended {@code CONNECT} (RFC 8441), with which browsers open
   * a WebSocket over HTTP/2 when the server allows it (Jetty 12 does by default with HTTP/2 on). The servlet API
   * does not show it: it is read from Jetty's own request ({@code getTunnelSupport().getProtocol()}) by reflection,
   * so this module does not depend on Jetty. Null for any other method, on any other container (Tomcat does not
   * bootstrap WebSockets over HTTP/2), or when it cannot be read; the handshake check then refuses the CONNECT.
   */
  static String connectProtocol(HttpServletRequest request) {
    return connectProtocol(request, JETTY);
  }

  /** {@link #connectProtocol(HttpServletRequest)}, reading the container's request as {@code lookup} says. */
  static String connectProtocol(HttpServletRequest request, TunnelLookup lookup) {
    if (!"CONNECT".equals(request.getMethod())) {
      return null;
    }
    ServletRequest container = request; // the container's own request: its class loader sees the container
    while (container instanceof ServletRequestWrapper wrapper) {
      container = wrapper.getRequest();
    }
    for (Method[] m : lookup.get(container.getClass())) {
      try {
        Object tunnel = m[1].invoke(m[0].invoke(null, request));
        if (tunnel != null) {
          return m[2].invoke(tunnel) instanceof String protocol ? protocol : null;
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        // not a request of this environment (ee10 asked for an ee11 request): try the next one
      }
    }
    return null;
  }

  /**
   * Per container request class, the methods that read the {@code :protocol} of its CONNECT: for each of {@code
   * servletRequests} that its class loader has, that class's static {@code getServletContextRequest(ServletRequest)},
   * then {@code request}'s {@code getTunnelSupport()} and {@code tunnelSupport}'s {@code getProtocol()}.
   */
  static final class TunnelLookup extends ClassValue<List<Method[]>> {
    private final List<String> servletRequests;
    private final String request;
    private final String tunnelSupport;

    TunnelLookup(List<String> servletRequests, String request, String tunnelSupport) {
      this.servletRequests = servletRequests;
      this.request = request;
      this.tunnelSupport = tunnelSupport;
    }

    @Override
    protected List<Method[]> computeValue(Class<?> requestClass) {
      List<Method[]> out = new ArrayList<>();
      ClassLoader loader = requestClass.getClassLoader();
      for (String name : servletRequests) {
        try {
          out.add(new Method[] {
              Class.forName(name, false, loader).getMethod("getServletContextRequest", ServletRequest.class),
              Class.forName(request, false, loader).getMethod("getTunnelSupport"),
              Class.forName(tunnelSupport, false, loader).getMethod("getProtocol")});
        } catch (ReflectiveOperationException | LinkageError e) {
          // not this environment
        }
      }
      return List.copyOf(out);
    }
  }

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
