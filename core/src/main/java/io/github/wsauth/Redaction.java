package io.github.wsauth;

import java.util.Locale;
import java.util.Set;

/**
 * Makes URIs and headers safe to log: credentials in user info, in query parameters and in the headers that
 * carry them are replaced by {@value #MASK}.
 *
 * <pre>{@code
 * log.info("upgrade " + Redaction.uri(requestUri));   // /ws?token=***  ws://***@host/
 * }</pre>
 *
 * Every query parameter value is masked except those named in {@link #SAFE_QUERY_PARAMETERS}: a token can hide
 * under any name, so masking is the default. The same goes for a query item without {@code =} (it can be the token
 * itself, {@code ?<token>}) and for the whole user info (the user name can be the token, {@code ws://<token>@host/}).
 */
public final class Redaction {
  /** What replaces a secret. */
  public static final String MASK = "***";

  /** Query parameters whose values are not masked. */
  public static final Set<String> SAFE_QUERY_PARAMETERS = Set.of("v", "version", "lang", "room", "channel");

  /** Headers whose values can carry a credential, lower case (also used by {@link RedactingLogFilter}). */
  static final Set<String> SECRET_HEADERS = Set.of(
      "authorization", "proxy-authorization", "cookie", "set-cookie", "sec-websocket-protocol", "x-auth-token",
      "x-api-key");

  private Redaction() {}

  /**
   * Redacts a URI or request target: the whole user info (user name and password: the user name can be a token),
   * query parameter values (pairs separated by {@code &} or {@code ;}) except {@link #SAFE_QUERY_PARAMETERS}, query
   * items without {@code =} except those same names, and the whole fragment.
   */
  public static String uri(String uri) {
    if (uri == null) {
      return "null";
    }
    String s = uri;
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      int authorityStart = scheme + 3;
      int authorityEnd = indexOfAny(s, authorityStart, "/?#");
      int at = s.lastIndexOf('@', authorityEnd - 1);
      if (at >= authorityStart) {
        // The user name can be the token itself (CredentialExtractor.basicHeaderWithTokenAsUserName): mask it too.
        s = s.substring(0, authorityStart) + MASK + s.substring(at);
      }
    }
    // A fragment can carry a token too (e.g. "#access_token=" in OAuth implicit flows): mask all of it.
    int hash = s.indexOf('#');
    String fragment = hash < 0 ? "" : (hash == s.length() - 1 ? "#" : "#" + MASK);
    String beforeFragment = hash < 0 ? s : s.substring(0, hash);
    int q = beforeFragment.indexOf('?');
    if (q < 0) {
      return beforeFragment + fragment;
    }
    StringBuilder out = new StringBuilder(s.length()).append(beforeFragment, 0, q + 1);
    // Pairs end at '&' or at ';' (which some servers still treat as a separator), so "v=1;token=x" masks x.
    int start = q + 1;
    int n = beforeFragment.length();
    while (true) {
      int end = indexOfAny(beforeFragment, start, "&;");
      String pair = beforeFragment.substring(start, end);
      int eq = pair.indexOf('=');
      if (eq < 0) {
        // A bare item can be the token itself ("?<token>"): masked too, unless it is a safe name or empty.
        out.append(pair.isEmpty() || SAFE_QUERY_PARAMETERS.contains(pair.toLowerCase(Locale.ROOT)) ? pair : MASK);
      } else {
        String name = pair.substring(0, eq);
        out.append(name).append('=');
        out.append(SAFE_QUERY_PARAMETERS.contains(name.toLowerCase(Locale.ROOT)) ? pair.substring(eq + 1) : MASK);
      }
      if (end == n) {
        return out.append(fragment).toString();
      }
      out.append(beforeFragment.charAt(end));
      start = end + 1;
    }
  }

  /** Redacts a header value if the header can carry a credential; other values are returned as they are. */
  public static String header(String name, String value) {
    if (name == null) {
      return MASK;
    }
    String n = name.toLowerCase(Locale.ROOT);
    if (!SECRET_HEADERS.contains(n)) {
      return value;
    }
    if (value == null) {
      return null;
    }
    if (n.equals("authorization") || n.equals("proxy-authorization")) {
      int space = value.indexOf(' ');
      return space > 0 ? value.substring(0, space) + " " + MASK : MASK;
    }
    if (n.equals("sec-websocket-protocol")) {
      StringBuilder out = new StringBuilder();
      for (String entry : value.split(",", -1)) {
        String e = entry.strip();
        if (out.length() > 0) {
          out.append(", ");
        }
        out.append(e.toLowerCase(Locale.ROOT).contains("bearer") || e.length() > 40 ? MASK : e);
      }
      return out.toString();
    }
    return MASK;
  }

  private static int indexOfAny(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }
}
