package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.wsauth.jakarta.tunnel.FakeContainer;
import jakarta.servlet.http.HttpServletRequestWrapper;

class UpgradeRequestsTest {
  private static final String FAKE = FakeContainer.class.getName();
  private static final UpgradeRequests.TunnelLookup FAKE_LOOKUP = new UpgradeRequests.TunnelLookup(List.of(FAKE),
      FAKE + "$CoreRequest", FAKE + "$Tunnel");

  /** A request with {@code method} whose fake container request has a CONNECT tunnel of {@code protocol}. */
  private static jakarta.servlet.http.HttpServletRequest tunnelRequest(String method,
      FakeContainer.Tunnel tunnel) {
    jakarta.servlet.http.HttpServletRequest r = org.mockito.Mockito.mock(jakarta.servlet.http.HttpServletRequest.class);
    org.mockito.Mockito.when(r.getMethod()).thenReturn(method);
    FakeContainer.CoreRequest core = () -> tunnel;
    org.mockito.Mockito.when(r.getAttribute(FakeContainer.CORE)).thenReturn(core);
    return r;
  }

  @Test
  void connectProtocol_ofAConnect_isItsTunnelsProtocol_alsoThroughAWrapper() {
    jakarta.servlet.http.HttpServletRequest r = tunnelRequest("CONNECT", () -> "websocket");
    assertThat(UpgradeRequests.connectProtocol(r, FAKE_LOOKUP)).isEqualTo("websocket");
    assertThat(UpgradeRequests.connectProtocol(new HttpServletRequestWrapper(r), FAKE_LOOKUP)).isEqualTo("websocket");
    assertThat(UpgradeRequests.connectProtocol(tunnelRequest("CONNECT", () -> "connect-udp"), FAKE_LOOKUP))
        .isEqualTo("connect-udp");
  }

  @Test
  void connectProtocol_ofAnotherMethod_isNull_whateverTheContainerSays() {
    for (String method : new String[] {"GET", "connect", "POST"}) {
      assertThat(UpgradeRequests.connectProtocol(tunnelRequest(method, () -> "websocket"), FAKE_LOOKUP)).isNull();
    }
  }

  @Test
  void connectProtocol_withoutATunnelOrItsProtocol_isNull() {
    assertThat(UpgradeRequests.connectProtocol(tunnelRequest("CONNECT", null), FAKE_LOOKUP)).isNull();
    assertThat(UpgradeRequests.connectProtocol(tunnelRequest("CONNECT", () -> null), FAKE_LOOKUP)).isNull();
    jakarta.servlet.http.HttpServletRequest noCore = org.mockito.Mockito.mock(
        jakarta.servlet.http.HttpServletRequest.class);
    org.mockito.Mockito.when(noCore.getMethod()).thenReturn("CONNECT");
    assertThat(UpgradeRequests.connectProtocol(noCore, FAKE_LOOKUP)).isNull();
  }

  @Test
  void connectProtocol_triesEachEnvironment_pastOneThatRefusesTheRequest() {
    UpgradeRequests.TunnelLookup refusingFirst = new UpgradeRequests.TunnelLookup(
        List.of(FAKE + "$Refusing", FAKE), FAKE + "$CoreRequest", FAKE + "$Tunnel");
    assertThat(UpgradeRequests.connectProtocol(tunnelRequest("CONNECT", () -> "websocket"), refusingFirst))
        .isEqualTo("websocket");
  }

  @Test
  void connectProtocol_onAContainerWithoutThoseClasses_isNull() {
    UpgradeRequests.TunnelLookup absent = new UpgradeRequests.TunnelLookup(List.of("no.such.Container", FAKE),
        FAKE + "$CoreRequest", "no.such.Tunnel");
    assertThat(UpgradeRequests.connectProtocol(tunnelRequest("CONNECT", () -> "websocket"), absent)).isNull();
    // Without Jetty on this class path (the unit tests' execution), the real lookup finds nothing.
    assertThat(UpgradeRequests.connectProtocol(tunnelRequest("CONNECT", () -> "websocket"))).isNull();
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
  void servletHeaders_keepEveryValueInOrder_dropNullValuesAndNames_andAContainerThatHidesThemGivesNone() {
    jakarta.servlet.http.HttpServletRequest r = org.mockito.Mockito.mock(jakarta.servlet.http.HttpServletRequest.class);
    org.mockito.Mockito.when(r.getHeaderNames()).thenAnswer(i -> java.util.Collections.enumeration(
        java.util.Arrays.asList("Sec-WebSocket-Key", null, "Cookie", "X-Hidden")));
    org.mockito.Mockito.when(r.getHeaders("Sec-WebSocket-Key")).thenAnswer(i -> java.util.Collections.enumeration(
        java.util.List.of("k1", "k2")));
    org.mockito.Mockito.when(r.getHeaders("Cookie")).thenAnswer(i -> java.util.Collections.enumeration(
        java.util.Arrays.asList("a=1", null, "b=2")));
    org.mockito.Mockito.when(r.getHeaders("X-Hidden")).thenReturn(null);
    org.mockito.Mockito.when(r.getHeaders(org.mockito.ArgumentMatchers.isNull()))
        .thenThrow(new NullPointerException("a container need not accept a null name"));
    org.mockito.Mockito.when(r.getRequestURI()).thenReturn("/ws");
    java.util.Map<String, java.util.List<String>> headers = UpgradeRequests.headers(r);
    assertThat(headers).containsExactly(java.util.Map.entry("Sec-WebSocket-Key", java.util.List.of("k1", "k2")),
        java.util.Map.entry("Cookie", java.util.List.of("a=1", "b=2")));
    io.github.wsauth.UpgradeRequest copy = UpgradeRequests.from(r);
    assertThat(copy.header("sec-websocket-key")).as("the first key, as the filter offers it").contains("k1");
    assertThat(copy.headerValues("cookie")).containsExactly("a=1", "b=2");

    org.mockito.Mockito.when(r.getHeaderNames()).thenReturn(null); // a container that does not allow access
    assertThat(UpgradeRequests.headers(r)).isEmpty();
    assertThat(UpgradeRequests.from(r).headers()).isEmpty();
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
