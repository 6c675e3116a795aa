package io.github.wsauth.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The paths wsauth takes care of: those whose upgrade the filter authenticates (WebSocketHandler registrations,
 * {@code @ServerEndpoint} endpoints) and those that authenticate later (STOMP), which Spring Security leaves alone.
 * Filled while the context starts, read for every request. Thread-safe.
 */
final class ProtectedPaths {
  private final List<PathPattern> handshake = new CopyOnWriteArrayList<>();
  private final List<PathPattern> later = new CopyOnWriteArrayList<>();

  /** Paths whose upgrade request the filter authenticates. */
  void authenticateHandshake(String... paths) {
    for (String p : paths) {
      handshake.add(parse(p));
    }
  }

  /** Paths that authenticate after the upgrade (STOMP CONNECT). */
  void authenticateLater(List<String> paths) {
    for (String p : paths) {
      later.add(parse(p));
    }
  }

  private static PathPattern parse(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("a WebSocket path starts with '/': " + path);
    }
    return PathPatternParser.defaultInstance.parse(path);
  }

  /** Whether the filter authenticates this request's upgrade. */
  boolean authenticatesHandshake(HttpServletRequest request) {
    return matches(handshake, request);
  }

  /** Whether wsauth takes care of this request (Spring Security ignores it). */
  boolean covers(HttpServletRequest request) {
    return matches(handshake, request) || matches(later, request);
  }

  /** The handshake paths, for messages. */
  List<String> handshakePatterns() {
    return handshake.stream().map(PathPattern::getPatternString).toList();
  }

  private static boolean matches(List<PathPattern> patterns, HttpServletRequest request) {
    if (patterns.isEmpty()) {
      return false;
    }
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    if (uri == null) {
      return false;
    }
    String path = context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length())
        : uri;
    PathContainer container;
    try {
      container = PathContainer.parsePath(path.isEmpty() ? "/" : path);
    } catch (RuntimeException e) {
      return false; // undecodable: nobody routes it either
    }
    for (PathPattern p : patterns) {
      if (p.matches(container)) {
        return true;
      }
    }
    return false;
  }
}
