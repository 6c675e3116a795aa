package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import jakarta.servlet.ServletContext;

class EndpointPathsTest {

  @Test
  void matches_exactPath_only() {
    EndpointPaths p = EndpointPaths.of("/chat");
    assertThat(p.matches("/chat")).isTrue();
    assertThat(p.matches("/chat/")).isFalse();
    assertThat(p.matches("/chatx")).isFalse();
    assertThat(p.matches("/chat/more")).isFalse();
    assertThat(p.matches("/")).isFalse();
    assertThat(p.matches(null)).isFalse();
  }

  @Test
  void matches_templateSegment_nonEmptyAndSameDepth() {
    EndpointPaths p = EndpointPaths.of("/rooms/{room}/chat");
    assertThat(p.matches("/rooms/a/chat")).isTrue();
    assertThat(p.matches("/rooms//chat")).isFalse();
    assertThat(p.matches("/rooms/a/b/chat")).isFalse();
    assertThat(p.matches("/rooms/a/chatx")).isFalse();
  }

  @Test
  void urlPatterns_exactPathOrPrefixBeforeTheFirstTemplate() {
    assertThat(EndpointPaths.of("/chat", "/rooms/{room}", "/a/b/{c}/d", "/").urlPatterns())
        .containsExactly("/chat", "/rooms/*", "/a/b/*", "/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chat", "/chat?x", "/chat/*", "/a//b", "/a/../b", "/a/./b", "/a/..", "/chat#f"})
  void of_notAPathTemplate_isRefused(String path) {
    assertThatThrownBy(() -> EndpointPaths.of(path)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an endpoint path must be a path template such as /chat or /rooms/{room}");
  }

  @Test
  void patternCovers_servletUrlPatterns() {
    assertThat(EndpointPaths.patternCovers("/*", "/chat")).isTrue();
    assertThat(EndpointPaths.patternCovers("/hs/*", "/hs/annotated")).isTrue();
    assertThat(EndpointPaths.patternCovers("/hs/*", "/hs")).isTrue();
    assertThat(EndpointPaths.patternCovers("/hs/*", "/hsx")).isFalse();
    assertThat(EndpointPaths.patternCovers("/chat", "/chat")).isTrue();
    assertThat(EndpointPaths.patternCovers("/chat", "/admin")).isFalse();
    assertThat(EndpointPaths.patternCovers("*.ws", "/a.ws")).isTrue();
  }

  @Test
  void install_withoutEndpointPath_isRefused() {
    JakartaAuthConfig config = JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.bearerHeader())
        .verifier(TokenVerifier.opaque(TokenStore.inMemory(Clock.systemUTC()), TokenPolicy.defaults()))
        .originPolicy(OriginPolicy.anyOrigin()).build()).build();
    ServletContext context = mock(ServletContext.class);
    assertThatThrownBy(() -> WsAuthFilter.install(context, config)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name at least one endpoint path, e.g. \"/chat\"");
    assertThatThrownBy(() -> WsAuthFilter.install(context, config, "chat"))
        .isInstanceOf(IllegalArgumentException.class);
    verifyNoInteractions(context);
  }

  @Test
  void templates_matchOnlyTheirNumberOfSegments_andNoNullPath() {
    EndpointPaths rooms = EndpointPaths.of("/rooms/{room}");
    assertThat(rooms.matches("/rooms/a")).isTrue();
    assertThat(rooms.matches("/rooms/a/b")).isFalse();
    assertThat(rooms.matches("/rooms")).isFalse();
    assertThat(rooms.matches(null)).isFalse();
  }

  @Test
  void patternCovers_nullsAndExtensionPatterns() {
    assertThat(EndpointPaths.patternCovers(null, "/ws")).isFalse();
    assertThat(EndpointPaths.patternCovers("/*", null)).isFalse();
    assertThat(EndpointPaths.patternCovers("*.ws", "/chat.ws")).isTrue();
    assertThat(EndpointPaths.patternCovers("*.do", "/ws")).isFalse();
    assertThat(EndpointPaths.nonNull(java.util.Arrays.asList("/a", null, "/b"))).containsExactly("/a", "/b");
    assertThat(EndpointPaths.nonNull(null)).isEmpty();
  }
}
