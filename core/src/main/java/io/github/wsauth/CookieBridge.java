package io.github.wsauth;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.github.wsauth.internal.CharClasses;

/**
 * The cookie bridge, framework-free: serves the bridge page and scripts (from this jar's {@code
 * META-INF/resources/wsauth/}) and answers {@code POST <path>/cookie}, which turns a token into an {@code
 * HttpOnly; SameSite=Strict} cookie on the WebSocket server's origin. Adapters only translate their request into a
 * {@link Request} and write the {@link Response} back (Netty's {@code NettyWsAuth.cookieBridgeHandler}, Jakarta's
 * {@code WsAuthCookieBridgeServlet}), so every server answers the same.
 *
 * <pre>{@code
 * CookieBridge bridge = CookieBridge.builder()
 *     .parentOrigin("https://app.example")   // who may frame the page and hand it tokens
 *     .cookiePath("/chat")                    // the WebSocket path
 *     .build();
 * }</pre>
 *
 * <p>The bridge cannot fail silently: after the cookie is set, the bridge page has the server set a probe cookie
 * with the same attributes and a value new for this call ({@code POST <path>/probe}, {@code Path=<path>/check}),
 * and {@code wsauth.setCookie()} asks {@code GET <path>/check?probe=<that value>} from the application page, with
 * credentials, exactly as the WebSocket handshake will go out; the server answers {@code present} or {@code absent}
 * (never a cookie value; a probe left from an earlier call does not count), and {@code setCookie()}
 * rejects with the reason when the browser will not send the cookie (e.g. {@code SameSite=Strict} from a page on
 * another site, or a third-party cookie the browser blocks). For pages on another site, {@link
 * Builder#partitionedCookie(boolean)} sets CHIPS cookies ({@code SameSite=None; Secure; Partitioned}).
 *
 * <p>Security defaults: the cookie request must come from this server's own origin (exactly one {@code Origin},
 * equal to the configured server origin or to the one derived from {@code Host} and TLS), and a {@code
 * Sec-Fetch-Site} other than {@code same-origin} is refused (CSRF); the body must be a {@code text/plain} RFC 6750
 * b64token of at most {@value #MAX_BODY_BYTES} bytes; the cookie is {@code HttpOnly; SameSite=Strict}, {@code
 * Secure} over TLS (or always), and lives at most {@code maxCookieAge} (default 5 minutes); the page can be framed
 * only by the configured parent origins ({@code frame-ancestors}). Immutable and thread-safe.
 */
public final class CookieBridge {
  /** The bridge page. */
  public static final String PAGE = "cookie-bridge.html";
  /** The bridge page's script. */
  public static final String PAGE_SCRIPT = "cookie-bridge.js";
  /** The helper script the application's page loads. */
  public static final String HELPER_SCRIPT = "wsauth.js";
  /** The name, under the bridge path, that takes the token by {@code POST}. */
  public static final String COOKIE_ENDPOINT = "cookie";
  /**
   * The name, under the bridge path, that sets the probe cookie by {@code POST}: the body is the probe value (a
   * b64token the page chose for this call), the checks and attributes are the token cookie's.
   */
  public static final String PROBE_ENDPOINT = "probe";
  /**
   * The name, under the bridge path, that answers {@code GET ?probe=<value>} from a parent origin (CORS, with
   * credentials): {@code present} when a probe cookie with that value arrived, {@code absent} when it did not.
   */
  public static final String CHECK_ENDPOINT = "check";
  /** The suffix of the probe cookie's name: {@code <cookie name>_probe}. */
  public static final String PROBE_SUFFIX = "_probe";
  /** The request header carrying the cookie's wanted lifetime in seconds. */
  public static final String MAX_AGE_HEADER = "X-WsAuth-Max-Age";
  /** The default base path: {@value}. */
  public static final String DEFAULT_PATH = "/wsauth";
  /** The default cookie name: {@value}. */
  public static final String DEFAULT_COOKIE_NAME = "wsauth";
  /** The largest token body read, in bytes; adapters need not read more than one byte past it. */
  public static final int MAX_BODY_BYTES = CredentialExtractor.MAX_CREDENTIAL_LENGTH;

  private static final String HTML = "text/html; charset=utf-8";
  private static final String JAVASCRIPT = "text/javascript; charset=utf-8";
  private static final String DIRECTORY = "/META-INF/resources/wsauth/";

