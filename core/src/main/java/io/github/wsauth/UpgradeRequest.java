package io.github.wsauth;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A read-only, framework-free view of a WebSocket upgrade request (RFC 6455 §4.1): path, query, headers,
 * cookies, {@code Origin}, offered subprotocols and remote address.
 *
 * <p>Adapters build it from their framework's request; tests and custom servers use {@link #builder()}:
 *
 * <pre>{@code
 * UpgradeRequest request = UpgradeRequest.builder()
 *     .requestTarget("/ws?token=abc")
 *     .header("Origin", "https://app.example")
 *     .build();
 * }</pre>
 *
 * <p>Parsing is strict and never throws on hostile input: query parameters are percent-decoded strictly (a
 * request whose query cannot be decoded reports {@link #isQueryMalformed()} and exposes only the pairs that
 * decoded), header names are case-insensitive and keep every value, cookies (RFC 6265 §4.2.1) keep duplicates.
 * Instances are immutable and thread-safe. {@code toString()} redacts credentials.
 */
public final class UpgradeRequest {
  private final String path;
  private final String rawQuery;
  private final Map<String, List<String>> headers;
  private final Map<String, List<String>> queryParameters;
  private final boolean queryMalformed;
  private final Map<String, List<String>> cookies;
  private final List<String> subprotocols;
  private final InetSocketAddress remoteAddress;

  private UpgradeRequest(Builder b) {
    this.path = b.path;
    this.rawQuery = b.rawQuery;
    this.headers = Collections.unmodifiableMap(b.shareHeaders());
    Map<String, List<String>> q = new LinkedHashMap<>();
    this.queryMalformed = parseQuery(rawQuery, q);
    this.queryParameters = freeze(q);
    List<String> cookieHeaders = headerValues("Cookie");
    if (cookieHeaders.isEmpty()) {
      this.cookies = Map.of();
    } else {
      Map<String, List<String>> c = new LinkedHashMap<>();
      for (String header : cookieHeaders) {
        parseCookieHeader(header, c);
      }
      this.cookies = freeze(c);
    }
    List<String> protocolHeaders = headerValues("Sec-WebSocket-Protocol");
    if (protocolHeaders.isEmpty()) {
      this.subprotocols = List.of();
    } else {
      List<String> protocols = new ArrayList<>();
      for (String header : protocolHeaders) {
        for (String entry : header.split(",", -1)) {
          String trimmed = entry.strip();
          if (!trimmed.isEmpty()) {
            protocols.add(trimmed);
          }
        }
      }
      this.subprotocols = List.copyOf(protocols);
    }
    this.remoteAddress = b.remoteAddress;
  }

  /** Starts an empty request with path {@code /}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The glue for a server without a wsauth adapter: the request from its target (origin-form {@code /ws?x=1} or
   * absolute-form {@code http://host/ws}), every header value and the peer, in one call. For a header multimap
   * that iterates as name/value pairs (Vert.x and Quarkus {@code MultiMap}, Helidon, Undertow's converted
   * headers), see {@link #of(String, Iterable, InetSocketAddress)}.
   *
   * @param target the request target as received
   * @param headers every header with all its values (names case-insensitive; null names and values are skipped)
   * @param peer the peer's address, or null if unknown
   */
  public static UpgradeRequest of(String target, Map<String, ? extends List<String>> headers,
      InetSocketAddress peer) {
    Objects.requireNonNull(headers, "headers must not be null");
    return builder().requestTarget(target).remoteAddress(peer).headers(headers).build();
  }

  /**
   * As {@link #of(String, Map, InetSocketAddress)}, with the headers as name/value pairs, a name repeated once
   * per value (e.g. a Vert.x {@code MultiMap}).
   */
  public static UpgradeRequest of(String target, Iterable<? extends Map.Entry<String, String>> headers,
      InetSocketAddress peer) {
    Objects.requireNonNull(headers, "headers must not be null");
    Builder b = builder().requestTarget(target).remoteAddress(peer);
    for (Map.Entry<String, String> h : headers) {
      b.header(h.getKey(), h.getValue());
    }
    return b.build();
  }

  /**
   * The peer's address from the text a server reports it as ({@code HttpServletRequest.getRemoteAddr()}, Vert.x's
   * {@code SocketAddress.hostAddress()}), for {@link Builder#remoteAddress}: an IPv4 or IPv6 literal is parsed,
   * anything else (a host name from a server with lookups on, or whatever a proxy header put there) stays
   * unresolved. No name is ever looked up from a request: between brackets {@link InetAddress#getByName} accepts
   * only an IPv6 literal, and an address with a dot and no colon is tried as the IPv4-mapped {@code
   * [::ffff:a.b.c.d]}, which it returns as the IPv4 address (and refuses for anything but a dotted quad).
   *
   * @param address the address as the server reports it
   * @param port the peer's port; a negative (unknown) port becomes 0
   * @return the parsed address, or an unresolved one
   */
  public static InetSocketAddress peerAddress(String address, int port) {
    Objects.requireNonNull(address, "address must not be null");
    int p = Math.max(0, port);
    String literal;
    if (address.contains(":")) {
      literal = address.startsWith("[") ? address : "[" + address + "]";
    } else if (address.contains(".")) {
      literal = "[::ffff:" + address + "]";
    } else {
      return InetSocketAddress.createUnresolved(address, p);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(literal), p);
    } catch (UnknownHostException e) {
      return InetSocketAddress.createUnresolved(address, p);
    }
  }

  /** The request path, without the query; never null. */
  public String path() {
    return path;
  }

  /** The raw (still percent-encoded) query, without the {@code ?}, if the request target had one. */
  public Optional<String> rawQuery() {
    return Optional.ofNullable(rawQuery);
  }

  /** Every decoded query parameter with all its values in order; pairs that failed to decode are absent. */
  public Map<String, List<String>> queryParameters() {
    return queryParameters;
  }

  /** All decoded values of one query parameter; empty if absent. */
  public List<String> queryParameters(String name) {
    return queryParameters.getOrDefault(name, List.of());
  }

  /** Whether some part of the query was not valid percent-encoded UTF-8 (e.g. {@code %ZZ}). */
  public boolean isQueryMalformed() {
    return queryMalformed;
  }

  /** All headers; names compare case-insensitively; each name maps to every value it was sent with. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** All values of one header, case-insensitively; empty if absent. */
  public List<String> headerValues(String name) {
    return headers.getOrDefault(name, List.of());
  }

  /** The first value of a header, if present. */
  public Optional<String> header(String name) {
    List<String> values = headerValues(name);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Every cookie from every {@code Cookie} header, with duplicates kept in the order they were sent. */
  public Map<String, List<String>> cookies() {
    return cookies;
  }

  /** All values sent for one cookie name (case-sensitive); empty if absent. */
  public List<String> cookies(String name) {
    return cookies.getOrDefault(name, List.of());
  }

  /** The {@code Origin} header, if sent; see {@link OriginPolicy} for how several values are treated. */
  public Optional<String> origin() {
    return header("Origin");
  }

  /** The subprotocols offered in {@code Sec-WebSocket-Protocol}, in the client's order, trimmed, raw. */
  public List<String> subprotocols() {
    return subprotocols;
  }

  /** The peer's address, when the adapter knows it. */
  public Optional<InetSocketAddress> remoteAddress() {
    return Optional.ofNullable(remoteAddress);
  }

  /** Shows the path and the redacted query only; never a credential. */
  @Override
  public String toString() {
    String target = rawQuery == null ? path : path + "?" + rawQuery;
    return "UpgradeRequest[" + Redaction.uri(target) + ", headers=" + headers.keySet() + "]";
  }

  private static boolean parseQuery(String rawQuery, Map<String, List<String>> out) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return false;
    }
    boolean malformed = false;
    int start = 0;
    int n = rawQuery.length();
    while (start <= n) {
      int amp = rawQuery.indexOf('&', start);
      int end = amp < 0 ? n : amp;
      if (end > start) {
        int eq = rawQuery.indexOf('=', start);
        if (eq < 0 || eq > end) {
          eq = end;
        }
        String name = PercentDecoding.decodeFormComponent(rawQuery, start, eq);
        String value = eq == end ? "" : PercentDecoding.decodeFormComponent(rawQuery, eq + 1, end);
        if (name == null || value == null) {
          malformed = true;
        } else {
          add(out, name, value);
        }
      }
      start = end + 1;
    }
    return malformed;
  }

  /** Parses one {@code Cookie} header as in RFC 6265 §5.4 and §4.2.1, skipping pairs without a valid name. */
  static void parseCookieHeader(String header, Map<String, List<String>> out) {
    for (String pair : header.split(";", -1)) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = pair.substring(0, eq).strip();
      String value = pair.substring(eq + 1).strip();
      if (!Secrets.isHttpToken(name)) {
        continue;
      }
      if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
        value = value.substring(1, value.length() - 1);
      }
      add(out, name, value);
    }
  }

  /**
   * Adds a value under a name: the first as an immutable one-element list (which {@link List#copyOf} returns as
   * is), further ones turning it into an {@link ArrayList}. Most names carry one value, so most cost no copy.
   */
  private static void add(Map<String, List<String>> map, String name, String value) {
    List<String> values = map.get(name);
    if (values == null) {
      map.put(name, List.of(value));
    } else if (values instanceof ArrayList) {
      values.add(value);
    } else {
      List<String> more = new ArrayList<>(values.size() + 2);
      more.addAll(values);
      more.add(value);
      map.put(name, more);
    }
  }

  /** Makes every value list immutable in place and wraps the map, which nothing else references. */
  private static Map<String, List<String>> freeze(Map<String, List<String>> map) {
    if (map.isEmpty()) {
      return Map.of();
    }
    map.replaceAll((k, v) -> List.copyOf(v));
    return Collections.unmodifiableMap(map);
  }

  /** Builds an {@link UpgradeRequest}. Not thread-safe; each {@code build()} returns an independent request. */
  public static final class Builder {
    private String path = "/";
    private String rawQuery;
    private TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** Whether a built request holds {@link #headers}: the next {@link #header} call copies it first. */
    private boolean headersShared;
    private InetSocketAddress remoteAddress;

    private Builder() {}

    /** Sets the path (without query); must start with {@code /}. */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path must not be null");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path must start with '/'");
      }
      this.path = path;
      return this;
    }

    /** Sets the raw, still percent-encoded query without the leading {@code ?}; {@code null} for none. */
    public Builder rawQuery(String rawQuery) {
      this.rawQuery = rawQuery;
      return this;
    }

    /**
     * Sets path and raw query from an origin-form request target such as {@code /ws?token=abc}, or from an
     * absolute URI. A fragment, if any, is ignored.
     */
    public Builder requestTarget(String target) {
      Objects.requireNonNull(target, "request target must not be null");
      String t = target;
      int hash = t.indexOf('#');
      if (hash >= 0) {
        t = t.substring(0, hash);
      }
      if (!t.startsWith("/")) {
        int scheme = t.indexOf("://");
        // Absolute-form only when what precedes "://" is a scheme (RFC 3986 §3.1): in "ws?next=http://x" the
        // "://" belongs to the query, which must not be dropped.
        if (scheme > 0 && isScheme(t, scheme)) {
          int slash = t.indexOf('/', scheme + 3);
          int q = t.indexOf('?', scheme + 3);
          int cut = slash < 0 ? q : (q < 0 ? slash : Math.min(slash, q));
          t = cut < 0 ? "/" : t.substring(cut);
          if (t.startsWith("?")) {
            t = "/" + t;
          }
        } else {
          t = "/" + t;
        }
      }
      int q = t.indexOf('?');
      this.path = q < 0 ? t : t.substring(0, q);
      this.rawQuery = q < 0 ? null : t.substring(q + 1);
      return this;
    }

    private static boolean isScheme(String s, int end) {
      char first = s.charAt(0);
      if (!(first >= 'a' && first <= 'z' || first >= 'A' && first <= 'Z')) {
        return false;
      }
      for (int i = 1; i < end; i++) {
        char c = s.charAt(i);
        if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-'
            || c == '.')) {
          return false;
        }
      }
      return true;
    }

    /** Sets path and raw query from a URI, keeping the raw (encoded) query. */
    public Builder uri(URI uri) {
      Objects.requireNonNull(uri, "uri must not be null");
      String p = uri.getRawPath();
      this.path = p == null || p.isEmpty() ? "/" : p;
      this.rawQuery = uri.getRawQuery();
      return this;
    }

    /** Adds one value of a header; call again with the same name to add more values. */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "header name must not be null");
      Objects.requireNonNull(value, "header value must not be null");
      if (headersShared) {
        headers = new TreeMap<>(headers);
        headersShared = false;
      }
      add(headers, name, value);
      return this;
    }

    /**
     * Adds every header of a server's header map, as servers hand it over: a null map, and null names, value lists
     * and values in it, are skipped (a map may hold the status line under a null name).
     *
     * @param headers the header map, names case-insensitive; may be null
     * @return this builder
     */
    public Builder headers(Map<String, ? extends List<String>> headers) {
      if (headers != null) {
        headers.forEach((name, values) -> {
          if (name != null && values != null) {
            for (String v : values) {
              if (v != null) {
                header(name, v);
              }
            }
          }
        });
      }
      return this;
    }

    /** Adds every value of a header. */
    public Builder header(String name, List<String> values) {
      for (String v : values) {
        header(name, v);
      }
      return this;
    }

    /** Sets the peer's address. */
    public Builder remoteAddress(InetSocketAddress remoteAddress) {
      this.remoteAddress = remoteAddress;
      return this;
    }

    /** Builds the immutable request. */
    public UpgradeRequest build() {
      return new UpgradeRequest(this);
    }

    /**
     * The header map for a request being built, every value list made immutable; the builder copies the map
     * before changing it again, so the request never sees a later change. Saves copying the headers per build.
     */
    private TreeMap<String, List<String>> shareHeaders() {
      if (!headersShared) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
          if (e.getValue() instanceof ArrayList) {
            e.setValue(List.copyOf(e.getValue()));
          }
        }
        headersShared = true;
      }
      return headers;
    }
  }
}
