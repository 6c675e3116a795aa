package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class UpgradeRequestTest {

  static Stream<Arguments> targets() {
    return Stream.of(
        Arguments.of("/ws", "/ws", null),
        Arguments.of("/ws?token=abc", "/ws", "token=abc"),
        Arguments.of("/ws?", "/ws", ""),
        Arguments.of("/ws#frag", "/ws", null),
        Arguments.of("/ws?a=1#frag?b=2", "/ws", "a=1"),
        Arguments.of("/a/b%20c?x=%41", "/a/b%20c", "x=%41"),
        Arguments.of("ws://host:8080/ws?x=1#f", "/ws", "x=1"),
        Arguments.of("wss://host", "/", null),
        Arguments.of("https://host?x=1", "/", "x=1"),
        Arguments.of("http://user:pw@host/p", "/p", null),
        Arguments.of("ws", "/ws", null));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("targets")
  void requestTarget_splitsPathAndQuery(String target, String path, String query) {
    UpgradeRequest r = UpgradeRequest.builder().requestTarget(target).build();
    assertThat(r.path()).isEqualTo(path);
    assertThat(r.rawQuery().orElse(null)).isEqualTo(query);
  }

  @Test
  void requestTarget_relativeWithSchemeLikeQuery_keepsTheQuery() {
    // Not a scheme: "ws?x=http" contains '?' so the "://" belongs to the query.
    UpgradeRequest r = UpgradeRequest.builder().requestTarget("ws?token=abc&next=http://x/").build();
    assertThat(r.path()).isEqualTo("/ws");
    assertThat(r.queryParameters("token")).containsExactly("abc");
  }

  @Test
  void uri_keepsRawPathAndQuery() {
    UpgradeRequest r = UpgradeRequest.builder().uri(URI.create("ws://h/a%20b?t=%2B#x")).build();
    assertThat(r.path()).isEqualTo("/a%20b");
    assertThat(r.rawQuery()).contains("t=%2B");
    assertThat(r.queryParameters("t")).containsExactly("+");
    assertThat(UpgradeRequest.builder().uri(URI.create("ws://h")).build().path()).isEqualTo("/");
  }

  @Test
  void path_mustStartWithSlash() {
    assertThatThrownBy(() -> UpgradeRequest.builder().path("ws")).isInstanceOf(IllegalArgumentException.class);
    assertThat(UpgradeRequest.builder().build().path()).isEqualTo("/");
  }

  @Test
  void headers_areCaseInsensitiveWithAllValues() {
    UpgradeRequest r = UpgradeRequest.builder()
        .header("X-Thing", "1").header("x-thing", "2").header("X-THING", List.of("3", "4"))
        .header("Other", "o").build();
    assertThat(r.headerValues("x-THING")).containsExactly("1", "2", "3", "4");
    assertThat(r.header("X-Thing")).contains("1");
    assertThat(r.headers().get("OTHER")).containsExactly("o");
    assertThat(r.headers()).hasSize(2);
    assertThat(r.headerValues("missing")).isEmpty();
    assertThat(r.header("missing")).isEmpty();
    assertThatThrownBy(() -> r.headers().put("a", List.of())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.headerValues("Other").add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void build_isIndependentOfLaterBuilderChanges() {
    UpgradeRequest.Builder b = UpgradeRequest.builder().header("A", "1");
    UpgradeRequest first = b.build();
    b.header("A", "2");
    assertThat(first.headerValues("A")).containsExactly("1");
    assertThat(b.build().headerValues("A")).containsExactly("1", "2");
  }

  @Test
  void build_sharesNothingMutableWithTheBuilder() {
    UpgradeRequest.Builder b = UpgradeRequest.builder().header("A", "1").header("a", "2").header("B", "b");
    UpgradeRequest first = b.build();
    UpgradeRequest second = b.build();
    b.header("A", "3").header("C", "c");
    UpgradeRequest third = b.build();
    b.header("B", "b2");
    assertThat(first.headers()).isEqualTo(second.headers()).containsOnlyKeys("A", "B");
    assertThat(first.headerValues("A")).containsExactly("1", "2");
    assertThat(third.headerValues("A")).containsExactly("1", "2", "3");
    assertThat(third.headerValues("B")).containsExactly("b");
    assertThat(third.headerValues("C")).containsExactly("c");
    assertThat(b.build().headerValues("B")).containsExactly("b", "b2");
    assertThatThrownBy(() -> first.headerValues("A").add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> third.headerValues("A").set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void cookiesAndSubprotocols_areUnmodifiableWhetherPresentOrNot() {
    UpgradeRequest none = UpgradeRequest.builder().build();
    UpgradeRequest some = UpgradeRequest.builder().header("Cookie", "a=1; a=2").header("Sec-WebSocket-Protocol", "x")
        .build();
    for (UpgradeRequest r : List.of(none, some)) {
      assertThatThrownBy(() -> r.cookies().put("b", List.of())).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> r.subprotocols().add("y")).isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> r.queryParameters().put("q", List.of()))
          .isInstanceOf(UnsupportedOperationException.class);
    }
    assertThat(none.cookies()).isEmpty();
    assertThat(none.subprotocols()).isEmpty();
    assertThat(some.cookies("a")).containsExactly("1", "2");
    assertThatThrownBy(() -> some.cookies("a").add("3")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void query_isDecodedStrictlyWithAllValues() {
    UpgradeRequest r = UpgradeRequest.builder().requestTarget("/ws?a=1&a=2&b=x+y&c=%C3%A9&d&=e&&f=").build();
    assertThat(r.isQueryMalformed()).isFalse();
    assertThat(r.queryParameters("a")).containsExactly("1", "2");
    assertThat(r.queryParameters("b")).containsExactly("x y");
    assertThat(r.queryParameters("c")).containsExactly("\u00e9");
    assertThat(r.queryParameters("d")).containsExactly("");
    assertThat(r.queryParameters("f")).containsExactly("");
    assertThat(r.queryParameters("zzz")).isEmpty();
    assertThat(r.queryParameters().keySet()).startsWith("a", "b", "c", "d");
  }

  static Stream<String> malformedQueries() {
    return Stream.of("a=1&b=%ZZ", "a=1&b=%4", "b=%", "b=%C3%28", "b=caf\u00e9", "%ZZ=1&a=1", "a=1&b=%G1");
  }

  @ParameterizedTest
  @MethodSource("malformedQueries")
  void query_malformed_isFlaggedAndBadPairsDropped(String query) {
    UpgradeRequest r = UpgradeRequest.builder().rawQuery(query).build();
    assertThat(r.isQueryMalformed()).isTrue();
    assertThat(r.queryParameters("b")).isEmpty();
    if (query.contains("a=1")) {
      assertThat(r.queryParameters("a")).containsExactly("1");
    }
  }

  @Test
  void query_absent_isNotMalformed() {
    assertThat(UpgradeRequest.builder().build().isQueryMalformed()).isFalse();
    assertThat(UpgradeRequest.builder().build().queryParameters()).isEmpty();
  }

  @Test
  void cookies_perRfc6265WithDuplicatesVisible() {
    UpgradeRequest r = UpgradeRequest.builder()
        .header("Cookie", "a=1; b=\"two\"; a=3;novalue; bad name=x; c=")
        .header("cookie", "a=4")
        .build();
    assertThat(r.cookies("a")).containsExactly("1", "3", "4");
    assertThat(r.cookies("b")).containsExactly("two");
    assertThat(r.cookies("c")).containsExactly("");
    assertThat(r.cookies("A")).isEmpty();
    assertThat(r.cookies()).containsOnlyKeys("a", "b", "c");
    assertThat(r.cookies("novalue")).isEmpty();
  }

  @Test
  void subprotocols_areSplitTrimmedAndInOrder() {
    UpgradeRequest r = UpgradeRequest.builder()
        .header("Sec-WebSocket-Protocol", " chat ,superchat,, ")
        .header("sec-websocket-protocol", "v2")
        .build();
    assertThat(r.subprotocols()).containsExactly("chat", "superchat", "v2");
    assertThat(UpgradeRequest.builder().build().subprotocols()).isEmpty();
  }

  @Test
  void origin_andRemoteAddress() {
    InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 40000);
    UpgradeRequest r = UpgradeRequest.builder().header("origin", "https://app.example").remoteAddress(peer).build();
    assertThat(r.origin()).contains("https://app.example");
    assertThat(r.remoteAddress()).contains(peer);
    assertThat(UpgradeRequest.builder().build().remoteAddress()).isEmpty();
    assertThat(UpgradeRequest.builder().build().origin()).isEmpty();
  }

  @Test
  void toString_redactsQueryAndNeverShowsHeaderValues() {
    UpgradeRequest r = UpgradeRequest.builder()
        .requestTarget("/ws?token=SECRET1&v=2")
        .header("Authorization", "Bearer SECRET2")
        .header("Cookie", "ws_token=SECRET3")
        .header("Sec-WebSocket-Protocol", "authorization.bearer.SECRET4")
        .build();
    String s = r.toString();
    assertThat(s).contains("/ws?token=***&v=2").contains("Authorization");
    assertThat(s).doesNotContain("SECRET");
  }

  @Test
  void builder_rejectsNulls() {
    assertThatThrownBy(() -> UpgradeRequest.builder().header("A", (String) null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> UpgradeRequest.builder().header(null, "a")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> UpgradeRequest.builder().requestTarget(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void queryParameters_areUnmodifiable() {
    UpgradeRequest r = UpgradeRequest.builder().requestTarget("/?a=1").build();
    Map<String, List<String>> q = r.queryParameters();
    assertThatThrownBy(() -> q.put("b", List.of())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> r.queryParameters("a").add("2")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void of_buildsFromTargetHeaderMultimapAndPeer() {
    InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 5555);
    UpgradeRequest fromMap = UpgradeRequest.of("http://ws.example/ws?token=abc",
        Map.of("Origin", List.of("https://app.example"), "sec-websocket-protocol", List.of("chat", "a, b")), peer);
    assertThat(fromMap.path()).isEqualTo("/ws");
    assertThat(fromMap.rawQuery()).contains("token=abc");
    assertThat(fromMap.origin()).contains("https://app.example");
    assertThat(fromMap.subprotocols()).containsExactly("chat", "a", "b");
    assertThat(fromMap.remoteAddress()).contains(peer);

    UpgradeRequest fromPairs = UpgradeRequest.of("/ws", List.of(Map.entry("Cookie", "a=1"),
        Map.entry("cookie", "b=2")), null);
    assertThat(fromPairs.headerValues("COOKIE")).containsExactly("a=1", "b=2");
    assertThat(fromPairs.remoteAddress()).isEmpty();
  }

  @Test
  void peerAddress_ipv4Literal_isResolvedWithoutLookup() {
    InetSocketAddress a = UpgradeRequest.peerAddress("127.0.0.1", 5555);
    assertThat(a.isUnresolved()).isFalse();
    assertThat(a.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(a.getPort()).isEqualTo(5555);
  }

  @Test
  void peerAddress_ipv6Literal_isResolvedWithoutLookup() {
    InetSocketAddress a = UpgradeRequest.peerAddress("0:0:0:0:0:0:0:1", 80);
    assertThat(a.isUnresolved()).isFalse();
    assertThat(a.getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void peerAddress_hostName_staysUnresolved() {
    InetSocketAddress a = UpgradeRequest.peerAddress("client.example", 80);
    assertThat(a.isUnresolved()).isTrue();
    assertThat(a.getHostString()).isEqualTo("client.example");
  }

  @Test
  void peerAddress_onlyLiteralsAreParsed() {
    for (String literal : java.util.List.of("10.0.0.1", "::1", "[::1]", "fe80::AbCd")) {
      assertThat(UpgradeRequest.peerAddress(literal, 1).isUnresolved()).as(literal).isFalse();
    }
    // Java's own short IPv4 forms ("0", "1.2.3") and hex words that an IPv6 parse would take ("beef") are no
    // address a container reports: left as they are.
    for (String other : java.util.List.of("", "a.b", "10.0.0.1x", "g::1", "1:2:3:4:5:6:7:8:9:10:11:12:13:14:15:16:1",
        "1.2.3.4/", "-1", "10.0.0.x", "G", "1" + "0".repeat(45), "0", "beef", "1.2.3", "1.2.3.4.5", "256.1.2.3",
        "[1.2.3.4]", "1.2.3.4:80", "[::1", "::1]", "[::1]:80")) {
      assertThat(UpgradeRequest.peerAddress(other, 1).isUnresolved()).as(other).isTrue();
    }
    String longest = "0000:0000:0000:0000:0000:ffff:255.255.255.255"; // 45 characters, the longest literal
    assertThat(longest).hasSize(45);
    assertThat(UpgradeRequest.peerAddress(longest, 1).getAddress().getHostAddress()).as("45 characters")
        .isEqualTo("255.255.255.255");
    assertThat(UpgradeRequest.peerAddress("1.2.3.4", 7).getPort()).isEqualTo(7);
  }

  @Test
  void peerAddress_eachLiteralCharacterClass_isParsed_andANameIsNeverLookedUp() {
    for (String literal : java.util.List.of("9.9.9.9", "a::1", "F::1", "::ffff:1.2.3.4", "[a::F]")) {
      assertThat(UpgradeRequest.peerAddress(literal, 1).isUnresolved()).as(literal).isFalse();
    }
    assertThat(UpgradeRequest.peerAddress("192.0.2.7", 1).getAddress())
        .isInstanceOf(java.net.Inet4Address.class).extracting(java.net.InetAddress::getHostAddress).isEqualTo("192.0.2.7");
    assertThat(UpgradeRequest.peerAddress("[2001:db8::7]", 1).getAddress().getHostAddress())
        .isEqualTo("2001:db8:0:0:0:0:0:7");
    // Names the resolver would answer without the network: left unresolved, no lookup from a request.
    for (String name : java.util.List.of("localhost", "localhost.", "ip6-localhost")) {
      InetSocketAddress a = UpgradeRequest.peerAddress(name, 1);
      assertThat(a.isUnresolved()).as(name).isTrue();
      assertThat(a.getHostString()).isEqualTo(name);
    }
  }

  @Test
  void peerAddress_unknownPortIsZero_andNullIsRefused() {
    assertThat(UpgradeRequest.peerAddress("10.0.0.1", -1).getPort()).isZero();
    assertThat(UpgradeRequest.peerAddress("client.example", -5).getPort()).isZero();
    assertThatThrownBy(() -> UpgradeRequest.peerAddress(null, 1)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void query_pairBoundaries_leadingAmpersandEmptyPairsAndEmptyName() {
    // A '&' at index 0 ends an empty first pair; "&&" is an empty pair, skipped; "=v" is a pair with an empty name.
    UpgradeRequest r = UpgradeRequest.builder().requestTarget("/ws?&token=abc&&=v&x").build();
    assertThat(r.isQueryMalformed()).isFalse();
    assertThat(r.queryParameters()).containsOnlyKeys("token", "", "x");
    assertThat(r.queryParameters("token")).containsExactly("abc");
    assertThat(r.queryParameters("")).containsExactly("v");
    assertThat(r.queryParameters("x")).containsExactly("");
    assertThat(UpgradeRequest.builder().rawQuery("=v").build().queryParameters()).containsOnlyKeys("");
  }

  @Test
  void cookies_quotedValueBoundaries_onlyAPairOfQuotesIsStripped() {
    UpgradeRequest r = UpgradeRequest.builder()
        .header("Cookie", "e=\"\"; q=\"; open=\"abc; close=abc\"; one=\"x\"; ws_token=tok").build();
    assertThat(r.cookies("e")).as("a quoted empty value").containsExactly("");
    assertThat(r.cookies("q")).as("a lone quote is the value").containsExactly("\"");
    assertThat(r.cookies("open")).containsExactly("\"abc");
    assertThat(r.cookies("close")).containsExactly("abc\"");
    assertThat(r.cookies("one")).containsExactly("x");
    assertThat(r.cookies("ws_token")).containsExactly("tok");
  }

  @Test
  void toString_withoutQuery_showsThePathAlone() {
    assertThat(UpgradeRequest.builder().requestTarget("/ws").header("Host", "h").build().toString())
        .isEqualTo("UpgradeRequest[/ws, headers=[Host]]");
    assertThat(UpgradeRequest.builder().requestTarget("/ws?").build().toString())
        .isEqualTo("UpgradeRequest[/ws?, headers=[]]");
  }

  @Test
  void requestTarget_fragmentAtIndexZero_isDropped() {
    UpgradeRequest r = UpgradeRequest.builder().requestTarget("#token=abc").build();
    assertThat(r.path()).isEqualTo("/");
    assertThat(r.rawQuery()).isEmpty();
  }

  /** RFC 3986 §3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), each class at both of its ends. */
  @ParameterizedTest
  @ValueSource(strings = {"a", "z", "A", "Z", "xazAZ09+-.", "w0", "w9", "wa", "wz", "wA", "wZ"})
  void requestTarget_absoluteForm_schemeAtEachCharacterClassBoundary_isCut(String scheme) {
    UpgradeRequest r = UpgradeRequest.builder().requestTarget(scheme + "://host/ws?token=abc").build();
    assertThat(r.path()).isEqualTo("/ws");
    assertThat(r.queryParameters("token")).containsExactly("abc");
  }

  /**
   * What precedes "://" is no scheme when its first character is not a letter, or a later one is none of the
   * scheme characters (the neighbours of each class): then the target is a relative path, kept whole.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1ws", "@ws", "[ws", "`ws", "{ws", "+ws", "w@", "w[", "w`", "w{", "w~", "w_", "w!", "w;",
      "w/", "w,"})
  void requestTarget_notAScheme_beforeColonSlashSlash_isARelativePath(String notScheme) {
    UpgradeRequest r = UpgradeRequest.builder().requestTarget(notScheme + "://host/ws?token=abc").build();
    assertThat(r.path()).isEqualTo("/" + notScheme + "://host/ws");
    assertThat(r.queryParameters("token")).containsExactly("abc");
  }

  @Test
  void headers_fromAServersMap_skipNullNamesListsAndValues() {
    Map<String, List<String>> m = new java.util.LinkedHashMap<>();
    m.put(null, List.of("HTTP/1.1 200 OK"));
    m.put("A", java.util.Arrays.asList("1", null, "2"));
    m.put("B", null);
    UpgradeRequest r = UpgradeRequest.builder().headers(m).headers(null).build();
    assertThat(r.headers()).containsOnlyKeys("A");
    assertThat(r.headerValues("a")).containsExactly("1", "2");
    assertThat(UpgradeRequest.of("/ws", m, null).headerValues("A")).containsExactly("1", "2");
    assertThat(UpgradeRequest.of("/ws", m, null).headers()).containsOnlyKeys("A");
  }
}
