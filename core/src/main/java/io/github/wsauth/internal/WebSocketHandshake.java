package io.github.wsauth.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.AuthDecision;
import io.github.wsauth.UpgradeRequest;

/**
 * The RFC 6455 §4.2.1 checks of an opening handshake, made <em>before</em> a credential is verified: a single-use
 * token must be consumed only by a request that the server will upgrade (a request with no {@code
 * Sec-WebSocket-Key}, a {@code POST}, or version 99 would be refused by the framework after the token was used
 * up). Every adapter calls this one definition, so the same request gets the same answer everywhere.
 *
 * <p>Internal: shared by wsauth's adapters, not part of the API. Thread-safe (stateless).
 */
public final class WebSocketHandshake {
  /** The only version this library upgrades (RFC 6455 §4.2.1 item 6). */
  public static final String VERSION = "13";

  private WebSocketHandshake() {}

  /**
   * Why a request is not a valid WebSocket opening handshake.
   *
   * @param status 400, 405 (method) or 426 (version: the answer must carry {@code Sec-WebSocket-Version: 13}, RFC
   *     6455 §4.4)
   * @param reason a short public reason; never contains request data
   */
  public record Invalid(int status, String reason) {
    /** Whether the answer must carry {@code Sec-WebSocket-Version: 13}. */
    public boolean needsVersionHeader() {
      return status == 426;
    }

    /** The refusal to answer with; its {@link AuthDecision.Rejected#httpResponse()} adds the 405/426 headers. */
    public AuthDecision.Rejected rejected() {
      return new AuthDecision.Rejected(status, List.of(), reason);
    }
  }

  /**
   * The refusal of a request the server could not decode: 431 for a header section over its limit, 414 for a
   * request line over it, 400 for anything else. Nothing is decided on what is left of such a request.
   */
  public static AuthDecision.Rejected undecodable(int status) {
    switch (status) {
      case 431:
        return new AuthDecision.Rejected(431, List.of(), "request header fields too large");
      case 414:
        return new AuthDecision.Rejected(414, List.of(), "request line too long");
      default:
        return new AuthDecision.Rejected(400, List.of(), "malformed request");
    }
  }

  /**
   * Checks the opening handshake: {@code GET}, HTTP/1.1 or later, {@code Upgrade: websocket}, {@code Connection:
   * upgrade}, exactly one {@code Sec-WebSocket-Key} that is the base64 of 16 bytes, and {@code
   * Sec-WebSocket-Version: 13}. The same as {@link #check(String, String, String, UpgradeRequest)} with no {@code
   * :protocol}: a {@code CONNECT} is refused (405).
   *
   * @param method the request method as received (case-sensitive, RFC 9110 §9.1)
   * @param protocolVersion the request's HTTP version as {@code "HTTP/1.1"}
   * @param request the request's headers
   * @return empty when the request is a valid opening handshake, else why not
   */
  public static Optional<Invalid> check(String method, String protocolVersion, UpgradeRequest request) {
    return check(method, protocolVersion, null, request);
  }

  /**
   * Checks the opening handshake: the HTTP/1.1 upgrade of RFC 6455 §4.2.1 ({@code GET}, HTTP/1.1 or later, {@code
   * Upgrade: websocket}, {@code Connection: upgrade}, exactly one {@code Sec-WebSocket-Key} that is the base64 of 16
   * bytes, {@code Sec-WebSocket-Version: 13}), or the extended {@code CONNECT} of RFC 8441 §4-5 that browsers send
   * over HTTP/2 when the server allows it ({@code CONNECT} over HTTP/2 with the {@code :protocol} pseudo-header
   * {@code websocket} and {@code Sec-WebSocket-Version: 13}; it has no key, {@code Upgrade} or {@code Connection}).
   * A {@code CONNECT} over HTTP/2 whose {@code :protocol} is another one is refused (400), and one without (or
   * whose {@code :protocol} the caller cannot tell) as any method but {@code GET} (405): the server would not
   * upgrade it, and its token must not be used up.
   *
   * @param method the request method as received (case-sensitive, RFC 9110 §9.1)
   * @param protocolVersion the request's HTTP version as {@code "HTTP/1.1"} or {@code "HTTP/2.0"}
   * @param connectProtocol the {@code :protocol} pseudo-header of an HTTP/2 {@code CONNECT}; null if it has none or
   *     the server cannot tell
   * @param request the request's headers
   * @return empty when the request is a valid opening handshake, else why not
   */
  public static Optional<Invalid> check(String method, String protocolVersion, String connectProtocol,
      UpgradeRequest request) {
    if (connectProtocol != null && "CONNECT".equals(method) && isHttp2(protocolVersion)) {
      if (!"websocket".equals(connectProtocol)) {
        return Optional.of(new Invalid(400, "not a WebSocket handshake: :protocol must be websocket"));
      }
      return checkVersion(request);
    }
    if (!"GET".equals(method)) {
      return Optional.of(new Invalid(405, "not a WebSocket handshake: method must be GET"));
    }
    if (!isAtLeastHttp11(protocolVersion)) {
      return Optional.of(new Invalid(400, "not a WebSocket handshake: HTTP/1.1 required"));
    }
    if (!hasToken(request.headerValues("Upgrade"), "websocket")) {
      return Optional.of(new Invalid(400, "not a WebSocket handshake: missing Upgrade: websocket"));
    }
    if (!hasToken(request.headerValues("Connection"), "upgrade")) {
      return Optional.of(new Invalid(400, "not a WebSocket handshake: missing Connection: upgrade"));
    }
    Optional<Invalid> version = checkVersion(request);
    if (version.isPresent()) {
      return version;
    }
    List<String> keys = request.headerValues("Sec-WebSocket-Key");
    if (keys.size() != 1 || !isValidKey(keys.get(0).trim())) {
      return Optional.of(new Invalid(400, "not a WebSocket handshake: invalid Sec-WebSocket-Key"));
    }
    return Optional.empty();
  }

