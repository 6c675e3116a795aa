package io.github.wsauth.jakarta.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.junit.jupiter.api.Test;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.WsAuthConfigurator;
import io.github.wsauth.jakarta.it.RawClient;
import io.github.wsauth.jakarta.it.WelcomeEndpoint;
import io.github.wsauth.testkit.MutableClock;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Issue 13 item 7 on standalone Tyrus, where the configurator decides alone: handshakes that Tyrus itself passes to
 * the configurator but that are not valid RFC 6455 handshakes (a key that is not 16 bytes of base64, two keys) are
 * refused by the configurator's handshake check before the token is read, so a valid unused token survives them.
 */
class TyrusHandshakeCheckTest {

  @Test
  void invalidKey_withAValidUnusedToken_is400_nothingConsumed() throws Exception {
    MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    TokenStore store = TokenStore.inMemory(clock);
    TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
    JakartaAuthConfig config = JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.queryParameter("token"))
        .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
        .originPolicy(OriginPolicy.anyOrigin())
        .build()).build();
    TyrusServerContainer server = (TyrusServerContainer) new GrizzlyServerContainer().createContainer(Map.of());
    server.addEndpoint(ServerEndpointConfig.Builder.create(WelcomeEndpoint.class, "/chat")
        .configurator(new WsAuthConfigurator(config)).build());
    server.start("/", 0);
    try {
      String t = issuer.issue("alice").value();
      String valid = RawClient.upgrade("/chat?token=" + t);
      for (String request : List.of(valid.replace(RawClient.KEY, "abc"),
          valid.replace(RawClient.KEY, RawClient.KEY + ", " + RawClient.KEY))) {
        try (RawClient c = RawClient.connect(server.getPort())) {
          c.write(request);
          assertThat(c.readResponse().status()).isEqualTo(400);
        }
      }
      try (RawClient c = RawClient.connect(server.getPort())) {
        c.write(valid);
        assertThat(c.readResponse().status()).isEqualTo(101);
        assertThat(c.readFrame().text()).isEqualTo("welcome alice");
      }
    } finally {
      server.stop();
    }
  }
}
