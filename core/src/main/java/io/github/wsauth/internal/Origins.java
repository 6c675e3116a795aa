package io.github.wsauth.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Origin canonicalisation (RFC 6454 §6.2): the one definition behind {@code OriginPolicy}, the adapters' cookie
 * bridge and their configuration checks, so an origin compares equal everywhere or nowhere.
 *
 * <p>Internal: shared by wsauth's modules, not part of the API. Thread-safe (stateless).
 */
public final class Origins {
  /** Longer {@code Origin} values are refused before they are parsed. */
  public static final int MAX_LENGTH = 2048;

  private Origins() {}

  /**
   * The serialised origin {@code scheme://host[:port]} (scheme and host lowercase, default port dropped), or
   * null if {@code origin} is not one: too long, a control character or space, user info, a path, query or
   * fragment.
   */
  public static String canonical(String origin) {
    // The space and control-character check (C0, DEL, C1) is defence in depth: today's java.net.URI refuses them
    // in every component too (CharClassesTest pins that for each of them in each place), so PIT cannot tell it apart.
    if (origin == null || origin.length() > MAX_LENGTH || CharClasses.hasControl(origin) || origin.indexOf(' ') >= 0) {
      return null;
    }
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return null;
    }
    String scheme = uri.getScheme();
    String host = uri.getHost();
    if (scheme == null || host == null || uri.getRawUserInfo() != null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      return null;
    }
    scheme = scheme.toLowerCase(Locale.ROOT);
    host = host.toLowerCase(Locale.ROOT);
    int port = uri.getPort();
    if (port == defaultPort(scheme)) {
      port = -1;
    }
    return port < 0 ? scheme + "://" + host : scheme + "://" + host + ":" + port;
  }

  /** {@link #canonical(String)} restricted to {@code http} and {@code https} origins (a web page's), or null. */
  public static String canonicalHttp(String origin) {
    String c = canonical(origin);
    return c != null && (c.startsWith("http://") || c.startsWith("https://")) ? c : null;
  }

  private static int defaultPort(String scheme) {
    switch (scheme) {
      case "http":
      case "ws":
        return 80;
      case "https":
      case "wss":
        return 443;
      default:
        return -1;
    }
  }
}
