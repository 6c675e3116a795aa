package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The client side's credential: what each scheme adds to a handshake's headers, and what it refuses. */
class ClientCredentialTest {

  @Test
  void bearer_addsAuthorization_suppliedPerHandshake() {
    AtomicInteger n = new AtomicInteger();
    ClientCredential c = ClientCredential.bearer(() -> "tok" + n.incrementAndGet());
    Map<String, List<String>> h1 = new HashMap<>(Map.of("authorization", List.of("Bearer stale")));
    c.applyTo(h1);
    Map<String, List<String>> h2 = new HashMap<>();
    c.applyTo(h2);
    assertThat(h1).containsExactly(Map.entry("Authorization", List.of("Bearer tok1")));
    assertThat(h2).containsExactly(Map.entry("Authorization", List.of("Bearer tok2")));
    assertThat(n).hasValue(2);
  }

  @Test
  void authorization_replacesEveryCasing_keepsOtherHeaders() {
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put(null, List.of("HTTP/1.1 status line, as HttpURLConnection keys it"));
    h.put("AUTHORIZATION", List.of("Basic old"));
    h.put("Origin", List.of("https://app.example"));
    h.put("Authorization", List.of("Bearer a", "Bearer b"));
    h.put("Sec-WebSocket-Protocol", List.of("chat"));
    ClientCredential.bearer(() -> "t").applyTo(h);
    Map<String, List<String>> expected = new HashMap<>();
    expected.put(null, List.of("HTTP/1.1 status line, as HttpURLConnection keys it"));
    expected.put("Origin", List.of("https://app.example"));
    expected.put("Sec-WebSocket-Protocol", List.of("chat"));
    expected.put("Authorization", List.of("Bearer t"));
    assertThat(h).isEqualTo(expected);
  }

  @Test
  void applyTo_caseInsensitiveMap_asJakartaClientsGiveIt() {
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.put("authorization", List.of("Bearer stale"));
    h.put("sec-websocket-protocol", List.of("chat, authorization.bearer.old"));
    ClientCredential.bearer(() -> "t").applyTo(h);
    ClientCredential.subprotocol(() -> "u").applyTo(h);
    assertThat(h).containsExactly(Map.entry("Authorization", List.of("Bearer t")),
        Map.entry("Sec-WebSocket-Protocol", List.of("chat, authorization.bearer.u")));
  }