  private final String path;
  private final String prefix;
  private final Set<String> parentOrigins;
  private final Optional<String> serverOrigin;
  private final String cookieName;
  private final String cookiePath;
  private final Duration maxCookieAge;
  private final boolean alwaysSecureCookie;
  private final boolean partitionedCookie;
  private final Map<String, byte[]> files;

  private CookieBridge(Builder b) {
    this.path = b.path;
    this.prefix = "/".equals(b.path) ? "/" : b.path + "/";
    this.parentOrigins = Set.copyOf(b.parentOrigins);
    this.serverOrigin = Optional.ofNullable(b.serverOrigin);
    this.cookieName = b.cookieName;
    this.cookiePath = b.cookiePath;
    this.maxCookieAge = b.maxCookieAge;
    this.alwaysSecureCookie = b.alwaysSecureCookie;
    this.partitionedCookie = b.partitionedCookie;
    // Read per bridge (a few kilobytes, built once per application): fails fast if the resources are missing.
    this.files = Map.of(PAGE, read(PAGE), PAGE_SCRIPT, read(PAGE_SCRIPT), HELPER_SCRIPT, read(HELPER_SCRIPT));
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The base path, e.g. {@code /wsauth}. */
  public String path() {
    return path;
  }

  /** The credential cookie's name, which the WebSocket's {@link CredentialExtractor#cookie cookie extractor} reads. */
  public String cookieName() {
    return cookieName;
  }

  /** The credential cookie's {@code Path}: browsers send the cookie only to the paths it covers. */
  public String cookiePath() {
    return cookiePath;
  }

  /** Whether the request path (without query) is under the bridge path, i.e. whether the bridge answers it. */
  public boolean covers(String requestPath) {
    return requestPath != null && requestPath.startsWith(prefix);
  }

  /**
   * Answers one request under the bridge path. Never throws on bad input: every refusal is a 4xx response with a
   * short {@code text/plain} body.
   *
   * @throws IllegalArgumentException if the request's path is not {@link #covers covered}
   */
  public Response answer(Request request) {
    Objects.requireNonNull(request, "request must not be null");
    UpgradeRequest target = UpgradeRequest.builder().requestTarget(request.target()).build();
    if (!covers(target.path())) {
      throw new IllegalArgumentException("not a cookie-bridge path");
    }
    String name = target.path().substring(prefix.length());
    boolean getOrHead = "GET".equals(request.method()) || "HEAD".equals(request.method());
    boolean head = "HEAD".equals(request.method());
    switch (name) {
      case PAGE:
        return getOrHead ? page(target, head) : methodNotAllowed("GET, HEAD");
      case PAGE_SCRIPT:
      case HELPER_SCRIPT:
        return getOrHead ? file(name, JAVASCRIPT, head, Map.of()) : methodNotAllowed("GET, HEAD");
      case COOKIE_ENDPOINT:
        return "POST".equals(request.method()) ? setCookie(request, false) : methodNotAllowed("POST");
      case PROBE_ENDPOINT:
        return "POST".equals(request.method()) ? setCookie(request, true) : methodNotAllowed("POST");
      case CHECK_ENDPOINT:
        return "GET".equals(request.method()) ? check(request) : methodNotAllowed("GET");
      default:
        return text(404, "not found");
    }
  }

  private Response page(UpgradeRequest target, boolean head) {
    List<String> parents = target.queryParameters("parent");
    if (target.isQueryMalformed() || parents.size() != 1) {
      return text(400, "exactly one parent origin required");
    }
    String parent = parents.get(0);
    if (!parentOrigins.contains(parent)) {
      return text(403, "parent origin not allowed");
    }
    // parent is one of the configured, validated origins: safe to put into a header.
    Map<String, String> extra = new LinkedHashMap<>();
    extra.put("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors " + parent);
    extra.put("Referrer-Policy", "no-referrer");
    extra.put("Cache-Control", "no-store");
    return file(PAGE, HTML, head, extra);
  }

  /**
   * Whether the probe cookie arrived. Asked by the application page (another origin: CORS with credentials, only
   * for a configured parent origin) so the request goes out as the WebSocket handshake will. Answers presence only.
   */
  private Response check(Request request) {
    UpgradeRequest target = UpgradeRequest.builder().requestTarget(request.target()).build();
    List<String> probes = target.queryParameters("probe");
    if (target.isQueryMalformed() || probes.size() != 1 || b64token(probes.get(0).getBytes(StandardCharsets.UTF_8))
        == null) {
      return text(400, "exactly one probe value required");
    }
    String probe = probes.get(0);
    List<String> origins = request.headers("Origin");
    List<String> fetchSite = request.headers("Sec-Fetch-Site");
    String allowed = null;
    if (origins.size() == 1 && parentOrigins.contains(origins.get(0))) {
      allowed = origins.get(0);
    } else if (!(origins.isEmpty() && fetchSite.size() == 1 && "same-origin".equals(fetchSite.get(0)))) {
      // Browsers omit Origin on a same-origin GET only; anything else must be a configured parent.
      return text(403, "origin not allowed");
    }
    UpgradeRequest.Builder cookies = UpgradeRequest.builder().requestTarget("/");
    request.headers("Cookie").forEach(v -> cookies.header("Cookie", v));
    boolean present = false;
    for (String value : cookies.build().cookies(cookieName + PROBE_SUFFIX)) {
      present |= Secrets.constantTimeEquals(value, probe);
    }
    Response r = text(200, present ? "present" : "absent");
    Map<String, String> headers = new LinkedHashMap<>(r.headers());
    if (allowed != null) {
      headers.put("Access-Control-Allow-Origin", allowed);
      headers.put("Access-Control-Allow-Credentials", "true");
    }
    headers.put("Vary", "Origin");
    return new Response(200, headers, r.body());
  }

  private Response setCookie(Request request, boolean probe) {
    List<String> origins = request.headers("Origin");
    // CSRF: only the bridge page itself, on this server's origin, may set the cookie.
    String own = ownOrigin(request);
    if (origins.size() != 1 || own == null || !origins.get(0).equals(own)) {
      return text(403, "origin not allowed");
    }
    List<String> fetchSite = request.headers("Sec-Fetch-Site");
    if (!fetchSite.isEmpty() && !(fetchSite.size() == 1 && "same-origin".equals(fetchSite.get(0)))) {
      return text(403, "origin not allowed");
    }
    List<String> contentType = request.headers("Content-Type");
    if (contentType.size() != 1 || !contentType.get(0).toLowerCase(Locale.ROOT).replace(" ", "")
        .matches("text/plain(;charset=utf-8)?")) {
      return text(415, "text/plain token expected");
    }
    byte[] body = request.body();
    if (body.length > MAX_BODY_BYTES) {
      return text(413, "token too long");
    }
    String token = b64token(body);
    if (token == null) {
      return text(400, "malformed token");
    }
    List<String> maxAges = request.headers(MAX_AGE_HEADER);
    long maxAge = maxAges.size() == 1 && isSeconds(maxAges.get(0)) ? Long.parseLong(maxAges.get(0)) : 0;
    if (maxAge < 1) {
      return text(400, "max age required");
    }
    maxAge = Math.min(maxAge, maxCookieAge.getSeconds());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Set-Cookie", probe
        ? setCookieValue(cookieName + PROBE_SUFFIX, token, prefix + CHECK_ENDPOINT, maxAge, request.secure())
        : setCookieValue(cookieName, token, cookiePath, maxAge, request.secure()));
    headers.put("Cache-Control", "no-store");
    headers.put("Content-Length", "0");
    return new Response(204, headers, new byte[0]);
  }

