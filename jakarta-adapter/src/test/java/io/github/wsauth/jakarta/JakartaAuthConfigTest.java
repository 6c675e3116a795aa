package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;

class JakartaAuthConfigTest {
  private final TokenVerifier verifier = TokenVerifier.opaque(TokenStore.inMemory(Clock.systemUTC()), TokenPolicy.defaults());
  private final HandshakeAuthenticator handshake = HandshakeAuthenticator.builder()
      .extractor(CredentialExtractor.bearerHeader()).verifier(verifier)
      .originPolicy(OriginPolicy.allowOnly("https://app.example")).build();
  private final FirstMessageAuthenticator firstMessage = FirstMessageAuthenticator.builder().verifier(verifier).build();

  @Test
  void build_defaults_areSafe() {
    JakartaAuthConfig c = JakartaAuthConfig.builder().handshake(handshake).build();
    assertThat(c.closeOnExpiry()).isFalse();
    assertThat(c.originPolicy()).isSameAs(handshake.originPolicy());
    assertThat(JakartaAuthConfig.builder().firstMessage(firstMessage).build().originPolicy().allowsAnyOrigin())
        .isTrue();
  }

  @Test
  void build_contradictions_failFast() {
    // The first two are core's AdapterConfig checks (tested there): Jakarta's build reaches them.
    assertThatThrownBy(() -> JakartaAuthConfig.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("set a handshake or a first-message authenticator");
    assertThatThrownBy(() -> JakartaAuthConfig.builder().handshake(handshake).firstMessage(firstMessage).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("set either a handshake or a first-message authenticator, not both (use two configurations)");
    assertThatThrownBy(() -> JakartaAuthConfig.builder().handshake(handshake).originPolicy(OriginPolicy.anyOrigin())
        .build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("the handshake authenticator's origin policy applies; do not set another");
    // An origin policy for first-message authentication is taken.
    assertThat(JakartaAuthConfig.builder().firstMessage(firstMessage).originPolicy(OriginPolicy.allowOnly(
        "https://app.example")).build().originPolicy().allowsAnyOrigin()).isFalse();
  }

  @Test
  void configurator_withoutHandshakeAuthenticator_isRefused() {
    JakartaAuthConfig fm = JakartaAuthConfig.builder().firstMessage(firstMessage).build();
    assertThatThrownBy(() -> new WsAuthConfigurator(fm)).isInstanceOf(IllegalStateException.class)
        .hasMessage("this configuration has no handshake authenticator");
    assertThatThrownBy(() -> new WsAuthFilter(fm)).isInstanceOf(IllegalStateException.class)
        .hasMessage("this configuration has no handshake authenticator");
  }

  @Test
  void toString_namesNoSecret() {
    assertThat(JakartaAuthConfig.builder().handshake(handshake).clock(Clock.fixed(Instant.EPOCH, java.time.ZoneOffset.UTC))
        .build().toString()).contains("OriginPolicy");
  }
}
