package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.wsauth.UpgradeRequest;

class WebSocketHandshakeTest {
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

  private static Map<String, String> validHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", "localhost");
    h.put("Upgrade", "websocket");
    h.put("Connection", "Upgrade");
    h.put("Sec-WebSocket-Key", KEY);
    h.put("Sec-WebSocket-Version", "13");
    return h;
  }

  private static UpgradeRequest request(Map<String, String> headers) {
    UpgradeRequest.Builder b = UpgradeRequest.builder().path("/ws");
    headers.forEach(b::header);
    return b.build();
  }

  private static Optional<WebSocketHandshake.Invalid> check(Map<String, String> headers) {
    return WebSocketHandshake.check("GET", "HTTP/1.1", request(headers));
  }

  @Test
  void check_validHandshake_isValid() {
    assertThat(check(validHeaders())).isEmpty();
  }

  @Test
  void check_listsAndCase_areAccepted() {
    Map<String, String> h = validHeaders();
    h.put("Upgrade", "foo/2, WebSocket");
    h.put("Connection", "keep-alive, upgrade");
    assertThat(check(h)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "get", "HEAD", "CONNECT"})
  void check_methodOtherThanGet_is405(String method) {
    assertThat(WebSocketHandshake.check(method, "HTTP/1.1", request(validHeaders())))
        .contains(new WebSocketHandshake.Invalid(405, "not a WebSocket handshake: method must be GET"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.0", "HTTP/0.9", "", "http/1.1"})
  void check_oldHttp_is400(String version) {
    assertThat(WebSocketHandshake.check("GET", version, request(validHeaders())))
        .contains(new WebSocketHandshake.Invalid(400, "not a WebSocket handshake: HTTP/1.1 required"));
  }

  @Test
  void check_http2_isAccepted() {
    assertThat(WebSocketHandshake.check("GET", "HTTP/2.0", request(validHeaders()))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "websocketx", "h2c", "web socket"})
  void check_upgradeNotWebsocket_is400(String upgrade) {
    Map<String, String> h = validHeaders();
    h.put("Upgrade", upgrade);
    assertThat(check(h)).contains(
        new WebSocketHandshake.Invalid(400, "not a WebSocket handshake: missing Upgrade: websocket"));
  }

  @Test
  void check_noUpgrade_is400() {
    Map<String, String> h = validHeaders();
    h.remove("Upgrade");
    assertThat(check(h)).contains(
        new WebSocketHandshake.Invalid(400, "not a WebSocket handshake: missing Upgrade: websocket"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "keep-alive", "upgrades", "close"})
  void check_connectionWithoutUpgrade_is400(String connection) {
    Map<String, String> h = validHeaders();
    h.put("Connection", connection);
    assertThat(check(h)).contains(
        new WebSocketHandshake.Invalid(400, "not a WebSocket handshake: missing Connection: upgrade"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"99", "8", "13, 8", "", "013", "12"})
  void check_wrongVersion_is426(String version) {
    Map<String, String> h = validHeaders();
    h.put("Sec-WebSocket-Version", version);
    Optional<WebSocketHandshake.Invalid> invalid = check(h);
    assertThat(invalid).contains(new WebSocketHandshake.Invalid(426, "unsupported WebSocket version"));
    assertThat(invalid.orElseThrow().needsVersionHeader()).isTrue();
  }

  @Test
  void check_missingVersion_is426() {
    Map<String, String> h = validHeaders();
    h.remove("Sec-WebSocket-Version");
    assertThat(check(h)).contains(new WebSocketHandshake.Invalid(426, "unsupported WebSocket version"));
  }

  @Test
  void check_versionTwice_is426() {
    UpgradeRequest r = UpgradeRequest.builder().path("/ws").header("Upgrade", "websocket")
        .header("Connection", "Upgrade").header("Sec-WebSocket-Key", KEY)
        .header("Sec-WebSocket-Version", java.util.List.of("13", "13")).build();
    assertThat(WebSocketHandshake.check("GET", "HTTP/1.1", r))
        .contains(new WebSocketHandshake.Invalid(426, "unsupported WebSocket version"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZ!==",
      "dGhlIHNhbXBsZSBub25jZSBub25jZQ==", "AAAAAAAAAAAAAAAAAAAAAAA="})
  void check_badKey_is400(String key) {
    Map<String, String> h = validHeaders();
    h.put("Sec-WebSocket-Key", key);
    assertThat(check(h)).contains(
        new WebSocketHandshake.Invalid(400, "not a WebSocket handshake: invalid Sec-WebSocket-Key"));
  }

  @Test
  void check_missingKey_is400() {
    Map<String, String> h = validHeaders();
    h.remove("Sec-WebSocket-Key");
    assertThat(check(h)).contains(
        new WebSocketHandshake.Invalid(400, "not a WebSocket handshake: invalid Sec-WebSocket-Key"));
  }

  @Test
  void check_keyTwice_is400() {
    UpgradeRequest r = UpgradeRequest.builder().path("/ws").header("Upgrade", "websocket")
        .header("Connection", "Upgrade").header("Sec-WebSocket-Key", java.util.List.of(KEY, KEY))
        .header("Sec-WebSocket-Version", "13").build();
    assertThat(WebSocketHandshake.check("GET", "HTTP/1.1", r)).contains(
        new WebSocketHandshake.Invalid(400, "not a WebSocket handshake: invalid Sec-WebSocket-Key"));
  }

  @Test
  void needsVersionHeader_onlyFor426() {
    assertThat(new WebSocketHandshake.Invalid(400, "x").needsVersionHeader()).isFalse();
    assertThat(new WebSocketHandshake.Invalid(405, "x").needsVersionHeader()).isFalse();
  }

  @Test
  void isUpgradeAttempt_upgradeHeaderOrSecWebSocketHeader() {
    assertThat(WebSocketHandshake.isUpgradeAttempt(request(validHeaders()))).isTrue();
    assertThat(WebSocketHandshake.isUpgradeAttempt(
        UpgradeRequest.builder().path("/").header("Upgrade", "WebSocket").build())).isTrue();
    assertThat(WebSocketHandshake.isUpgradeAttempt(
        UpgradeRequest.builder().path("/").header("sec-websocket-key", KEY).build())).isTrue();
    assertThat(WebSocketHandshake.isUpgradeAttempt(
        UpgradeRequest.builder().path("/").header("Sec-WebSocket-Protocol", "chat").build())).isTrue();
    assertThat(WebSocketHandshake.isUpgradeAttempt(
        UpgradeRequest.builder().path("/").header("Upgrade", "h2c").header("Connection", "Upgrade").build()))
        .isFalse();
    assertThat(WebSocketHandshake.isUpgradeAttempt(
        UpgradeRequest.builder().path("/").header("Sec-Fetch-Site", "none").build())).isFalse();
  }

  /** The in-place checks answer exactly as the decode and the trim-and-lower-case they replace. */
  @Test
  void isValidKey_andHasToken_agreeWithTheirStringDefinitions() {
    java.util.Random random = new java.util.Random(14);
    String valid = "AZaz09Qgw+/";
    String invalid = "=-_ .\u00e9@[`{:";
    for (int run = 0; run < 100_000; run++) {
      StringBuilder key = new StringBuilder();
      int length = 22 + random.nextInt(4);
      for (int i = 0; i < length; i++) {
        // Mostly the base64 alphabet, so that valid keys are common and each bad character is met alone.
        String from = random.nextInt(40) == 0 ? invalid : valid;
        key.append(from.charAt(random.nextInt(from.length())));
      }
      if (random.nextBoolean() && length >= 2) {
        key.replace(length - 2, length, "==");
      }
      boolean decodes;
      try {
        decodes = key.length() == 24 && key.toString().endsWith("==")
            && java.util.Base64.getDecoder().decode(key.toString()).length == 16;
      } catch (IllegalArgumentException e) {
        decodes = false;
      }
      assertThat(WebSocketHandshake.isValidKey(key.toString())).as(key.toString()).isEqualTo(decodes);
    }
    String tokenChars = "websocketWEBSOCKETupgrade ,\t\u212a\u017f\u0130";
    for (int run = 0; run < 100_000; run++) {
      StringBuilder value = new StringBuilder(random.nextBoolean() ? "websocket" : "upgrade");
      for (int edits = random.nextInt(4); edits > 0; edits--) {
        int at = random.nextInt(value.length() + 1);
        char c = tokenChars.charAt(random.nextInt(tokenChars.length()));
        if (random.nextBoolean() && at < value.length()) {
          value.setCharAt(at, c);
        } else {
          value.insert(at, c);
        }
      }
      for (String token : java.util.List.of("websocket", "upgrade")) {
        boolean expected = false;
        for (String element : value.toString().split(",", -1)) {
          expected |= element.trim().toLowerCase(java.util.Locale.ROOT).equals(token);
        }
        assertThat(WebSocketHandshake.hasToken(java.util.List.of(value.toString()), token))
            .as(value + " has " + token).isEqualTo(expected);
      }
    }
  }

  @Test
  void mayBeUpgradeAttempt_upgradeOrAnySecWebSocketHeader() {
    assertThat(mayBe("Host", "Upgrade")).isTrue();
    assertThat(mayBe("Host", "upgrade")).isTrue();
    assertThat(mayBe("Host", "sec-websocket-key")).isTrue();
    assertThat(mayBe("Host", "Sec-WebSocket-Protocol")).isTrue();
    assertThat(mayBe("Host", "Accept", "Sec-Fetch-Site")).isFalse();
    assertThat(mayBe("Upgrade-Insecure-Requests", "Sec-WebSocket")).isFalse();
    assertThat(mayBe()).isFalse();
    assertThat(WebSocketHandshake.mayBeUpgradeAttempt(null)).as("a container that shows no header").isFalse();
    assertThat(WebSocketHandshake.mayBeUpgradeAttempt(java.util.Collections.enumeration(java.util.Arrays.asList(null, "Upgrade")))).isTrue();
  }

  private static boolean mayBe(String... names) {
    return WebSocketHandshake.mayBeUpgradeAttempt(java.util.Collections.enumeration(java.util.List.of(names)));
  }

  @Test
  void uriProblem_namesTheQueryOrTheTarget_thatNoUriCanHold() {
    assertThat(WebSocketHandshake.uriProblem("/ws", null)).isNull();
    assertThat(WebSocketHandshake.uriProblem("/ws", "token=a&x=%41%c3%a9")).isNull();
    assertThat(WebSocketHandshake.uriProblem("/ws", "")).isNull();
    assertThat(WebSocketHandshake.uriProblem(null, "x=1")).isNull();
    for (String bad : java.util.List.of("x=%ZZ", "x=%", "x=%1", "x=%%", "x=a b")) {
      assertThat(WebSocketHandshake.uriProblem("/ws", bad)).as(bad).isEqualTo("malformed query string");
    }
    assertThat(WebSocketHandshake.uriProblem("/w%ZZ", "x=1")).isEqualTo("malformed request target");
    assertThat(WebSocketHandshake.uriProblem("/w s", null)).isEqualTo("malformed request target");
  }

  /**
   * Over random short paths and queries of URI-legal and -illegal characters: no problem exactly when {@link
   * java.net.URI} parses the target, and a problem names the query exactly when the path alone parses.
   */
  @Test
  void uriProblem_agreesWithJavaNetUri_andNamesThePartThatFails() {
    String alphabet = "a/%4Z?&=:@;[] #\"<>{}|^`\u00e9\u007f\u0080!$'()*+,-._~";
    java.util.Random random = new java.util.Random(13);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int run = 0; run < 5_000; run++) {
      String path = "/" + randomString(random, alphabet);
      String query = random.nextInt(4) == 0 ? null : randomString(random, alphabet);
      String expected = parses("ws://localhost" + path + (query == null ? "" : "?" + query)) ? null
          : parses("ws://localhost" + path) ? "malformed query string" : "malformed request target";
      assertThat(WebSocketHandshake.uriProblem(path, query)).as(path + " ? " + query).isEqualTo(expected);
      seen.add(String.valueOf(expected));
    }
    assertThat(seen).containsExactlyInAnyOrder("null", "malformed query string", "malformed request target");
  }

  private static boolean parses(String uri) {
    try {
      new java.net.URI(uri);
      return true;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static String randomString(java.util.Random random, String alphabet) {
    StringBuilder b = new StringBuilder();
    for (int n = random.nextInt(7); n > 0; n--) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** The headers of an RFC 8441 extended CONNECT as a browser sends them over HTTP/2: no key, Upgrade or Connection. */
  private static Map<String, String> extendedConnectHeaders() {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Sec-WebSocket-Version", "13");
    h.put("Origin", "https://app.example");
    return h;
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/2.0", "HTTP/2"})
  void check_extendedConnectOverHttp2_withProtocolWebsocket_isValid(String version) {
    assertThat(WebSocketHandshake.check("CONNECT", version, "websocket", request(extendedConnectHeaders())))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"connect-udp", "WebSocket", "websocket ", ""})
  void check_extendedConnect_withAnotherProtocol_is400(String protocol) {
    assertThat(WebSocketHandshake.check("CONNECT", "HTTP/2.0", protocol, request(extendedConnectHeaders())))
        .contains(new WebSocketHandshake.Invalid(400, "not a WebSocket handshake: :protocol must be websocket"));
  }

  @Test
  void check_extendedConnect_needsVersion13_once() {
    Map<String, String> h = extendedConnectHeaders();
    h.put("Sec-WebSocket-Version", "8");
    assertThat(WebSocketHandshake.check("CONNECT", "HTTP/2.0", "websocket", request(h)))
        .contains(new WebSocketHandshake.Invalid(426, "unsupported WebSocket version"));
    h.remove("Sec-WebSocket-Version");
    assertThat(WebSocketHandshake.check("CONNECT", "HTTP/2.0", "websocket", request(h)))
        .contains(new WebSocketHandshake.Invalid(426, "unsupported WebSocket version"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.1", "HTTP/3", "HTTP/3.0", "HTTP/1.0"})
  void check_connectWithProtocolWebsocket_overAnotherVersion_is405(String version) {
    assertThat(WebSocketHandshake.check("CONNECT", version, "websocket", request(extendedConnectHeaders())))
        .contains(new WebSocketHandshake.Invalid(405, "not a WebSocket handshake: method must be GET"));
  }

  @Test
  void check_connectOverHttp2_withoutAKnownProtocol_is405_asBefore() {
    assertThat(WebSocketHandshake.check("CONNECT", "HTTP/2.0", request(extendedConnectHeaders())))
        .contains(new WebSocketHandshake.Invalid(405, "not a WebSocket handshake: method must be GET"));
    assertThat(WebSocketHandshake.check("CONNECT", "HTTP/2.0", null, request(extendedConnectHeaders())))
        .contains(new WebSocketHandshake.Invalid(405, "not a WebSocket handshake: method must be GET"));
  }

  @Test
  void check_protocolWebsocket_withAnotherMethod_isTheHttp11Check() {
    assertThat(WebSocketHandshake.check("GET", "HTTP/2.0", "websocket", request(extendedConnectHeaders())))
        .contains(new WebSocketHandshake.Invalid(400, "not a WebSocket handshake: missing Upgrade: websocket"));
    assertThat(WebSocketHandshake.check("connect", "HTTP/2.0", "websocket", request(extendedConnectHeaders())))
        .contains(new WebSocketHandshake.Invalid(405, "not a WebSocket handshake: method must be GET"));
  }

  @Test
  void check_unknownProtocolVersion_is400() {
    assertThat(WebSocketHandshake.check("GET", null, request(validHeaders())))
        .contains(new WebSocketHandshake.Invalid(400, "not a WebSocket handshake: HTTP/1.1 required"));
  }

  @Test
  void check_upperCaseTokens_atTheEndsOfAToZ_areLowerCased() {
    Map<String, String> h = validHeaders();
    h.put("Upgrade", "WEBSOCKET");
    h.put("Connection", "UPGRADE");
    assertThat(check(h)).as("'A' of UPGRADE").isEmpty();
    // The handshake's tokens hold no 'z': the other end of the range, through the general list check.
    assertThat(WebSocketHandshake.hasToken(java.util.List.of("br, GZIP"), "gzip")).isTrue();
    assertThat(WebSocketHandshake.hasToken(java.util.List.of("br, GZIP["), "gzip")).isFalse();
  }
}
