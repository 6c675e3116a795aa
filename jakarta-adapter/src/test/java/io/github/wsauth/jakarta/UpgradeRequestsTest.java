package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UpgradeRequestsTest {

  @Test
  void socketAddress_ipv4Literal_isResolvedWithoutLookup() {
    InetSocketAddress a = UpgradeRequests.socketAddress("127.0.0.1", 5555);
    assertThat(a.isUnresolved()).isFalse();
    assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(a.getPort()).isEqualTo(5555);
  }

  @Test
  void socketAddress_ipv6Literal_isResolvedWithoutLookup() {
    InetSocketAddress a = UpgradeRequests.socketAddress("0:0:0:0:0:0:0:1", 80);
    assertThat(a.isUnresolved()).isFalse();
    assertThat(a.getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void socketAddress_hostName_staysUnresolved() {
    InetSocketAddress a = UpgradeRequests.socketAddress("client.example", 80);
    assertThat(a.isUnresolved()).isTrue();
    assertThat(a.getHostString()).isEqualTo("client.example");
  }

  private static jakarta.servlet.http.HttpServletRequest request(String... headerNames) {
    jakarta.servlet.http.HttpServletRequest r = org.mockito.Mockito.mock(jakarta.servlet.http.HttpServletRequest.class);
    org.mockito.Mockito.when(r.getHeaderNames()).thenAnswer(i -> java.util.Collections.enumeration(
        java.util.List.of(headerNames)));
    for (String name : headerNames) {
      if (name.equalsIgnoreCase("Upgrade")) {
        org.mockito.Mockito.when(r.getHeader("Upgrade")).thenReturn("websocket");
      }
    }
    return r;
  }

  @Test
  void mayBeUpgradeAttempt_upgradeOrAnySecWebSocketHeader() {
    assertThat(UpgradeRequests.mayBeUpgradeAttempt(request("Host", "Upgrade"))).isTrue();
    assertThat(UpgradeRequests.mayBeUpgradeAttempt(request("Host", "sec-websocket-key"))).isTrue();
    assertThat(UpgradeRequests.mayBeUpgradeAttempt(request("Host", "Sec-WebSocket-Protocol"))).isTrue();
    assertThat(UpgradeRequests.mayBeUpgradeAttempt(request("Host", "Accept", "Sec-Fetch-Site"))).isFalse();
    assertThat(UpgradeRequests.mayBeUpgradeAttempt(request())).isFalse();
  }

  private static jakarta.servlet.http.HttpServletRequest target(String path, String query) {
    jakarta.servlet.http.HttpServletRequest r = org.mockito.Mockito.mock(jakarta.servlet.http.HttpServletRequest.class);
    org.mockito.Mockito.when(r.getRequestURI()).thenReturn(path);
    org.mockito.Mockito.when(r.getQueryString()).thenReturn(query);
    return r;
  }

  @Test
  void uriProblem_namesTheQueryOrTheTarget_thatNoUriCanHold() {
    assertThat(UpgradeRequests.uriProblem(target("/ws", null))).isNull();
    assertThat(UpgradeRequests.uriProblem(target("/ws", "token=a&x=%41%c3%a9"))).isNull();
    assertThat(UpgradeRequests.uriProblem(target("/ws", ""))).isNull();
    assertThat(UpgradeRequests.uriProblem(target(null, "x=1"))).isNull();
    for (String bad : java.util.List.of("x=%ZZ", "x=%", "x=%1", "x=%%", "x=a b")) {
      assertThat(UpgradeRequests.uriProblem(target("/ws", bad))).as(bad).isEqualTo("malformed query string");
    }
    assertThat(UpgradeRequests.uriProblem(target("/w%ZZ", "x=1"))).isEqualTo("malformed request target");
    assertThat(UpgradeRequests.uriProblem(target("/w s", null))).isEqualTo("malformed request target");
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
      assertThat(UpgradeRequests.uriProblem(path, query)).as(path + " ? " + query).isEqualTo(expected);
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

  private static jakarta.websocket.server.HandshakeRequest handshake(java.net.URI uri, String query,
      java.util.Map<String, java.util.List<String>> headers) {
    jakarta.websocket.server.HandshakeRequest r =
        org.mockito.Mockito.mock(jakarta.websocket.server.HandshakeRequest.class);
    org.mockito.Mockito.when(r.getRequestURI()).thenReturn(uri);
    org.mockito.Mockito.when(r.getQueryString()).thenReturn(query);
    org.mockito.Mockito.when(r.getHeaders()).thenReturn(headers);
    return r;
  }

  @Test
  void fromHandshakeRequest_copiesPathQueryHeadersAndPeer_skippingNulls() {
    java.util.Map<String, java.util.List<String>> headers = new java.util.LinkedHashMap<>();
    headers.put("Authorization", java.util.Arrays.asList("Bearer a", null));
    headers.put("X-Empty", null);
    headers.put(null, java.util.List.of("nameless"));
    InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 4242);
    io.github.wsauth.UpgradeRequest r = UpgradeRequests.from(handshake(java.net.URI.create("ws://h/chat%20x?t=1"),
        null, headers), java.util.Map.of(UpgradeRequests.REMOTE_ADDRESS_PROPERTY, peer));
    assertThat(r.path()).isEqualTo("/chat%20x");
    assertThat(r.rawQuery()).contains("t=1");
    assertThat(r.headerValues("authorization")).containsExactly("Bearer a");
    assertThat(r.headers()).containsOnlyKeys("Authorization");
    assertThat(r.remoteAddress()).contains(peer);
  }

  @Test
  void fromHandshakeRequest_theQueryStringWins_andOddPathsBecomeRoot() {
    io.github.wsauth.UpgradeRequest r = UpgradeRequests.from(handshake(java.net.URI.create("ws://h/chat?t=1"),
        "t=2", null), null);
    assertThat(r.rawQuery()).contains("t=2");
    assertThat(r.headers()).isEmpty();
    assertThat(r.remoteAddress()).isEmpty();
    assertThat(UpgradeRequests.from(handshake(java.net.URI.create("ws://h"), null, java.util.Map.of()),
        java.util.Map.of(UpgradeRequests.REMOTE_ADDRESS_PROPERTY, "not an address")).path()).isEqualTo("/");
    assertThat(UpgradeRequests.from(handshake(java.net.URI.create("urn:x"), null, java.util.Map.of()),
        java.util.Map.of()).path()).isEqualTo("/");
    assertThat(UpgradeRequests.from(handshake(java.net.URI.create("chat"), null, java.util.Map.of()),
        java.util.Map.of()).path()).isEqualTo("/");
    assertThat(UpgradeRequests.from(handshake(null, "q=1", java.util.Map.of()), java.util.Map.of()).rawQuery())
        .contains("q=1");
  }

  @Test
  void webSocketKey_isTheFirstValueOfTheHeader_inAnyCase() {
    java.util.Map<String, java.util.List<String>> headers = new java.util.LinkedHashMap<>();
    headers.put("Host", java.util.List.of("h"));
    headers.put("sec-websocket-key", java.util.List.of("k1", "k2"));
    assertThat(UpgradeRequests.webSocketKey(handshake(null, null, headers))).isEqualTo("k1");
    java.util.Map<String, java.util.List<String>> empty = new java.util.LinkedHashMap<>();
    empty.put("Sec-WebSocket-Key", java.util.List.of());
    empty.put("X", null);
    assertThat(UpgradeRequests.webSocketKey(handshake(null, null, empty))).isNull();
    java.util.Map<String, java.util.List<String>> nullValues = new java.util.LinkedHashMap<>();
    nullValues.put("Sec-WebSocket-Key", null);
    assertThat(UpgradeRequests.webSocketKey(handshake(null, null, nullValues))).isNull();
    assertThat(UpgradeRequests.webSocketKey(handshake(null, null, null))).isNull();
  }

  @Test
  void socketAddress_onlyLiteralsAreParsed() {
    for (String literal : java.util.List.of("10.0.0.1", "::1", "[::1]", "fe80::AbCd")) {
      assertThat(UpgradeRequests.socketAddress(literal, 1).isUnresolved()).as(literal).isFalse();
    }
    // Java's own short IPv4 forms ("0", "1.2.3") and hex words that an IPv6 parse would take ("beef") are no
    // address a container reports: left as they are.
    for (String other : java.util.List.of("", "a.b", "10.0.0.1x", "g::1", "1:2:3:4:5:6:7:8:9:10:11:12:13:14:15:16:1",
        "1.2.3.4/", "-1", "10.0.0.x", "G", "1" + "0".repeat(45), "0", "beef", "1.2.3", "1.2.3.4.5", "256.1.2.3",
        "[1.2.3.4]", "1.2.3.4:80", "[::1", "::1]", "[::1]:80")) {
      assertThat(UpgradeRequests.socketAddress(other, 1).isUnresolved()).as(other).isTrue();
    }
    String longest = "0000:0000:0000:0000:0000:ffff:255.255.255.255"; // 45 characters, the longest literal
    assertThat(longest).hasSize(45);
    assertThat(UpgradeRequests.socketAddress(longest, 1).getAddress().getHostAddress()).as("45 characters")
        .isEqualTo("255.255.255.255");
    assertThat(UpgradeRequests.socketAddress("1.2.3.4", 7).getPort()).isEqualTo(7);
  }

  @Test
  void socketAddress_eachLiteralCharacterClass_isParsed_andANameIsNeverLookedUp() {
    for (String literal : java.util.List.of("9.9.9.9", "a::1", "F::1", "::ffff:1.2.3.4", "[a::F]")) {
      assertThat(UpgradeRequests.socketAddress(literal, 1).isUnresolved()).as(literal).isFalse();
    }
    assertThat(UpgradeRequests.socketAddress("192.0.2.7", 1).getAddress())
        .isInstanceOf(java.net.Inet4Address.class).extracting(java.net.InetAddress::getHostAddress).isEqualTo("192.0.2.7");
    assertThat(UpgradeRequests.socketAddress("[2001:db8::7]", 1).getAddress().getHostAddress())
        .isEqualTo("2001:db8:0:0:0:0:0:7");
    // Names the resolver would answer without the network: left unresolved, no lookup from a request.
    for (String name : java.util.List.of("localhost", "localhost.", "ip6-localhost")) {
      InetSocketAddress a = UpgradeRequests.socketAddress(name, 1);
      assertThat(a.isUnresolved()).as(name).isTrue();
      assertThat(a.getHostString()).isEqualTo(name);
    }
  }

  @Test
  void fromServletRequest_noOrRelativeTarget_isRoot_andNoRemoteAddressIsNone() {
    for (String target : java.util.Arrays.asList(null, "*", "ws")) {
      jakarta.servlet.http.HttpServletRequest r = request();
      org.mockito.Mockito.when(r.getRequestURI()).thenReturn(target);
      io.github.wsauth.UpgradeRequest copy = UpgradeRequests.from(r);
      assertThat(copy.path()).as(String.valueOf(target)).isEqualTo("/");
      assertThat(copy.remoteAddress()).isEmpty();
    }
  }

  @Test
  void fromServletRequest_copiesThePathAsSent() {
    jakarta.servlet.http.HttpServletRequest r = request();
    org.mockito.Mockito.when(r.getRequestURI()).thenReturn("/rooms/a%20b");
    org.mockito.Mockito.when(r.getQueryString()).thenReturn("t=1");
    io.github.wsauth.UpgradeRequest copy = UpgradeRequests.from(r);
    assertThat(copy.path()).isEqualTo("/rooms/a%20b");
    assertThat(copy.rawQuery()).contains("t=1");
  }

  @Test
  void fromServletRequest_copiesThePeer() {
    jakarta.servlet.http.HttpServletRequest r = request();
    org.mockito.Mockito.when(r.getRequestURI()).thenReturn("/ws");
    org.mockito.Mockito.when(r.getRemoteAddr()).thenReturn("10.0.0.1");
    org.mockito.Mockito.when(r.getRemotePort()).thenReturn(-1);
    InetSocketAddress peer = UpgradeRequests.from(r).remoteAddress().orElseThrow();
    assertThat(peer.getAddress().getHostAddress()).isEqualTo("10.0.0.1");
    assertThat(peer.getPort()).as("an unknown port is 0").isZero();
  }
}
