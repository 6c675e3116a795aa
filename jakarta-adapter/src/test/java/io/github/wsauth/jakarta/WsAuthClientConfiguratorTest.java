package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/**
 * The configurator only delegates to core's {@code ClientCredential} (whose {@code ClientCredentialTest} holds the
 * header, merge and refusal cases): each factory reaches the right scheme, once per handshake. The Jakarta ITs
 * ({@code ContainerScenarios}) connect real clients with it to Tomcat, Jetty and Tyrus.
 */
class WsAuthClientConfiguratorTest {

  @Test
  void eachFactory_appliesItsCredentialPerHandshake() {
    AtomicInteger n = new AtomicInteger();
    WsAuthClientConfigurator bearer = WsAuthClientConfigurator.bearer(() -> "tok" + n.incrementAndGet());
    Map<String, List<String>> h1 = new HashMap<>(Map.of("authorization", List.of("Bearer stale")));
    bearer.beforeRequest(h1);
    Map<String, List<String>> h2 = new HashMap<>();
    bearer.beforeRequest(h2);
    assertThat(h1).containsExactly(Map.entry("Authorization", List.of("Bearer tok1")));
    assertThat(h2).containsExactly(Map.entry("Authorization", List.of("Bearer tok2")));

    Map<String, List<String>> h = new HashMap<>();
    WsAuthClientConfigurator.basic("u", () -> "p").beforeRequest(h);
    assertThat(h).containsExactly(Map.entry("Authorization", List.of("Basic dTpw")));

    h = new HashMap<>(Map.of("Sec-WebSocket-Protocol", List.of("chat, authorization.bearer.old")));
    WsAuthClientConfigurator.subprotocol(() -> "abc").beforeRequest(h);
    assertThat(h).containsExactly(Map.entry("Sec-WebSocket-Protocol", List.of("chat, authorization.bearer.abc")));

    h = new HashMap<>(Map.of("Sec-WebSocket-Protocol", List.of("chat, acme.old")));
    WsAuthClientConfigurator.subprotocol("acme.", () -> "abc").beforeRequest(h);
    assertThat(h).containsExactly(Map.entry("Sec-WebSocket-Protocol", List.of("chat, acme.abc")));
  }

  @Test
  void toString_neverShowsTheToken() {
    assertThat(WsAuthClientConfigurator.bearer(() -> "s3cr3t").toString())
        .isEqualTo("WsAuthClientConfigurator[ClientCredential[BEARER]]");
    assertThat(WsAuthClientConfigurator.basic("u", () -> "s3cr3t").toString())
        .isEqualTo("WsAuthClientConfigurator[ClientCredential[BASIC, username=u]]");
  }

  @Test
  void unusableToken_failsBeforeSending_withoutEchoingIt() {
    assertThatThrownBy(() -> WsAuthClientConfigurator.bearer(() -> "a\r\nX-Evil: 1").beforeRequest(new HashMap<>()))
        .isInstanceOf(IllegalStateException.class).hasMessage("the token supplier returned no usable token");
    assertThatThrownBy(() -> WsAuthClientConfigurator.basic("a:b", () -> "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("username must not contain a colon or control characters (RFC 7617)");
    assertThatThrownBy(() -> WsAuthClientConfigurator.subprotocol("a b", () -> "t"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("subprotocol prefix must be a non-empty HTTP token");
  }
}
