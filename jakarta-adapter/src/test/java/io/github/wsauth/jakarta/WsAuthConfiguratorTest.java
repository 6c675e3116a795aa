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
  private final WsAuthConfigurator configurator = servletSide(config, null, true);

  /**
   * A configurator that is not on Tyrus whatever container jars the test classpath holds (the container's default
   * configurator is found by a service lookup, and Tyrus's would defer the origin check to modifyHandshake).
   */
  private static WsAuthConfigurator servletSide(JakartaAuthConfig config, ServerEndpointConfig.Configurator delegate,
      boolean authenticateHandshake) {
    return new WsAuthConfigurator(config, delegate, authenticateHandshake) {
      @Override
      public ServerEndpointConfig.Configurator getContainerDefaultConfigurator() {
        return new ServerEndpointConfig.Configurator();
      }
    };
  }

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
  void negotiatedSubprotocol_customExtractorPrefix_echoingDelegate_neverSelectsTheTokenEntry() {
    // The token prefix comes from the authenticator's own extractor: there is no second setting to get out of step.
    ServerEndpointConfig.Configurator echo = new ServerEndpointConfig.Configurator() {
      @Override
      public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        return requested.isEmpty() ? null : requested.get(0);
      }
    };
    JakartaAuthConfig k8s = JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(),
            CredentialExtractor.subprotocol("base64url.bearer.authorization.k8s.io.")))
        .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults())).originPolicy(OriginPolicy.anyOrigin())
        .build()).build();
    WsAuthConfigurator c = new WsAuthConfigurator(k8s, echo);
    List<String> offered = List.of("base64url.bearer.authorization.k8s.io.c2VjcmV0", "authorization.bearer.x", "chat");
    assertThat(c.getNegotiatedSubprotocol(List.of("chat"), offered)).isEqualTo("chat");
    assertThat(c.getNegotiatedSubprotocol(List.of("chat"), offered.subList(0, 2))).isEmpty();
    assertThat(new WsAuthConfigurator(k8s).getNegotiatedSubprotocol(
        List.of("base64url.bearer.authorization.k8s.io.c2VjcmV0", "chat"), offered)).isEqualTo("chat");
  }

  @Test
  void negotiatedSubprotocol_firstMessageEndpoint_stillDropsDefaultTokenEntries() {
    // A first-message endpoint's configurator has no handshake authenticator: the default prefix marks token entries.
    JakartaAuthConfig fm = JakartaAuthConfig.builder().firstMessage(io.github.wsauth.FirstMessageAuthenticator
        .builder().verifier(TokenVerifier.opaque(store, TokenPolicy.defaults())).build()).build();
    WsAuthConfigurator c = servletSide(fm, null, false);
    assertThat(c.getNegotiatedSubprotocol(List.of("authorization.bearer.x", "chat"),
        List.of("authorization.bearer.x", "chat"))).isEqualTo("chat");
    assertThat(c.getNegotiatedSubprotocol(List.of("authorization.bearer.x"), List.of("authorization.bearer.x")))
        .isEmpty();
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

  /** Runs {@code body} inside a servlet filter chain, as Tomcat and Jetty call the configurator. */
  private static <T> T inServletChain(java.util.function.Supplier<T> body) throws Exception {
    List<T> out = new java.util.ArrayList<>();
    jakarta.servlet.FilterChain chain = new jakarta.servlet.FilterChain() {
      @Override
      public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res) {
        out.add(body.get());
      }
    };
    chain.doFilter(null, null);
    return out.get(0);
  }

  @Test
  @SuppressWarnings("try") // the guard is a scope: open around the handshake, never read in it
  void checkOrigin_inAServletChainWithoutTheFilter_refusesAnAllowedOrigin_andSaysWhy() throws Exception {
    try (WsAuthFilterTest.LogCapture log = new WsAuthFilterTest.LogCapture(WsAuthConfigurator.class)) {
      assertThat(inServletChain(() -> configurator.checkOrigin("https://app.example"))).isFalse();
      assertThat(log.lines()).singleElement().asString()
          .startsWith("SEVERE wsauth refused a WebSocket handshake with 403: no WsAuthFilter ran in front of the");
    }
    // With a filter of this configuration in front, the same call applies the origin policy only.
    try (Handoff guard = Handoff.guard(config)) {
      assertThat(inServletChain(() -> configurator.checkOrigin("https://app.example"))).isTrue();
      assertThat(inServletChain(() -> configurator.checkOrigin("https://evil.example"))).isFalse();
    }
  }

  @Test
  void checkOrigin_inAServletChain_filterInstalledButNotInFront_saysSo() throws Exception {
    WsAuthFilter filter = new WsAuthFilter(config, "/ws");
    InstalledFilters.add(config, new InstalledFilters.Registration(filter, List.of("/ws"), List.of()));
    try (WsAuthFilterTest.LogCapture log = new WsAuthFilterTest.LogCapture(WsAuthConfigurator.class)) {
      assertThat(inServletChain(() -> configurator.checkOrigin("https://app.example"))).isFalse();
      assertThat(log.lines()).singleElement().asString().startsWith("SEVERE wsauth refused a WebSocket handshake"
          + " with 403: the WsAuthFilter installed for this configuration did not run before");
    } finally {
      InstalledFilters.remove(config, filter);
    }
    assertThat(InstalledFilters.any(config)).isFalse();
  }

  @Test
  void checkOrigin_configuratorThatDoesNotAuthenticate_isNotRefusedForAMissingFilter() throws Exception {
    WsAuthConfigurator firstMessageOnly = servletSide(config, null, false);
    assertThat(inServletChain(() -> firstMessageOnly.checkOrigin("https://app.example"))).isTrue();
    assertThat(inServletChain(() -> firstMessageOnly.checkOrigin("https://evil.example"))).isFalse();
  }

  @Test
  void checkOrigin_containerDefaultThatCannotBeFound_isNotTyrus_thePolicyApplies() {
    WsAuthConfigurator c = new WsAuthConfigurator(config) {
      @Override
      public ServerEndpointConfig.Configurator getContainerDefaultConfigurator() {
        throw new IllegalStateException("no container");
      }
    };
    assertThat(c.checkOrigin("https://evil.example")).isFalse();
    assertThat(c.checkOrigin("https://app.example")).isTrue();
  }

  @Test
  void checkOrigin_delegateIsConsultedAfterThePolicy() {
    List<String> seen = new java.util.ArrayList<>();
    WsAuthConfigurator c = servletSide(config, new ServerEndpointConfig.Configurator() {
      @Override
      public boolean checkOrigin(String origin) {
        seen.add(origin);
        return false;
      }
    }, true);
    assertThat(c.checkOrigin("https://app.example")).isFalse();
    assertThat(seen).containsExactly("https://app.example");
    assertThat(c.checkOrigin("https://evil.example")).isFalse();
    assertThat(seen).containsExactly("https://app.example");
    WsAuthConfigurator agreeing = servletSide(config, new ServerEndpointConfig.Configurator() {
      @Override
      public boolean checkOrigin(String origin) {
        seen.add("agreeing " + origin);
        return true;
      }
    }, true);
    assertThat(agreeing.checkOrigin("https://app.example")).as("both allow it").isTrue();
    assertThat(agreeing.checkOrigin("https://evil.example")).as("the policy refuses it").isFalse();
    assertThat(seen).containsExactly("https://app.example", "agreeing https://app.example");
  }

  @Test
  void modifyHandshake_filterInstalledForTheEndpointButNotInFront_is503Misconfigured_withOneErrorLine() {
    String token = issuer.issue("alice").value();
    WsAuthFilter filter = new WsAuthFilter(config, "/ws");
    InstalledFilters.add(config, new InstalledFilters.Registration(filter, List.of("/ws"), List.of()));
    try (WsAuthFilterTest.LogCapture log = new WsAuthFilterTest.LogCapture(WsAuthConfigurator.class)) {
      assertThatThrownBy(() -> configurator.modifyHandshake(sec(configurator),
          request("k1", Map.of("Authorization", List.of("Bearer " + token))), response()))
          .isInstanceOf(HandshakeRejectedException.class)
          .hasMessage("WebSocket handshake rejected (503): authentication misconfigured");
      assertThat(log.lines()).singleElement().asString().startsWith("SEVERE wsauth refused a WebSocket handshake for"
          + " /ws: the WsAuthFilter installed for it did not run before the container's upgrade");
    } finally {
      InstalledFilters.remove(config, filter);
    }
    // The token was not consumed: without the stale registration it opens the endpoint.
    ServerEndpointConfig sec = sec(configurator);
    configurator.modifyHandshake(sec, request("k2", Map.of("Authorization", List.of("Bearer " + token))), response());
    assertThat(((Identity) sec.getUserProperties().get(JakartaWsAuth.IDENTITY_KEY)).subject()).isEqualTo("alice");
  }

  @Test
  void modifyHandshake_refusalWithNoFilterInFront_warnsThatTheContainerAnswers_butNotWithAFilterInFront() {
    HandshakeRequest forged = request("k1", Map.of("Authorization", List.of("Bearer forgedforgedforged")));
    try (WsAuthFilterTest.LogCapture log = new WsAuthFilterTest.LogCapture(WsAuthConfigurator.class)) {
      assertThatThrownBy(() -> configurator.modifyHandshake(sec(configurator), forged, response()))
          .isInstanceOf(HandshakeRejectedException.class);
      assertThat(log.lines()).singleElement().asString().startsWith("WARNING wsauth refused a WebSocket handshake"
          + " for /ws in its configurator with no WsAuthFilter in front of the upgrade");
      log.lines().clear();
      try (Handoff guard = Handoff.guard(config)) {
        assertThatThrownBy(() -> configurator.modifyHandshake(sec(configurator), forged, response()))
            .isInstanceOf(HandshakeRejectedException.class)
            .satisfies(e -> assertThat(((HandshakeRejectedException) e).status()).isEqualTo(401));
        assertThat(guard.claimed()).isTrue();
      }
      assertThat(log.lines()).isEmpty();
    }
  }

  @Test
  void modifyHandshake_foreignDecision_logsOneWarning() {
    JakartaAuthConfig other = JakartaAuthConfig.builder().handshake(config.handshake().orElseThrow()).build();
    Identity fromFilter = Identity.of("alice", Map.of(), clock.instant().plusSeconds(30));
    try (WsAuthFilterTest.LogCapture log = new WsAuthFilterTest.LogCapture(WsAuthConfigurator.class);
        Handoff handoff = Handoff.offer(other, key("k1"), "/ws", fromFilter)) {
      assertThatThrownBy(() -> configurator.modifyHandshake(sec(configurator), request("k1", Map.of()), response()))
          .isInstanceOf(HandshakeRejectedException.class);
      assertThat(log.lines()).singleElement().asString().startsWith("WARNING wsauth refused a WebSocket handshake for"
          + " /ws: WsAuthFilter accepted it under another configuration");
      assertThat(handoff.claimed()).isFalse();
    }
  }

  @Test
  void modifyHandshake_delegateRunsAfterwards_andSeesTheIdentity() {
    List<Object> seen = new java.util.ArrayList<>();
    WsAuthConfigurator c = servletSide(config, new ServerEndpointConfig.Configurator() {
      @Override
      public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        seen.add(sec.getUserProperties().get(JakartaWsAuth.IDENTITY_KEY));
      }
    }, true);
    ServerEndpointConfig sec = sec(c);
    c.modifyHandshake(sec, request("k1", Map.of("Authorization", List.of("Bearer " + issuer.issue("alice").value()))),
        response());
    assertThat(seen).singleElement().extracting(i -> ((Identity) i).subject()).isEqualTo("alice");
  }

  @Test
  void modifyHandshake_notAuthenticatingTheHandshake_putsNoIdentity_andConsumesNothing() {
    WsAuthConfigurator firstMessageOnly = servletSide(config, null, false);
    ServerEndpointConfig sec = sec(firstMessageOnly);
    firstMessageOnly.modifyHandshake(sec, request("k1", Map.of()), response());
    assertThat(sec.getUserProperties()).doesNotContainKey(JakartaWsAuth.IDENTITY_KEY);
  }

  @Test
  void negotiatedSubprotocol_entriesAreStripped_blankNullAndPaddedTokenEntriesDropped() {
    List<String> requested = new java.util.ArrayList<>(java.util.Arrays.asList(
        " authorization.bearer.abc", null, "  ", " chat.v2 "));
    assertThat(configurator.getNegotiatedSubprotocol(List.of(), requested)).isEqualTo("chat.v2");
    WsAuthConfigurator noList = new WsAuthConfigurator(JakartaAuthConfig.builder().handshake(
        HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
            .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults())).originPolicy(OriginPolicy.anyOrigin()).build()).build());
    assertThat(noList.getNegotiatedSubprotocol(List.of(" authorization.bearer.x", " b ", "a"), List.of("a", "b")))
        .isEqualTo("b");
    assertThat(noList.getNegotiatedSubprotocol(null, List.of("a"))).isEmpty();
    assertThat(noList.getNegotiatedSubprotocol(List.of("a"), null)).isEmpty();
  }

  @Test
  void negotiatedSubprotocol_delegateChoice_mustBeOffered() {
    List<List<String>> seen = new java.util.ArrayList<>();
    WsAuthConfigurator c = new WsAuthConfigurator(config, new ServerEndpointConfig.Configurator() {
      @Override
      public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        seen.add(supported);
        seen.add(requested);
        return requested.isEmpty() ? null : supported.get(1);
      }
    });
    assertThat(c.getNegotiatedSubprotocol(List.of(), List.of("authorization.bearer.abc", "chat.v2"))).isEqualTo("chat.v2");
    assertThat(seen).containsExactly(List.of("chat", "chat.v2"), List.of("chat.v2"));
    assertThat(c.getNegotiatedSubprotocol(List.of(), List.of("chat"))).isEmpty(); // chose chat.v2, not offered
    assertThat(c.getNegotiatedSubprotocol(List.of(), List.of())).isEmpty(); // chose null
  }

  @Test
  void extensionsAndEndpointInstance_comeFromTheDelegate() throws Exception {
    jakarta.websocket.Extension ext = mock(jakarta.websocket.Extension.class);
    Object endpoint = new Object();
    WsAuthConfigurator c = new WsAuthConfigurator(config, new ServerEndpointConfig.Configurator() {
      @Override
      public List<jakarta.websocket.Extension> getNegotiatedExtensions(List<jakarta.websocket.Extension> installed,
          List<jakarta.websocket.Extension> requested) {
        return List.of(ext);
      }

      @Override
      @SuppressWarnings("unchecked")
      public <T> T getEndpointInstance(Class<T> endpointClass) {
        return (T) endpoint;
      }
    });
    assertThat(c.getNegotiatedExtensions(List.of(), List.of())).containsExactly(ext);
    assertThat(c.getEndpointInstance(Object.class)).isSameAs(endpoint);
    assertThat(c.toString()).startsWith("WsAuthConfigurator[").contains(", delegate=");
    assertThat(new WsAuthConfigurator(config).toString()).startsWith("WsAuthConfigurator[")
        .doesNotContain("delegate=").endsWith("]");
  }

  @Test
  void installedFilters_coverTheirTemplates_orElseTheirPatterns_perConfiguration() {
    WsAuthFilter byTemplate = new WsAuthFilter(config, "/ws");
    WsAuthFilter byPattern = new WsAuthFilter(config);
    InstalledFilters.Registration templates =
        new InstalledFilters.Registration(byTemplate, List.of("/ws"), List.of("/*"));
    InstalledFilters.Registration patterns =
        new InstalledFilters.Registration(byPattern, List.of(), List.of("/a", "/chat/*"));
    assertThat(templates.covers("/ws")).isTrue();
    assertThat(templates.covers("/other")).isFalse(); // the templates decide, not the /* mapping
    assertThat(patterns.covers("/chat/room")).isTrue();
    assertThat(patterns.covers("/a")).isTrue();
    assertThat(patterns.covers("/b")).isFalse();
    JakartaAuthConfig other = JakartaAuthConfig.builder().handshake(config.handshake().orElseThrow()).build();
    assertThat(InstalledFilters.any(config)).isFalse();
    assertThat(InstalledFilters.covers(config, "/ws")).isFalse();
    InstalledFilters.add(config, templates);
    InstalledFilters.add(config, patterns);
    try {
      assertThat(InstalledFilters.any(config)).isTrue();
      assertThat(InstalledFilters.any(other)).isFalse();
      assertThat(InstalledFilters.covers(config, "/chat/x")).isTrue();
      assertThat(InstalledFilters.covers(config, "/ws")).isTrue();
      assertThat(InstalledFilters.covers(config, "/b")).isFalse();
      assertThat(InstalledFilters.covers(other, "/ws")).isFalse();
      InstalledFilters.remove(config, byTemplate);
      assertThat(InstalledFilters.covers(config, "/ws")).isFalse();
      assertThat(InstalledFilters.any(config)).isTrue();
      InstalledFilters.remove(other, byPattern); // another configuration's: nothing to remove
      assertThat(InstalledFilters.covers(config, "/chat/x")).isTrue();
    } finally {
      InstalledFilters.remove(config, byTemplate);
      InstalledFilters.remove(config, byPattern);
    }
    assertThat(InstalledFilters.any(config)).isFalse();
  }

  /** A configurator that finds Tyrus's default configurator, as on Tyrus. */
  private static WsAuthConfigurator onTyrus(JakartaAuthConfig config, ServerEndpointConfig.Configurator delegate) {
    return new WsAuthConfigurator(config, delegate) {
      @Override
      public ServerEndpointConfig.Configurator getContainerDefaultConfigurator() {
        return new org.glassfish.tyrus.wsauthtest.TyrusNamedConfigurator();
      }
    };
  }

  @Test
  void onTyrus_theOriginIsCheckedInModifyHandshake_403_beforeTheCredential() throws Exception {
    WsAuthConfigurator tyrus = onTyrus(config, null);
    // checkOrigin defers (Tyrus's 403 from checkOrigin keeps the connection open without a body), even in a chain.
    assertThat(tyrus.checkOrigin("https://evil.example")).isTrue();
    assertThat(inServletChain(() -> tyrus.checkOrigin("https://evil.example"))).isTrue();
    String token = issuer.issue("alice").value();
    HandshakeResponse response = response();
    assertThatThrownBy(() -> tyrus.modifyHandshake(sec(tyrus), request("k1", Map.of("Authorization",
        List.of("Bearer " + token), "Origin", List.of("https://evil.example"))), response))
        .isInstanceOf(HandshakeRejectedException.class)
        .hasMessage("WebSocket handshake rejected (403): origin not allowed");
    ServerEndpointConfig sec = sec(tyrus);
    tyrus.modifyHandshake(sec, request("k2", Map.of("Authorization", List.of("Bearer " + token),
        "Origin", List.of("https://app.example"))), response());
    assertThat(((Identity) sec.getUserProperties().get(JakartaWsAuth.IDENTITY_KEY)).subject())
        .as("the refused handshake consumed nothing").isEqualTo("alice");
  }

  @Test
  void onTyrus_checkOrigin_isTheDelegates() {
    WsAuthConfigurator tyrus = onTyrus(config, new ServerEndpointConfig.Configurator() {
      @Override
      public boolean checkOrigin(String origin) {
        return "https://evil.example".equals(origin);
      }
    });
    assertThat(tyrus.checkOrigin("https://evil.example")).isTrue();
    assertThat(tyrus.checkOrigin("https://app.example")).isFalse();
  }

  @Test
  void modifyHandshake_sharedUserProperties_logsOneError() {
    ServerEndpointConfig shared = sec(configurator);
    configurator.modifyHandshake(shared, request("k1",
        Map.of("Authorization", List.of("Bearer " + issuer.issue("alice").value()))), response());
    try (WsAuthFilterTest.LogCapture log = new WsAuthFilterTest.LogCapture(WsAuthConfigurator.class)) {
      assertThatThrownBy(() -> configurator.modifyHandshake(shared, request("k2",
          Map.of("Authorization", List.of("Bearer " + issuer.issue("bob").value()))), response()))
          .hasMessage("WebSocket handshake rejected (503): authentication temporarily unavailable");
      assertThat(log.lines()).contains(
          "SEVERE the container shares user properties between connections; refusing the handshake");
    }
  }

  @Test
  void modifyHandshake_requestWithoutAUri_isAuthenticatedAsUsual() {
    HandshakeRequest r = request("k1", Map.of("Authorization", List.of("Bearer " + issuer.issue("alice").value())));
    when(r.getRequestURI()).thenReturn(null);
    ServerEndpointConfig sec = sec(configurator);
    configurator.modifyHandshake(sec, r, response());
    assertThat(((Identity) sec.getUserProperties().get(JakartaWsAuth.IDENTITY_KEY)).subject()).isEqualTo("alice");
  }

  @Test
  void config_isTheOneGiven() {
    assertThat(configurator.config()).isSameAs(config);
  }

  @Test
  void onTyrus_firstMessageOnly_theOriginIsStillCheckedInModifyHandshake() {
    WsAuthConfigurator tyrus = new WsAuthConfigurator(config, null, false) {
      @Override
      public ServerEndpointConfig.Configurator getContainerDefaultConfigurator() {
        return new org.glassfish.tyrus.wsauthtest.TyrusNamedConfigurator();
      }
    };
    assertThatThrownBy(() -> tyrus.modifyHandshake(sec(tyrus), request("k1",
        Map.of("Origin", List.of("https://evil.example"))), response()))
        .hasMessage("WebSocket handshake rejected (403): origin not allowed");
    ServerEndpointConfig sec = sec(tyrus);
    tyrus.modifyHandshake(sec, request("k2", Map.of("Origin", List.of("https://app.example"))), response());
    assertThat(sec.getUserProperties()).doesNotContainKey(JakartaWsAuth.IDENTITY_KEY);
  }
}
