package io.github.wsauth.jakarta;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which endpoint paths the initialised {@link WsAuthFilter}s of each configuration cover, so that a {@link
 * WsAuthConfigurator} can tell a handshake the filter should have decided but did not (the filter runs after the
 * upgrade, as on Jetty 12 when it is added with {@code context.addFilter}): it refuses that handshake rather than
 * authenticate it alone. Filters register in {@code init} and leave in {@code destroy}; configurations are compared
 * by identity.
 */
final class InstalledFilters {
  private static final Map<JakartaAuthConfig, List<Registration>> BY_CONFIG = new ConcurrentHashMap<>();

  private InstalledFilters() {}

  /** What one filter covers: its endpoint templates, or else the URL patterns it is mapped to. */
  record Registration(WsAuthFilter filter, List<String> endpointTemplates, List<String> urlPatterns) {
    boolean covers(String endpointPath) {
      if (!endpointTemplates.isEmpty()) {
        return endpointTemplates.contains(endpointPath);
      }
      for (String pattern : urlPatterns) {
        if (EndpointPaths.patternCovers(pattern, endpointPath)) {
          return true;
        }
      }
      return false;
    }
  }

  static void add(JakartaAuthConfig config, Registration registration) {
    BY_CONFIG.compute(config, (c, list) -> {
      List<Registration> out = list == null ? new CopyOnWriteArrayList<>() : list;
      out.add(registration);
      return out;
    });
  }

  /**
   * Forgets one filter; the configuration's entry goes with its last filter, so a context that is undeployed leaves
   * no reference to its configuration here. Atomic with {@link #add}: a filter initialised meanwhile is kept.
   */
  static void remove(JakartaAuthConfig config, WsAuthFilter filter) {
    BY_CONFIG.computeIfPresent(config, (c, list) -> {
      list.removeIf(r -> r.filter() == filter);
      return list.isEmpty() ? null : list;
    });
  }

  /** Whether any filter of {@code config} is initialised. */
  static boolean any(JakartaAuthConfig config) {
    return BY_CONFIG.containsKey(config); // an entry is never empty: it goes with its last filter
  }

  /** Whether a filter of {@code config} covers the endpoint with this path template. */
  static boolean covers(JakartaAuthConfig config, String endpointPath) {
    List<Registration> list = BY_CONFIG.get(config);
    if (list == null) {
      return false;
    }
    for (Registration r : list) {
      if (r.covers(endpointPath)) {
        return true;
      }
    }
    return false;
  }
}