  /** Exactly one {@code Sec-WebSocket-Version}, and it is 13 (RFC 6455 §4.2.1 item 6, RFC 8441 §5). */
  private static Optional<Invalid> checkVersion(UpgradeRequest request) {
    List<String> versions = request.headerValues("Sec-WebSocket-Version");
    if (versions.size() != 1 || !VERSION.equals(versions.get(0).trim())) {
      return Optional.of(new Invalid(426, "unsupported WebSocket version"));
    }
    return Optional.empty();
  }

  /** Whether the version is HTTP/2, the one RFC 8441 bootstraps WebSockets on. */
  static boolean isHttp2(String protocolVersion) {
    return "HTTP/2.0".equals(protocolVersion) || "HTTP/2".equals(protocolVersion);
  }

  /**
   * Whether the request asks for a WebSocket upgrade at all: an {@code Upgrade} header naming {@code websocket}
   * or any {@code Sec-WebSocket-*} header. Such a request is authenticated (or refused), never passed on
   * unchecked.
   */
  public static boolean isUpgradeAttempt(UpgradeRequest request) {
    if (hasToken(request.headerValues("Upgrade"), "websocket")) {
      return true;
    }
    for (String name : request.headers().keySet()) {
      if (name.regionMatches(true, 0, "sec-websocket-", 0, 14)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A cheap over-approximation of {@link #isUpgradeAttempt}, on the header names alone: an {@code Upgrade} header
   * or any {@code Sec-WebSocket-*} header. False means the request is certainly not an attempt, so a server can
   * pass plain HTTP on without copying it into an {@link UpgradeRequest}.
   *
   * @param headerNames the names, as a servlet request gives them (null: none)
   */
  public static boolean mayBeUpgradeAttempt(Enumeration<String> headerNames) {
    while (headerNames != null && headerNames.hasMoreElements()) {
      String name = headerNames.nextElement();
      if (name != null && (name.equalsIgnoreCase("Upgrade") || name.regionMatches(true, 0, "sec-websocket-", 0, 14))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why a raw path and query do not form a valid {@link URI}, or null if they do: {@code "malformed query string"}
   * ({@code ?x=%ZZ}, {@code ?x=%}) or {@code "malformed request target"}. A Jakarta container builds a {@code URI}
   * for its handshake request after the credential was checked, and Tomcat answers 500 when it cannot; such a
   * request is refused before, with nothing consumed. The scheme and authority are fixed here.
   */
  public static String uriProblem(String path, String query) {
    // One parse for a valid request (about a microsecond, against a handshake of hundreds); the path alone is
    // parsed only to name what failed.
    String base = "ws://localhost" + Objects.toString(path, "");
    if (isUri(query == null ? base : base + "?" + query)) {
      return null;
    }
    return isUri(base) ? "malformed query string" : "malformed request target";
  }

  private static boolean isUri(String s) {
    try {
      new URI(s);
      return true;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  static boolean isAtLeastHttp11(String protocolVersion) {
    if (protocolVersion == null) {
      return false;
    }
    switch (protocolVersion) {
      case "HTTP/1.1":
      case "HTTP/2":
      case "HTTP/2.0":
      case "HTTP/3":
      case "HTTP/3.0":
        return true;
      default:
        return false;
    }
  }

  /** Whether a comma-separated header list (RFC 9110 §5.6.1) holds {@code token}, case-insensitively. */
  static boolean hasToken(List<String> values, String token) {
    for (String value : values) {
      int start = 0;
      int n = value.length();
      while (start <= n) {
        int comma = value.indexOf(',', start);
        int end = comma < 0 ? n : comma;
        // The element without its surrounding whitespace (String.trim()'s definition), compared in place: no copy.
        int s = start;
        int e = end;
        while (s < e && value.charAt(s) <= ' ') {
          s++;
        }
        while (e > s && value.charAt(e - 1) <= ' ') {
          e--;
        }
        if (e - s == token.length() && elementEquals(value, s, e, token)) {
          return true;
        }
        if (comma < 0) {
          break;
        }
        start = comma + 1;
      }
    }
    return false;
  }

  /**
   * Whether {@code value[s, e)} lower-cased ({@link Locale#ROOT}) is {@code token} (lower-case ASCII, of the
   * range's length): ASCII compared in place; a range with any other character is lower-cased as a string, so the
   * answer is exactly that of {@code trim().toLowerCase(Locale.ROOT).equals(token)}.
   */
  private static boolean elementEquals(String value, int s, int e, String token) {
    for (int i = s; i < e; i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        return value.substring(s, e).toLowerCase(Locale.ROOT).equals(token);
      }
      if (((c >= 'A' && c <= 'Z') ? (char) (c + 32) : c) != token.charAt(i - s)) {
        return false;
      }
    }
    return true;
  }

  /**
   * RFC 6455 §4.2.1 item 5: the base64 of a 16-byte value, so 24 characters: 22 of the base64 alphabet then {@code
   * ==}. Checked in place, as the JDK's basic decoder would accept it (it ignores the unused low bits of the last
   * character), without decoding.
   */
  static boolean isValidKey(String key) {
    if (key.length() != 24 || key.charAt(22) != '=' || key.charAt(23) != '=') {
      return false;
    }
    for (int i = 0; i < 22; i++) {
      char c = key.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/')) {
        return false;
      }
    }
    return true;
  }
}
