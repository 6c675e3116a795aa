package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** Which requests the filter authenticates and which Spring Security leaves to wsauth. */
class ProtectedPathsTest {
  private static MockHttpServletRequest request(String contextPath, String uri) {
    MockHttpServletRequest r = new MockHttpServletRequest("GET", uri);
    r.setContextPath(contextPath);
    return r;
  }

  @Test
  void handshakePaths_matchTheirPatterns_underTheContextPath() {
    ProtectedPaths paths = new ProtectedPaths();
    paths.authenticateHandshake("/chat", "/rooms/{room}");
    assertThat(paths.authenticatesHandshake(request("", "/chat"))).isTrue();
    assertThat(paths.authenticatesHandshake(request("", "/rooms/r1"))).isTrue();
    assertThat(paths.authenticatesHandshake(request("/app", "/app/chat"))).isTrue();
    assertThat(paths.authenticatesHandshake(request("/app", "/app/rooms/r1"))).isTrue();
    assertThat(paths.authenticatesHandshake(request("", "/chat/more"))).isFalse();
    assertThat(paths.authenticatesHandshake(request("", "/other"))).isFalse();
    assertThat(paths.handshakePatterns()).containsExactly("/chat", "/rooms/{room}");
  }

  @Test
  void laterPaths_areCovered_butNotAuthenticatedAtTheHandshake() {
    ProtectedPaths paths = new ProtectedPaths();
    paths.authenticateLater(List.of("/stomp"));
    assertThat(paths.covers(request("", "/stomp"))).isTrue();
    assertThat(paths.authenticatesHandshake(request("", "/stomp"))).isFalse();
    assertThat(paths.covers(request("", "/other"))).isFalse();
    paths.authenticateHandshake("/chat");
    assertThat(paths.covers(request("", "/chat"))).isTrue();
  }

  @Test
  void theContextRoot_isThePathSlash() {
    ProtectedPaths paths = new ProtectedPaths();
    paths.authenticateHandshake("/");
    assertThat(paths.authenticatesHandshake(request("/app", "/app"))).isTrue();
    assertThat(paths.authenticatesHandshake(request("", "/"))).isTrue();
  }

  @Test
  void aRequestWithoutAUri_orWithAnUndecodablePath_matchesNothing() {
    ProtectedPaths paths = new ProtectedPaths();
    paths.authenticateHandshake("/**");
    MockHttpServletRequest noUri = request("", "/chat");
    noUri.setRequestURI(null);
    assertThat(paths.authenticatesHandshake(noUri)).isFalse();
    assertThat(paths.authenticatesHandshake(request("", "/chat%ZZ"))).isFalse();
    assertThat(paths.authenticatesHandshake(request("", "/chat"))).isTrue();
    MockHttpServletRequest noContext = request("", "/chat");
    noContext.setContextPath(null);
    assertThat(paths.authenticatesHandshake(noContext)).isTrue();
  }

  @Test
  void aPathThatDoesNotStartWithSlash_isRefusedWhenRegistered() {
    ProtectedPaths paths = new ProtectedPaths();
    for (String bad : new String[] {"chat", "", null}) {
      assertThatThrownBy(() -> paths.authenticateHandshake(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a WebSocket path starts with '/': " + bad);
    }
    assertThatThrownBy(() -> paths.authenticateLater(List.of("stomp")))
        .hasMessage("a WebSocket path starts with '/': stomp");
    assertThat(paths.handshakePatterns()).isEmpty();
  }
}
