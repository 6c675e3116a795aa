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

  /** The parse-free fast path answers exactly as parsing the URI does, over every short path and query. */
  @Test
  void uriProblem_fastPath_agreesWithJavaNetUri() {
    String alphabet = "a/%4Z?&=:@;[] #\"<>{}|^`\u00e9\u007f!$'()*+,-._~";
    java.util.Random random = new java.util.Random(13);
    for (int run = 0; run < 50_000; run++) {
      String path = "/" + randomString(random, alphabet);
      String query = random.nextInt(4) == 0 ? null : randomString(random, alphabet);
      String expected;
      try {
        new java.net.URI("ws://localhost" + path + (query == null ? "" : "?" + query));
        expected = null;
      } catch (java.net.URISyntaxException e) {
        expected = "refused";
      }
      String problem = UpgradeRequests.uriProblem(path, query);
      assertThat(problem == null ? null : "refused").as(path + " ? " + query).isEqualTo(expected);
    }
  }

  private static String randomString(java.util.Random random, String alphabet) {
    StringBuilder b = new StringBuilder();
    for (int n = random.nextInt(7); n > 0; n--) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
