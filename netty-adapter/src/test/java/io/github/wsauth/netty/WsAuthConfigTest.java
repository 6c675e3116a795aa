package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.wsauth.CookieBridge;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;

class WsAuthConfigTest {
  private final TestTokens tokens = new TestTokens();

  @Test
  void build_withoutPath_failsFast() {
    assertThatThrownBy(() -> WsAuthConfig.builder().handshake(tokens.handshake().build()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("websocketPath");
  }

  @Test
  void build_withNothingToDo_failsFast() {
    assertThatThrownBy(() -> WsAuthConfig.builder().websocketPath("/ws").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("set a handshake authenticator, a first-message authenticator or a cookie bridge");
  }

  @Test
  void authenticators_areCoresAdapterConfig_andOneConfigMayHoldBoth() {
    HandshakeAuthenticator handshake = tokens.handshake().build();
    FirstMessageAuthenticator firstMessage = tokens.firstMessage().build();
    WsAuthConfig both = WsAuthConfig.builder().websocketPath("/ws").handshake(handshake).firstMessage(firstMessage)
        .build();
    assertThat(both.handshake()).containsSame(handshake);
    assertThat(both.firstMessage()).containsSame(firstMessage);
    assertThat(both.requireHandshake()).isSameAs(handshake);
    assertThat(both.lifetime().registry()).isEmpty();
    assertThat(both.toString()).contains(", handshake=true, firstMessage=true,");
  }

  @Test
  void handshakeAuthenticator_wildcardSubprotocol_isRefused() {
    // Refused by the authenticator's builder already (issue 14: core and the adapters agree), so no wildcard
    // authenticator can reach the config.
    assertThatThrownBy(() -> tokens.handshake().subprotocols(List.of("chat", "*")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"*\"");
  }

  @Test
  void protocolConfig_carriesPathSubprotocolsAndStartsWith() {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .handshake(tokens.handshake().subprotocols(List.of("chat", "v2.chat")).build()).build();
    WebSocketServerProtocolConfig netty = config.protocolConfig();
    assertThat(netty.websocketPath()).isEqualTo("/ws");
    assertThat(netty.subprotocols()).isEqualTo("chat,v2.chat");
    assertThat(netty.checkStartsWith()).isTrue();
    assertThat(config.protocolConfigBuilder().checkStartsWith(false).build().checkStartsWith()).isFalse();
  }

  @Test
  void protocolConfig_withoutSubprotocols_selectsNone() {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().build()).build();
    assertThat(config.protocolConfig().subprotocols()).isNull();
  }

  private static CookieBridge.Builder bridge() {
    return CookieBridge.builder().parentOrigin(TestTokens.APP_ORIGIN);
  }

  @Test
  void defaults_areSafe() {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").cookieBridge(bridge().build()).build();
    assertThat(config.closeOnExpiry()).isFalse();
    assertThat(config.expiryCloseCode()).isEqualTo(1008);
    CookieBridge bridge = config.cookieBridge().orElseThrow();
    assertThat(bridge.cookieName()).isEqualTo("wsauth");
    assertThat(bridge.path()).isEqualTo("/wsauth");
    assertThat(bridge.toString()).isEqualTo("CookieBridge[path=/wsauth, parentOrigins=[" + TestTokens.APP_ORIGIN
        + "], cookieName=wsauth, cookiePath=/, maxCookieAge=PT5M]");
    WsAuthConfig noBridge = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessage(tokens.firstMessage().build()).build();
    assertThat(noBridge.cookieBridge()).isEmpty();
    assertThat(noBridge.toString()).contains(", cookieBridge=none,");
  }

  @Test
  void cookieBridge_isTheOneGiven_andShownByToString() {
    CookieBridge bridge = bridge().cookiePath("/ws").build();
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").cookieBridge(bridge).build();
    assertThat(config.cookieBridge()).containsSame(bridge);
    assertThat(config.toString()).contains(", cookieBridge=" + bridge + ",");
    assertThatThrownBy(() -> WsAuthConfig.builder().cookieBridge(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("cookie bridge must not be null");
  }

  private HandshakeAuthenticator cookieAuthenticator(String name) {
    return tokens.handshake().extractor(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(),
        CredentialExtractor.cookie(name))).build();
  }

  @Test
  void cookieBridge_whoseCookieTheExtractorDoesNotRead_failsAtBuild() {
    // A wiring mistake that would refuse every browser upgrade (401, no credential): fails closed, loudly.
    WsAuthConfig.Builder b = WsAuthConfig.builder().websocketPath("/ws")
        .handshake(cookieAuthenticator("sid")).cookieBridge(bridge().build());
    assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class)
        .hasMessage("the cookie bridge sets the cookie \"wsauth\" but the handshake authenticator's cookie"
            + " extractor does not read it: give CredentialExtractor.cookie and CookieBridge.Builder.cookieName the"
            + " same name");
    // The same wiring with the names agreeing builds.
    assertThat(b.cookieBridge(bridge().cookieName("sid").build()).build().cookieBridge()).isPresent();
  }

  @Test
  void cookieBridge_whoseCookiePathMissesTheWebSocketPath_failsAtBuild() {
    WsAuthConfig.Builder b = WsAuthConfig.builder().websocketPath("/ws")
        .handshake(cookieAuthenticator("wsauth"));
    for (String path : new String[] {"/chat", "/w", "/ws/room"}) {
      assertThatThrownBy(() -> b.cookieBridge(bridge().cookiePath(path).build()).build()).as(path)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the cookie bridge's cookie path " + path + " does not cover the WebSocket path /ws: browsers"
              + " would not send the cookie with the upgrade request");
    }
    for (String path : new String[] {"/", "/ws"}) {
      assertThat(b.cookieBridge(bridge().cookiePath(path).build()).build().cookieBridge()).as(path).isPresent();
    }
    assertThat(b.websocketPath("/ws/room").cookieBridge(bridge().cookiePath("/ws").build()).build().cookieBridge())
        .isPresent();
  }

  @Test
  void cookieBridge_besideAnAuthenticatorThatReadsNoCookie_isNotChecked() {
    // Bearer only: no cookie is read, so the bridge's name and path cannot disagree with it.
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .handshake(tokens.handshake().extractor(CredentialExtractor.bearerHeader()).build())
        .cookieBridge(bridge().cookieName("sid").cookiePath("/chat").build()).build();
    assertThat(config.cookieBridge()).isPresent();
  }

  @Test
  void builderValues_areChecked() {
    WsAuthConfig.Builder b = WsAuthConfig.builder();
    assertThatThrownBy(() -> b.websocketPath("ws")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.websocketPath("/ws?x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.expiryCloseCode(1006)).isInstanceOf(IllegalArgumentException.class);
    b.expiryCloseCode(4401);
  }

  @Test
  void factories_needTheirPart() {
    WsAuthConfig onlyHandshake = WsAuthConfig.builder().websocketPath("/ws")
        .handshake(tokens.handshake().build()).build();
    assertThatThrownBy(() -> NettyWsAuth.firstMessageHandler(onlyHandshake))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NettyWsAuth.cookieBridgeHandler(onlyHandshake))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the config has no cookieBridge");
  }

  private WsAuthConfig.Builder firstMessageConfig() {
    return WsAuthConfig.builder().websocketPath("/ws").firstMessage(tokens.firstMessage().build());
  }

  @Test
  void guardDefaults_are10Seconds1000And100PerAddress() {
    WsAuthConfig config = firstMessageConfig().build();
    assertThat(config.handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxUnauthenticatedConnections()).isEqualTo(1000);
    assertThat(config.maxUnauthenticatedConnectionsPerAddress()).isEqualTo(100);
    assertThat(firstMessageConfig().maxUnauthenticatedConnections(40).build()
        .maxUnauthenticatedConnectionsPerAddress()).as("the per-address default never exceeds the total").isEqualTo(40);
  }

  @Test
  void handshakeTimeout_outOfRange_failsFast() {
    assertThatThrownBy(() -> firstMessageConfig().handshakeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("handshake timeout must be between 1 millisecond and 5 minutes: PT0S");
    assertThatThrownBy(() -> firstMessageConfig().handshakeTimeout(Duration.ofMinutes(6)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("handshake timeout must be between 1 millisecond and 5 minutes: PT6M");
    assertThatThrownBy(() -> firstMessageConfig().handshakeTimeout(null))
        .isInstanceOf(NullPointerException.class).hasMessage("handshake timeout must not be null");
    assertThat(firstMessageConfig().handshakeTimeout(Duration.ofMillis(1)).build().handshakeTimeout())
        .isEqualTo(Duration.ofMillis(1));
    assertThat(firstMessageConfig().handshakeTimeout(Duration.ofMinutes(5)).build().handshakeTimeout())
        .isEqualTo(Duration.ofMinutes(5));
    // Just outside each end: a nanosecond short of the millisecond, a nanosecond past the five minutes.
    for (Duration outside : new Duration[] {Duration.ofMillis(1).minusNanos(1), Duration.ofMinutes(5).plusNanos(1)}) {
      assertThatThrownBy(() -> firstMessageConfig().handshakeTimeout(outside)).as("%s", outside)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("handshake timeout must be between 1 millisecond and 5 minutes: " + outside);
    }
  }

  @Test
  void closingHandshakeTimeout_defaultsTo2Seconds_andOutOfRangeFailsFast() {
    assertThat(firstMessageConfig().build().closingHandshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThatThrownBy(() -> firstMessageConfig().closingHandshakeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("closing handshake timeout must be between 1 millisecond and 1 minute: PT0S");
    assertThatThrownBy(() -> firstMessageConfig().closingHandshakeTimeout(Duration.ofSeconds(61)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("closing handshake timeout must be between 1 millisecond and 1 minute: PT1M1S");
    assertThatThrownBy(() -> firstMessageConfig().closingHandshakeTimeout(null))
        .isInstanceOf(NullPointerException.class).hasMessage("closing handshake timeout must not be null");
    assertThat(firstMessageConfig().closingHandshakeTimeout(Duration.ofMillis(1)).build().closingHandshakeTimeout())
        .isEqualTo(Duration.ofMillis(1));
    assertThat(firstMessageConfig().closingHandshakeTimeout(Duration.ofMinutes(1)).build()
        .closingHandshakeTimeout()).isEqualTo(Duration.ofMinutes(1));
    for (Duration outside : new Duration[] {Duration.ofMillis(1).minusNanos(1), Duration.ofMinutes(1).plusNanos(1)}) {
      assertThatThrownBy(() -> firstMessageConfig().closingHandshakeTimeout(outside)).as("%s", outside)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("closing handshake timeout must be between 1 millisecond and 1 minute: " + outside);
    }
  }

  @Test
  void maxUnauthenticatedConnections_belowOne_failsFast() {
    assertThatThrownBy(() -> firstMessageConfig().maxUnauthenticatedConnections(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max unauthenticated connections must be at least 1: 0");
    assertThatThrownBy(() -> firstMessageConfig().maxUnauthenticatedConnectionsPerAddress(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max unauthenticated connections per address must be at least 1: 0");
    assertThat(firstMessageConfig().maxUnauthenticatedConnections(1).build().maxUnauthenticatedConnections())
        .isEqualTo(1);
  }

  @Test
  void maxPerAddress_aboveTheTotal_failsFastAtBuild() {
    assertThatThrownBy(() -> firstMessageConfig().maxUnauthenticatedConnections(10)
        .maxUnauthenticatedConnectionsPerAddress(11).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("max unauthenticated connections per address (11) must not exceed max unauthenticated"
            + " connections (10)");
    assertThat(firstMessageConfig().maxUnauthenticatedConnections(10).maxUnauthenticatedConnectionsPerAddress(10)
        .build().maxUnauthenticatedConnectionsPerAddress()).isEqualTo(10);
  }

  @Test
  void wiringMistakes_areLoggedOncePerConfig_eachOnItsOwn() {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").handshake(tokens.handshake().build()).build();
    WsAuthConfig other = WsAuthConfig.builder().websocketPath("/ws").handshake(tokens.handshake().build()).build();
    try (LogCapture log = new LogCapture()) {
      for (int i = 0; i < 2; i++) {
        for (WiringMistake mistake : WiringMistake.values()) {
          Object[] args = switch (mistake) {
            case UPGRADED_WITHOUT_DECISION -> new Object[] {"/ws", true};
            case ACCEPTED_NOT_UPGRADED -> new Object[] {"404 Not Found", "/ws", true};
            default -> new Object[0];
          };
          mistake.report(config, args);
        }
      }
      WiringMistake.NO_AGGREGATOR.report(other);
      assertThat(log.lines()).hasSize(WiringMistake.values().length + 1);
      assertThat(log.lines()).filteredOn(l -> l.contains("needs HttpObjectAggregator")).hasSize(2);
      assertThat(log.lines()).filteredOn(l -> l.contains("upgraded without a wsauth decision")).singleElement()
          .asString().startsWith("SEVERE ").contains("websocketPath=/ws (checkStartsWith=true)");
      assertThat(log.lines()).filteredOn(l -> l.contains("answered 404 Not Found instead of 101")).singleElement()
          .asString().startsWith("WARNING ");
    }
  }
}