  /**
   * The {@code Set-Cookie} value: {@code HttpOnly; SameSite=Strict} ({@code Secure} over TLS or when configured),
   * or in {@link Builder#partitionedCookie(boolean) partitioned mode} {@code HttpOnly; SameSite=None; Secure;
   * Partitioned} (CHIPS: browsers keep it in the jar of the top-level site that framed the bridge, and send it to
   * this server from pages of that site only; browsers accept {@code Secure} from {@code http://localhost}).
   */
  private String setCookieValue(String name, String value, String path, long maxAge, boolean tls) {
    String attributes;
    if (partitionedCookie) {
      attributes = "; HttpOnly; SameSite=None; Secure; Partitioned";
    } else {
      boolean secure = alwaysSecureCookie || tls || serverOrigin.map(o -> o.startsWith("https:")).orElse(false);
      attributes = "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }
    return name + "=" + value + "; Path=" + path + "; Max-Age=" + maxAge + attributes;
  }

  /** This server's origin as a browser writes it: configured, or from {@code Host} and TLS. */
  private String ownOrigin(Request request) {
    if (serverOrigin.isPresent()) {
      return serverOrigin.get();
    }
    List<String> hosts = request.headers("Host");
    if (hosts.size() != 1) {
      return null;
    }
    // An empty Host makes "http://", which is no origin: normalize answers null.
    return OriginPolicy.normalize((request.secure() ? "https" : "http") + "://" + hosts.get(0));
  }

  /** The body as an RFC 6750 b64token (also valid cookie-octets), or null. */
  private static String b64token(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    StringBuilder sb = new StringBuilder(body.length);
    boolean padding = false;
    for (byte b : body) {
      char c = (char) (b & 0xff);
      boolean tokenChar = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
      if (c == '=' && sb.length() > 0) {
        padding = true;
      } else if (!tokenChar || padding) {
        return null;
      }
      sb.append(c);
    }
    return sb.toString();
  }

  /** One to nine ASCII digits: a number of seconds that {@link Long#parseLong} reads. */
  private static boolean isSeconds(String value) {
    return !value.isEmpty() && value.length() <= 9 && value.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private Response file(String name, String contentType, boolean head, Map<String, String> extra) {
    byte[] bytes = files.get(name);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    headers.put("Content-Length", Integer.toString(bytes.length));
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Cache-Control", "no-cache");
    headers.putAll(extra);
    return new Response(200, headers, head ? new byte[0] : bytes);
  }

  private static Response methodNotAllowed(String allow) {
    Response r = text(405, "method not allowed");
    Map<String, String> headers = new LinkedHashMap<>(r.headers());
    headers.put("Allow", allow);
    return new Response(405, headers, r.body());
  }

  private static Response text(int status, String text) {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "text/plain; charset=utf-8");
    headers.put("Content-Length", Integer.toString(body.length));
    headers.put("Cache-Control", "no-store");
    headers.put("X-Content-Type-Options", "nosniff");
    return new Response(status, headers, body);
  }

  static byte[] read(String name) {
    try (InputStream in = CookieBridge.class.getResourceAsStream(DIRECTORY + name)) {
      if (in == null) {
        throw new IllegalStateException("wsauth-core resource missing: " + DIRECTORY + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read wsauth-core resource " + DIRECTORY + name, e);
    }
  }

  @Override
  public String toString() {
    return "CookieBridge[path=" + path + ", parentOrigins=" + parentOrigins + ", cookieName=" + cookieName
        + ", cookiePath=" + cookiePath + ", maxCookieAge=" + maxCookieAge
        + (partitionedCookie ? ", partitioned" : "") + "]";
  }

  /**
   * A framework-free view of one HTTP request to the bridge.
   *
   * @param method the request method, e.g. {@code POST}
   * @param target the request-target as received: path and optional query
   * @param headers every header (names case-insensitive, all values in order)
   * @param body the body (adapters may stop reading one byte past {@link #MAX_BODY_BYTES}); never a secret in
   *     {@code toString()}
   * @param secure whether the request arrived over TLS
   */
  public record Request(String method, String target, Map<String, List<String>> headers, byte[] body,
      boolean secure) {
    /** Validates and copies. */
    public Request {
      Objects.requireNonNull(method, "method must not be null");
      Objects.requireNonNull(target, "target must not be null");
      Objects.requireNonNull(headers, "headers must not be null");
      Objects.requireNonNull(body, "body must not be null");
      TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.forEach((k, v) -> copy.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
      copy.replaceAll((k, v) -> List.copyOf(v));
      headers = java.util.Collections.unmodifiableMap(copy);
      body = body.clone();
    }

    /** The values of one header, case-insensitively; empty if absent. */
    public List<String> headers(String name) {
      return headers.getOrDefault(name, List.of());
    }

    @Override
    public byte[] body() {
      return body.clone();
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }

    @Override
    public String toString() {
      return "CookieBridge.Request[" + method + " " + Redaction.uri(target) + "]";
    }
  }

  /**
   * What to answer.
   *
   * @param status the HTTP status
   * @param headers the headers to set (one value each)
   * @param body the body (empty for {@code HEAD}, though {@code Content-Length} is the file's)
   */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    /** Copies. */
    public Response {
      headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }

    @Override
    public String toString() {
      // Set-Cookie carries the token: never shown.
      return "CookieBridge.Response[" + status + "]";
    }
  }

  /** Builds a {@link CookieBridge}; not thread-safe. */
  public static final class Builder {
    private String path = DEFAULT_PATH;
    private final Set<String> parentOrigins = new LinkedHashSet<>();
    private String serverOrigin;
    private String cookieName = DEFAULT_COOKIE_NAME;
    private String cookiePath = "/";
    private Duration maxCookieAge = Duration.ofMinutes(5);
    private boolean alwaysSecureCookie;
    private boolean partitionedCookie;

    private Builder() {}

    /** The base path (default {@value CookieBridge#DEFAULT_PATH}); starts with '/', no trailing '/'. */
    public Builder path(String path) {
      String p = CharClasses.requirePath(path, "bridge path");
      if (p.length() > 1 && p.endsWith("/")) {
        throw new IllegalArgumentException("bridge path must not end with '/'");
      }
      this.path = p;
      return this;
    }

    /** Allows one parent origin, e.g. {@code https://app.example}, written as browsers serialise origins. */
    public Builder parentOrigin(String origin) {
      parentOrigins.add(checkOrigin(origin));
      return this;
    }

    /**
     * The WebSocket server's public origin, which the cookie request must come from; by default derived from
     * {@code Host} and TLS. Set it when TLS ends at a proxy.
     */
    public Builder serverOrigin(String origin) {
      this.serverOrigin = checkOrigin(origin);
      return this;
    }

    /** The cookie's name (default {@value CookieBridge#DEFAULT_COOKIE_NAME}); an HTTP token. */
    public Builder cookieName(String name) {
      Objects.requireNonNull(name, "cookie name must not be null");
      if (!Secrets.isHttpToken(name)) {
        throw new IllegalArgumentException("cookie name must be an HTTP token");
      }
      this.cookieName = name;
      return this;
    }

    /** The cookie's {@code Path} (default {@code /}); set it to the WebSocket path. */
    public Builder cookiePath(String path) {
      String p = CharClasses.requirePath(path, "cookie path");
      if (p.contains(";")) {
        throw new IllegalArgumentException("cookie path must not contain ';'");
      }
      this.cookiePath = p;
      return this;
    }

    /** The longest {@code Max-Age} the bridge sets (default 5 minutes, at most 1 day). */
    public Builder maxCookieAge(Duration maxAge) {
      Objects.requireNonNull(maxAge, "max cookie age must not be null");
      if (maxAge.getSeconds() < 1 || maxAge.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("max cookie age must be between 1 second and 1 day");
      }
      this.maxCookieAge = maxAge;
      return this;
    }

    /** Whether the cookie is {@code Secure} even when the request did not arrive over TLS (default false). */
    public Builder alwaysSecureCookie(boolean always) {
      this.alwaysSecureCookie = always;
      return this;
    }

    /**
     * CHIPS mode, for application pages on another site than the WebSocket server (default false): the cookie is
     * {@code HttpOnly; SameSite=None; Secure; Partitioned} instead of {@code HttpOnly; SameSite=Strict}. Browsers
     * block third-party cookies and never send a {@code SameSite=Strict} one from another site's page; a
     * partitioned cookie set inside the bridge frame is kept for the top-level site and sent to this server from
     * that site's pages (Chromium 156, Firefox ESR 153: docs/DEMO.md). It needs HTTPS or {@code localhost}.
     */
    public Builder partitionedCookie(boolean partitioned) {
      this.partitionedCookie = partitioned;
      return this;
    }

    private static String checkOrigin(String origin) {
      Objects.requireNonNull(origin, "origin must not be null");
      String canonical = OriginPolicy.normalize(origin);
      if (canonical == null || !(canonical.startsWith("http://") || canonical.startsWith("https://"))) {
        throw new IllegalArgumentException("not an http(s) origin (scheme://host[:port]): " + origin);
      }
      if (!canonical.equals(origin)) {
        throw new IllegalArgumentException("write the origin as browsers do: " + canonical);
      }
      return canonical;
    }

    /** Builds the bridge; at least one parent origin is required. */
    public CookieBridge build() {
      if (parentOrigins.isEmpty()) {
        throw new IllegalStateException("name at least one parent origin, e.g. https://app.example");
      }
      return new CookieBridge(this);
    }
  }
}
