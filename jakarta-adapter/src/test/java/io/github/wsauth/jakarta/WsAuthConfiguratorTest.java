package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.testkit.MutableClock;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

class WsAuthConfiguratorTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final TokenStore store = TokenStore.inMemory(clock);
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
  private final JakartaAuthConfig config = JakartaAuthConfig.builder()
      .handshake(HandshakeAuthenticator.builder()
          .extractor(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(), CredentialExtractor.subprotocol()))
          .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
          .originPolicy(OriginPolicy.allowOnly("https://app.example"))
          .subprotocols(List.of("chat", "chat.v2"))
          .build())
      .build();
  private final WsAuthConfigurator configurator = new WsAuthConfigurator(config);

  /** A valid opening handshake whose Sec-WebSocket-Key is derived from {@code name}. */
  private static HandshakeRequest request(String name, Map<String, List<String>> headers) {
    HandshakeRequest r = mock(HandshakeRequest.class);
    Map<String, List<String>> all = new HashMap<>(headers);
    all.put("Upgrade", List.of("websocket"));
    all.put("Connection", List.of("Upgrade"));
    all.put("Sec-WebSocket-Version", List.of("13"));
    all.put("Sec-WebSocket-Key", List.of(key(name)));
    when(r.getHeaders()).thenReturn(all);
    when(r.getRequestURI()).thenReturn(URI.create("ws://localhost/ws"));
    return r;
  }

  private static String key(String name) {
    return java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(
        name.getBytes(java.nio.charset.StandardCharsets.UTF_8), 16));
  }

  private static ServerEndpointConfig sec(WsAuthConfigurator c) {
    return ServerEndpointConfig.Builder.create(Object.class, "/ws").configurator(c).build();
  }

  private static HandshakeResponse response() {
    Map<String, List<String>> headers = new HashMap<>();
    HandshakeResponse r = mock(HandshakeResponse.class);
    when(r.getHeaders()).thenReturn(headers);
    return r;
  }

  @Test
  void negotiatedSubprotocol_neverTheTokenEntry_serverPreferenceWins() {
    assertThat(configurator.getNegotiatedSubprotocol(List.of(), List.of("authorization.bearer.abc", "chat.v2", "chat")))
        .isEqualTo("chat");
    assertThat(configurator.getNegotiatedSubprotocol(List.of("authorization.bearer.abc"),
        List.of("authorization.bearer.abc"))).isEmpty();
    assertThat(configurator.getNegotiatedSubprotocol(List.of(), List.of())).isEmpty();
  }

  @Test
  void negotiatedSubprotocol_delegateChoosingATokenEntry_isIgnored() {
    ServerEndpointConfig.Configurator evil = new ServerEndpointConfig.Configurator() {
      @Override
      public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return "authorization.bearer.abc";
      }
    };
    WsAuthConfigurator c = new WsAuthConfigurator(config, evil);
    assertThat(c.getNegotiatedSubprotocol(List.of(), List.of("authorization.bearer.abc", "chat"))).isEmpty();
  }

  @Test
  void checkOrigin_appliesPolicy() {
    assertThat(configurator.checkOrigin("https://app.example")).isTrue();
    assertThat(configurator.checkOrigin(null)).isTrue();
    assertThat(configurator.checkOrigin("https://evil.example")).isFalse();
  }

  @Test
  void modifyHandshake_validToken_storesIdentityInUserProperties() {
    String token = issuer.issue("alice").value();
    ServerEndpointConfig sec = sec(configurator);
    configurator.modifyHandshake(sec, request("k1", Map.of("Authorization", List.of("Bearer " + token))), response());
    assertThat(((Identity) sec.getUserProperties().get(JakartaWsAuth.IDENTITY_KEY)).subject()).isEqualTo("alice");
  }

  @Test
  void modifyHandshake_rejected_throwsWithoutSecret_andSetsChallenge() {
    HandshakeResponse response = response();
    assertThatThrownBy(() -> configurator.modifyHandshake(sec(configurator),
        request("k1", Map.of("Authorization", List.of("Bearer forgedforgedforged"))), response))
        .isInstanceOf(HandshakeRejectedException.class)
        .satisfies(e -> assertThat(((HandshakeRejectedException) e).status()).isEqualTo(401))
        .hasMessageNotContaining("forged");
    assertThat(response.getHeaders().get("WWW-Authenticate")).containsExactly(
        "Bearer realm=\"wsauth\", error=\"invalid_token\"");
  }

  @Test
  void modifyHandshake_sharedUserProperties_failsClosed() {
    ServerEndpointConfig shared = sec(configurator);
    configurator.modifyHandshake(shared, request("k1",
        Map.of("Authorization", List.of("Bearer " + issuer.issue("alice").value()))), response());
    assertThatThrownBy(() -> configurator.modifyHandshake(shared, request("k2",
        Map.of("Authorization", List.of("Bearer " + issuer.issue("bob").value()))), response()))
        .isInstanceOf(HandshakeRejectedException.class);
    assertThat(((Identity) shared.getUserProperties().get(JakartaWsAuth.IDENTITY_KEY)).subject()).isEqualTo("alice");
  }

  @Test
  void modifyHandshake_filterDecisionForThisKey_isReusedWithoutVerifyingAgain() {
    String token = issuer.issue("alice").value();
    Identity fromFilter = Identity.of("alice", Map.of(), clock.instant().plusSeconds(30));
    ServerEndpointConfig sec = sec(configurator);
    try (Handoff handoff = Handoff.offer(config, key("k1"), "/ws", fromFilter)) {
      configurator.modifyHandshake(sec, request("k1", Map.of("Authorization", List.of("Bearer " + token))), response());
      assertThat(handoff.claimed()).isTrue();
    }
    assertThat(sec.getUserProperties().get(JakartaWsAuth.IDENTITY_KEY)).isSameAs(fromFilter);
    // The token was not consumed by the configurator: it still works once.
    ServerEndpointConfig other = sec(configurator);
    configurator.modifyHandshake(other, request("k2", Map.of("Authorization", List.of("Bearer " + token))), response());
    assertThat(other.getUserProperties()).containsKey(JakartaWsAuth.IDENTITY_KEY);
  }

  @Test
  void modifyHandshake_filterDecisionForAnotherKey_isRefused() {
    Identity fromFilter = Identity.of("mallory", Map.of(), clock.instant().plusSeconds(30));
    String token = issuer.issue("alice").value();
    try (Handoff handoff = Handoff.offer(config, key("other-key"), "/ws", fromFilter)) {
      assertThatThrownBy(() -> configurator.modifyHandshake(sec(configurator),
          request("k1", Map.of("Authorization", List.of("Bearer " + token))), response()))
          .isInstanceOf(HandshakeRejectedException.class)
          .satisfies(e -> assertThat(((HandshakeRejectedException) e).status()).isEqualTo(403));
      assertThat(handoff.claimed()).isFalse();
    }
  }

  @Test
  @SuppressWarnings("try") // the handoff is a scope: open around the handshake, never read in it
  void modifyHandshake_filterDecisionForAnotherPath_isRefused() {
    Identity fromFilter = Identity.of("mallory", Map.of(), clock.instant().plusSeconds(30));
    try (Handoff handoff = Handoff.offer(config, key("k1"), "/elsewhere", fromFilter)) {
      assertThatThrownBy(() -> configurator.modifyHandshake(sec(configurator), request("k1", Map.of()), response()))
          .isInstanceOf(HandshakeRejectedException.class)
          .satisfies(e -> assertThat(((HandshakeRejectedException) e).status()).isEqualTo(403));
    }
  }

  @Test
  void modifyHandshake_filterDecisionUnderAnotherConfiguration_isRefusedNotTrusted() {
    JakartaAuthConfig other = JakartaAuthConfig.builder().handshake(config.handshake().orElseThrow()).build();
    Identity fromFilter = Identity.of("alice", Map.of(), clock.instant().plusSeconds(30));
    ServerEndpointConfig sec = sec(configurator);
    try (Handoff handoff = Handoff.offer(other, key("k1"), "/ws", fromFilter)) {
      assertThatThrownBy(() -> configurator.modifyHandshake(sec, request("k1", Map.of()), response()))
          .isInstanceOf(HandshakeRejectedException.class)
          .satisfies(e -> assertThat(((HandshakeRejectedException) e).status()).isEqualTo(403))
          .hasMessage("WebSocket handshake rejected (403): not authenticated for this endpoint");
      assertThat(handoff.claimed()).isFalse();
    }
    assertThat(sec.getUserProperties()).doesNotContainKey(JakartaWsAuth.IDENTITY_KEY);
  }

  @Test
  void modifyHandshake_invalidHandshake_isRefusedBeforeTheTokenIsConsumed() {
    String token = issuer.issue("alice").value();
    HandshakeRequest r = request("k1", Map.of("Authorization", List.of("Bearer " + token)));
    Map<String, List<String>> headers = new HashMap<>(r.getHeaders());
    headers.put("Sec-WebSocket-Version", List.of("99"));
    when(r.getHeaders()).thenReturn(headers);
    HandshakeResponse response = response();
    assertThatThrownBy(() -> configurator.modifyHandshake(sec(configurator), r, response))
        .isInstanceOf(HandshakeRejectedException.class)
        .satisfies(e -> assertThat(((HandshakeRejectedException) e).status()).isEqualTo(426));
    assertThat(response.getHeaders().get("Sec-WebSocket-Version")).containsExactly("13");
    ServerEndpointConfig sec = sec(configurator);
    configurator.modifyHandshake(sec, request("k2", Map.of("Authorization", List.of("Bearer " + token))), response());
    assertThat(((Identity) sec.getUserProperties().get(JakartaWsAuth.IDENTITY_KEY)).subject()).isEqualTo("alice");
  }
}
