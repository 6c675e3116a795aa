package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.store.TokenStore;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The servlet-side check on the wsauth paths only, and the unbound configurator's refusal. */
class WsAuthUpgradeFilterTest {
  private final JakartaAuthConfig config = JakartaAuthConfig.builder()
      .handshake(HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
          .verifier(TokenVerifier.opaque(TokenStore.inMemory(Clock.systemUTC()), TokenPolicy.defaults()))
          .originPolicy(OriginPolicy.anyOrigin()).build())
      .build();


  @Test
  void anUpgradeOfAWsAuthPath_withoutAToken_isRefusedWith401() throws Exception {
    ProtectedPaths paths = new ProtectedPaths();
    paths.authenticateHandshake("/chat");
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    new WsAuthUpgradeFilter(paths, config).doFilter(UnitFixtures.upgrade("/chat"), response, chain);
    assertThat(response.getStatus()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(chain.getRequest()).as("not passed on").isNull();
  }

  @Test
  void anUpgradeOfAnotherPath_isPassedOnUntouched() throws Exception {
    ProtectedPaths paths = new ProtectedPaths();
    paths.authenticateHandshake("/chat");
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();
    MockHttpServletRequest other = UnitFixtures.upgrade("/other");
    WsAuthUpgradeFilter filter = new WsAuthUpgradeFilter(paths, config);
    filter.doFilter(other, response, chain);
    assertThat(response.getStatus()).isEqualTo(200);
    assertThat(chain.getRequest()).isSameAs(other);
    assertThat(filter).hasToString("WsAuthUpgradeFilter[[/chat]]");
  }

  @Test
  void theUnboundConfigurator_refusesEveryHandshake_andLogsWhy() {
    try (UnitFixtures.LogLines log = new UnitFixtures.LogLines()) {
      WsAuthSpringConfigurator unbound = new WsAuthSpringConfigurator();
      assertThat(unbound.checkOrigin("https://app.example")).isFalse();
      assertThat(unbound).hasToString("WsAuthSpringConfigurator[unbound]");
      assertThat(log.messages()).anyMatch(l -> l.startsWith("wsauth refused a WebSocket handshake: a @ServerEndpoint with"
          + " configurator=WsAuthSpringConfigurator was registered by another ServerEndpointExporter"));
    }
  }
}
