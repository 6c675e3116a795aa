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
    return matches(handshake, path(request));
  }

  /** Whether wsauth takes care of this request (Spring Security ignores it). */
  boolean covers(HttpServletRequest request) {
    PathContainer path = path(request);
    return matches(handshake, path) || matches(later, path);
  }

  /** The handshake paths, for messages. */
  List<String> handshakePatterns() {
    return handshake.stream().map(PathPattern::getPatternString).toList();
  }

  /** The request's path within the context, or null when it has none or it does not decode (nobody routes it). */
  private static PathContainer path(HttpServletRequest request) {
    String uri = request.getRequestURI();
    if (uri == null) {
      return null;
    }
    String context = request.getContextPath();
    String path = context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length())
        : uri;
    try {
      return PathContainer.parsePath(path.isEmpty() ? "/" : path);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean matches(List<PathPattern> patterns, PathContainer path) {
    if (path != null) {
      for (PathPattern p : patterns) {
        if (p.matches(path)) {
          return true;
        }
      }
    }
    return false;
  }
}
