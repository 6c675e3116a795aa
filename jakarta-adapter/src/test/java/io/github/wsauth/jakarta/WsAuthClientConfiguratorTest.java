package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class WsAuthClientConfiguratorTest {

  @Test
  void bearer_addsAuthorization_suppliedPerHandshake() {
    AtomicInteger n = new AtomicInteger();
    WsAuthClientConfigurator c = WsAuthClientConfigurator.bearer(() -> "tok" + n.incrementAndGet());
    Map<String, List<String>> h1 = new HashMap<>(Map.of("authorization", List.of("Bearer stale")));
    c.beforeRequest(h1);
    Map<String, List<String>> h2 = new HashMap<>();
    c.beforeRequest(h2);
    assertThat(h1).containsExactly(Map.entry("Authorization", List.of("Bearer tok1")));
    assertThat(h2.get("Authorization")).containsExactly("Bearer tok2");
  }

  @Test
  void basic_encodesUtf8UserAndToken() {
    Map<String, List<String>> h = new HashMap<>();
    WsAuthClientConfigurator.basic("zoë", () -> "secret").beforeRequest(h);
    String value = h.get("Authorization").get(0);
    assertThat(value).startsWith("Basic ");
    assertThat(new String(Base64.getDecoder().decode(value.substring(6)), StandardCharsets.UTF_8))
        .isEqualTo("zoë:secret");
  }

  @Test
  void subprotocol_appendsTokenEntryAfterApplicationProtocols() {
    Map<String, List<String>> h = new HashMap<>(Map.of("Sec-WebSocket-Protocol", List.of("chat, authorization.bearer.old")));
    WsAuthClientConfigurator.subprotocol(() -> "abc").beforeRequest(h);
    assertThat(h.get("Sec-WebSocket-Protocol")).containsExactly("chat, authorization.bearer.abc");
  }

  @Test
  void toString_neverShowsTheToken() {
    assertThat(WsAuthClientConfigurator.bearer(() -> "s3cr3t").toString()).doesNotContain("s3cr3t");
    assertThat(WsAuthClientConfigurator.basic("u", () -> "s3cr3t").toString()).doesNotContain("s3cr3t");
  }

  @Test
  void unusableToken_failsBeforeSending_withoutEchoingIt() {
    assertThatThrownBy(() -> WsAuthClientConfigurator.bearer(() -> "a\r\nX-Evil: 1").beforeRequest(new HashMap<>()))
        .isInstanceOf(IllegalStateException.class).hasMessageNotContaining("Evil");
    assertThatThrownBy(() -> WsAuthClientConfigurator.bearer(() -> null).beforeRequest(new HashMap<>()))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> WsAuthClientConfigurator.basic("a:b", () -> "t"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