  @Test
  void basic_encodesUtf8UserAndToken() {
    Map<String, List<String>> h = new HashMap<>();
    ClientCredential.basic("zoë", () -> "sec:ret").applyTo(h);
    String value = h.get("Authorization").get(0);
    assertThat(value)
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("zoë:sec:ret".getBytes(StandardCharsets.UTF_8)));
    assertThat(new String(Base64.getDecoder().decode(value.substring(6)), StandardCharsets.UTF_8))
        .isEqualTo("zoë:sec:ret");
    assertThat(h).containsOnlyKeys("Authorization");
  }

  @Test
  void basic_refusesColonOrControlInUsername() {
    for (String bad : new String[] {"a:b", ":", "a\nb", "a\u0000", "a\u007f", "a\u0085"}) {
      assertThatThrownBy(() -> ClientCredential.basic(bad, () -> "t")).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("username must not contain a colon or control characters (RFC 7617)");
    }
    assertThatThrownBy(() -> ClientCredential.basic(null, () -> "t"))
        .isInstanceOf(NullPointerException.class).hasMessage("username must not be null");
    assertThat(ClientCredential.basic("svc user é~", () -> "t").nextHeaderValue())
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("svc user é~:t".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void subprotocol_appendsTokenEntryAfterApplicationProtocols() {
    Map<String, List<String>> h =
        new HashMap<>(Map.of("Sec-WebSocket-Protocol", List.of("chat, authorization.bearer.old")));
    ClientCredential.subprotocol(() -> "abc").applyTo(h);
    assertThat(h).containsExactly(Map.entry("Sec-WebSocket-Protocol", List.of("chat, authorization.bearer.abc")));
  }

  @Test
  void subprotocol_mergesEveryOfferedEntryInOrder_dropsStaleAndBlankEntries() {
    Map<String, List<String>> h = new LinkedHashMap<>();
    h.put("sec-websocket-protocol", new ArrayList<>(List.of(" chat ,, authorization.bearer.stale", "v2.chat")));
    h.put("Authorization", List.of("Bearer other"));
    h.put("SEC-WEBSOCKET-PROTOCOL", List.of(" ,x-authorization.bearer.keep, authorization.bearer.stale2 "));
    ClientCredential.subprotocol(() -> "fresh").applyTo(h);
    assertThat(h).containsOnly(Map.entry("Authorization", List.of("Bearer other")), Map.entry(
        "Sec-WebSocket-Protocol", List.of("chat, v2.chat, x-authorization.bearer.keep, authorization.bearer.fresh")));
  }

  @Test
  void subprotocol_withOwnPrefix_dropsOnlyThatPrefixsEntries() {
    Map<String, List<String>> h = new HashMap<>(
        Map.of("Sec-WebSocket-Protocol", List.of("chat, acme.token.old, authorization.bearer.other")));
    ClientCredential.subprotocol("acme.token.", () -> "t1").applyTo(h);
    assertThat(h).containsExactly(
        Map.entry("Sec-WebSocket-Protocol", List.of("chat, authorization.bearer.other, acme.token.t1")));
    Map<String, List<String>> none = new HashMap<>();
    ClientCredential.subprotocol("acme.token.", () -> "t2").applyTo(none);
    assertThat(none).containsExactly(Map.entry("Sec-WebSocket-Protocol", List.of("acme.token.t2")));
  }

  @Test
  void subprotocol_refusesAPrefixThatIsNoHttpToken() {
    for (String bad : new String[] {"", "a b.", "a,b.", "é."}) {
      assertThatThrownBy(() -> ClientCredential.subprotocol(bad, () -> "t")).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessage("subprotocol prefix must be a non-empty HTTP token");
    }
    assertThatThrownBy(() -> ClientCredential.subprotocol(null, () -> "t"))
        .isInstanceOf(NullPointerException.class).hasMessage("subprotocol prefix must not be null");
  }

  @Test
  void subprotocol_refusesATokenThatIsNoHttpToken_beforeTouchingTheHeaders() {
    // "/" and "=" are b64token characters (a valid Bearer token) but no tchar: they cannot be a subprotocol entry.
    for (String bad : new String[] {"ab/cd", "abc=", "a b", "a,b"}) {
      Map<String, List<String>> h = new HashMap<>(Map.of("Sec-WebSocket-Protocol", List.of("chat")));
      assertThatThrownBy(() -> ClientCredential.subprotocol(() -> bad).applyTo(h)).as(bad)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the token cannot travel in Sec-WebSocket-Protocol (not an HTTP token)");
      assertThat(h).containsExactly(Map.entry("Sec-WebSocket-Protocol", List.of("chat")));
    }
    assertThat(ClientCredential.bearer(() -> "ab/cd=").nextHeaderValue()).isEqualTo("Bearer ab/cd=");
  }

  @Test
  void headerNameAndValue_forOtherClients() {
    AtomicInteger n = new AtomicInteger();
    ClientCredential bearer = ClientCredential.bearer(() -> "tok" + n.incrementAndGet());
    assertThat(bearer.headerName()).isEqualTo("Authorization");
    assertThat(n).hasValue(0);
    assertThat(bearer.nextHeaderValue()).isEqualTo("Bearer tok1");
    assertThat(bearer.nextHeaderValue()).isEqualTo("Bearer tok2");
    ClientCredential basic = ClientCredential.basic("u", () -> "p");
    assertThat(basic.headerName()).isEqualTo("Authorization");
    assertThat(basic.nextHeaderValue()).isEqualTo("Basic dTpw");
    ClientCredential sub = ClientCredential.subprotocol(() -> "tok");
    assertThat(sub.headerName()).isEqualTo("Sec-WebSocket-Protocol");
    assertThat(sub.nextHeaderValue()).isEqualTo("authorization.bearer.tok");
    assertThat(ClientCredential.subprotocol("acme.", () -> "tok").nextHeaderValue()).isEqualTo("acme.tok");
  }

  @Test
  void toString_neverShowsTheToken() {
    AtomicInteger calls = new AtomicInteger();
    ClientCredential bearer = ClientCredential.bearer(() -> "s3cr3t" + calls.incrementAndGet());
    assertThat(bearer.toString()).isEqualTo("ClientCredential[BEARER]");
    assertThat(ClientCredential.basic("u", () -> "s3cr3t").toString()).isEqualTo("ClientCredential[BASIC, username=u]");
    assertThat(ClientCredential.subprotocol(() -> "s3cr3t").toString()).isEqualTo("ClientCredential[SUBPROTOCOL]");
    assertThat(calls).hasValue(0);
  }

  @Test
  void unusableToken_failsBeforeSending_withoutEchoingIt() {
    for (String bad : new String[] {null, "", "a\r\nX-Evil: 1", "a\u0000", "a\tb", "a\u007f", "a\u0085b"}) {
      for (ClientCredential c : List.of(ClientCredential.bearer(() -> bad), ClientCredential.basic("u", () -> bad),
          ClientCredential.subprotocol(() -> bad))) {
        Map<String, List<String>> h = new HashMap<>(Map.of("Authorization", List.of("Bearer previous"),
            "Sec-WebSocket-Protocol", List.of("chat")));
        assertThatThrownBy(() -> c.applyTo(h)).as(c + " " + bad)
            .isInstanceOf(IllegalStateException.class).hasMessage("the token supplier returned no usable token");
        assertThat(h).as("untouched").containsOnly(Map.entry("Authorization", List.of("Bearer previous")),
            Map.entry("Sec-WebSocket-Protocol", List.of("chat")));
      }
    }
    assertThatThrownBy(() -> ClientCredential.bearer(null))
        .isInstanceOf(NullPointerException.class).hasMessage("token supplier must not be null");
  }
}
