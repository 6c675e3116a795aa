package io.github.wsauth.jakarta;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The endpoint paths a {@link WsAuthFilter} decides for: Jakarta WebSocket path templates relative to the context
 * ({@code /chat}, {@code /rooms/{room}}), matched segment by segment as the containers match them, and the servlet
 * URL patterns that cover exactly those paths. Immutable.
 */
final class EndpointPaths {
  private final List<String> templates;

  private EndpointPaths(List<String> templates) {
    this.templates = templates;
  }

  /** Validates the templates: each starts with '/', has no query, no empty or dot segments. */
  static EndpointPaths of(String... paths) {
    Objects.requireNonNull(paths, "endpoint paths must not be null");
    Set<String> out = new LinkedHashSet<>();
    for (String p : paths) {
      Objects.requireNonNull(p, "an endpoint path must not be null");
      if (!p.startsWith("/") || p.contains("?") || p.contains("#") || p.contains("*")
          || p.contains("//") || p.contains("/./") || p.contains("/../") || p.endsWith("/.") || p.endsWith("/..")) {
        throw new IllegalArgumentException("an endpoint path must be a path template such as /chat or /rooms/{room}");
      }
      out.add(p);
    }
    return new EndpointPaths(List.copyOf(out));
  }

  boolean isEmpty() {
    return templates.isEmpty();
  }

  List<String> templates() {
    return templates;
  }

  /** Whether a request path (decoded, relative to the context) is one of the endpoints. */
  boolean matches(String path) {
    return matching(path) != null;
  }

  /** The first template that a request path (decoded, relative to the context) matches, or null. */
  String matching(String path) {
    for (String t : templates) {
      if (path != null && matches(t, path)) {
        return t;
      }
    }
    return null;
  }

  /** Segment by segment; a template without a variable matches exactly its own text (every segment equal). */
  private static boolean matches(String template, String path) {
    String[] t = template.split("/", -1);
    String[] p = path.split("/", -1);
    if (t.length != p.length) {
      return false;
    }
    for (int i = 0; i < t.length; i++) {
      boolean variable = t[i].startsWith("{") && t[i].endsWith("}");
      if (variable ? p[i].isEmpty() : !t[i].equals(p[i])) {
        return false;
      }
    }
    return true;
  }

  /** The servlet URL patterns covering the endpoints: the exact path, or the prefix before a template segment. */
  String[] urlPatterns() {
    Set<String> out = new LinkedHashSet<>();
    for (String t : templates) {
      int brace = t.indexOf('{');
      if (brace < 0) {
        out.add(t);
      } else {
        String prefix = t.substring(0, t.lastIndexOf('/', brace));
        out.add(prefix + "/*");
      }
    }
    return out.toArray(String[]::new);
  }

  /** Whether a servlet URL pattern (Servlet 6.1 §12.2) covers the endpoint path template {@code template}. */
  static boolean patternCovers(String pattern, String template) {
    if (pattern == null || template == null) {
      return false;
    }
    if (pattern.equals("/*") || pattern.equals("/") || pattern.equals(template)) {
      return true;
    }
    if (pattern.endsWith("/*")) {
      String prefix = pattern.substring(0, pattern.length() - 2);
      return template.equals(prefix) || template.startsWith(prefix + "/");
    }
    if (pattern.startsWith("*.")) {
      return template.endsWith(pattern.substring(1));
    }
    return false;
  }

  static List<String> nonNull(Iterable<String> patterns) {
    List<String> out = new ArrayList<>();
    if (patterns != null) {
      for (String p : patterns) {
        if (p != null) {
          out.add(p);
        }
      }
    }
    return out;
  }
}
