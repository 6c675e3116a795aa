package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.wsauth.HandshakeAuthenticator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;

class WsAuthConfigTest {
  private final TestTokens tokens = new TestTokens();

  @Test
  void build_withoutPath_failsFast() {
    assertThatThrownBy(() -> WsAuthConfig.builder().handshakeAuthenticator(tokens.handshake().build()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("websocketPath");
  }

  @Test
  void build_withNothingToDo_failsFast() {
    assertThatThrownBy(() -> WsAuthConfig.builder().websocketPath("/ws").build())
        .isInstanceOf(IllegalStateException.class);
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
        .handshakeAuthenticator(tokens.handshake().subprotocols(List.of("chat", "v2.chat")).build()).build();
    WebSocketServerProtocolConfig netty = config.protocolConfig();
    assertThat(netty.websocketPath()).isEqualTo("/ws");
    assertThat(netty.subprotocols()).isEqualTo("chat,v2.chat");
    assertThat(netty.checkStartsWith()).isTrue();
    assertThat(config.protocolConfigBuilder().checkStartsWith(false).build().checkStartsWith()).isFalse();
  }

  @Test
  void protocolConfig_withoutSubprotocols_selectsNone() {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .firstMessageAuthenticator(tokens.firstMessage().build()).build();
    assertThat(config.protocolConfig().subprotocols()).isNull();
  }

  @Test
  void defaults_areSafe() {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws").bridgeParentOrigin("https://app.example")
        .build();
    assertThat(config.closeOnExpiry()).isFalse();
    assertThat(config.expiryCloseCode()).isEqualTo(1008);
    assertThat(config.cookieName()).isEqualTo("wsauth");
    assertThat(config.cookiePath()).isEqualTo("/ws");
    assertThat(config.bridgePath()).isEqualTo("/wsauth");
    assertThat(config.maxCookieAge()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.alwaysSecureCookie()).isFalse();
    assertThat(config.bridgeServerOrigin()).isEmpty();
  }

  @Test
  void bridgeParentOrigin_mustBeASerialisedOrigin() {
    WsAuthConfig.Builder b = WsAuthConfig.builder();
    for (String bad : new String[] {"https://app.example/", "https://APP.example", "https://app.example:443",
        "https://user@app.example", "app.example", "ftp://app.example", "*", "null", "https://app.example/path"}) {
      assertThatThrownBy(() -> b.bridgeParentOrigin(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
    b.bridgeParentOrigin("http://localhost:8080");
    b.bridgeParentOrigin("https://app.example");
  }

  @Test
  void bridgeParentOrigin_isCanonicalisedByCoresRules_lengthCapIncluded() {
    // Core's one canonicalisation (Origins): the adapter's own copy had no length cap.
    String overlong = "https://" + "a".repeat(2100) + ".example";
    assertThatThrownBy(() -> WsAuthConfig.builder().bridgeParentOrigin(overlong))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an http(s) origin");
    assertThatThrownBy(() -> WsAuthConfig.builder().bridgeParentOrigin("wss://app.example"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an http(s) origin");
  }

  @Test
  void builderValues_areChecked() {
    WsAuthConfig.Builder b = WsAuthConfig.builder();
    assertThatThrownBy(() -> b.websocketPath("ws")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.websocketPath("/ws?x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.cookieName("a=b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.cookiePath("/a;b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.bridgePath("/wsauth/")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxCookieAge(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.maxCookieAge(Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.expiryCloseCode(1006)).isInstanceOf(IllegalArgumentException.class);
    b.expiryCloseCode(4401);
  }

  @Test
  void factories_needTheirPart() {
    WsAuthConfig onlyHandshake = WsAuthConfig.builder().websocketPath("/ws")
        .handshakeAuthenticator(tokens.handshake().build()).build();
    assertThatThrownBy(() -> NettyWsAuth.firstMessageHandler(onlyHandshake))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NettyWsAuth.cookieBridgeHandler(onlyHandshake))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private WsAuthConfig.Builder firstMessageConfig() {
    return WsAuthConfig.builder().websocketPath("/ws").firstMessageAuthenticator(tokens.firstMessage().build());
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
  void bridgeSettings_areCheckedByCoresCookieBridge_withItsMessages() {
    WsAuthConfig.Builder b = WsAuthConfig.builder();
    assertThatThrownBy(() -> b.bridgePath("/wsauth/")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bridge path must not end with '/'");
    assertThatThrownBy(() -> b.bridgePath("wsauth")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bridge path must start with '/' and hold no query, fragment or space");
    assertThatThrownBy(() -> b.bridgeParentOrigin("https://APP.example")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("write the origin as browsers do: https://app.example");
    assertThatThrownBy(() -> b.bridgeServerOrigin("ws.example")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an http(s) origin (scheme://host[:port]): ws.example");
    assertThatThrownBy(() -> b.cookiePath("/a;b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cookie path must not contain ';'");
    assertThatThrownBy(() -> b.maxCookieAge(Duration.ofDays(2))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max cookie age must be between 1 second and 1 day");
    assertThatThrownBy(() -> b.cookieName("a=b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cookie name must be a non-empty HTTP token");
    WsAuthConfig config = b.bridgePath("/auth").bridgeParentOrigin("https://app.example")
        .bridgeServerOrigin("https://ws.example").cookiePath("/chat").maxCookieAge(Duration.ofMinutes(1))
        .websocketPath("/ws").build();
    assertThat(config.bridgePath()).isEqualTo("/auth");
    assertThat(config.bridgeParentOrigins()).containsExactly("https://app.example");
    assertThat(config.bridgeServerOrigin()).contains("https://ws.example");
    assertThat(config.cookiePath()).isEqualTo("/chat");
    assertThat(config.maxCookieAge()).isEqualTo(Duration.ofMinutes(1));
  }
}
