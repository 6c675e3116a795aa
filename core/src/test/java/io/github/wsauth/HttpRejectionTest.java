package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.wsauth.HttpRejection.Header;
import io.github.wsauth.internal.WebSocketHandshake;
import org.junit.jupiter.api.Test;

class HttpRejectionTest {
  private static final List<Header> COMMON = List.of(new Header("Cache-Control", "no-store"),
      new Header("X-Content-Type-Options", "nosniff"), new Header("Connection", "close"),
      new Header("Content-Type", "text/plain;charset=utf-8"));

  private static List<Header> with(Header... first) {
    List<Header> all = new java.util.ArrayList<>(List.of(first));
    all.addAll(COMMON);
    return all;
  }

  @Test
  void httpResponse_401_carriesEveryChallengeInOrder_thenTheCommonHeaders() {
    HttpRejection answer = new AuthDecision.Rejected(401,
        List.of("Bearer realm=\"ws\", error=\"invalid_token\"", "Basic realm=\"ws\", charset=\"UTF-8\""),
        "token expired").httpResponse();
    assertThat(answer.status()).isEqualTo(401);
    assertThat(answer.headers()).containsExactlyElementsOf(with(
        new Header("WWW-Authenticate", "Bearer realm=\"ws\", error=\"invalid_token\""),
        new Header("WWW-Authenticate", "Basic realm=\"ws\", charset=\"UTF-8\"")));
    assertThat(answer.body()).isEqualTo("token expired\n");
    assertThat(answer.bodyBytes()).isEqualTo("token expired\n".getBytes(StandardCharsets.UTF_8));
    assertThat(answer.headerValues("www-authenticate")).hasSize(2);
    assertThat(answer.headerMap().keySet()).containsExactly("WWW-Authenticate", "Cache-Control",
        "X-Content-Type-Options", "Connection", "Content-Type");
    assertThat(answer.headerMap().get("WWW-Authenticate")).containsExactly(
        "Bearer realm=\"ws\", error=\"invalid_token\"", "Basic realm=\"ws\", charset=\"UTF-8\"");
  }

  @Test
  void httpResponse_403_hasOnlyTheCommonHeaders() {
    HttpRejection answer = new AuthDecision.Rejected(403, List.of(), "origin not allowed").httpResponse();
    assertThat(answer.headers()).containsExactlyElementsOf(COMMON);
    assertThat(answer.body()).isEqualTo("origin not allowed\n");
  }

  @Test
  void httpResponse_503_saysWhenToRetry() {
    assertThat(HttpRejection.of(503, List.of(), "authentication temporarily unavailable").headers())
        .containsExactlyElementsOf(with(new Header("Retry-After", "5")));
  }

  @Test
  void handshakeRefusals_405AllowsGet_426NamesTheVersion() {
    HttpRejection wrongMethod = new WebSocketHandshake.Invalid(405, "not a WebSocket handshake: method must be GET")
        .rejected().httpResponse();
    assertThat(wrongMethod.headers()).containsExactlyElementsOf(with(new Header("Allow", "GET")));
    HttpRejection wrongVersion = new WebSocketHandshake.Invalid(426, "unsupported WebSocket version").rejected()
        .httpResponse();
    assertThat(wrongVersion.headers()).containsExactlyElementsOf(with(new Header("Sec-WebSocket-Version", "13")));
    assertThat(wrongVersion.body()).isEqualTo("unsupported WebSocket version\n");
  }

  @Test
  void undecodable_431_414_400() {
    assertThat(WebSocketHandshake.undecodable(431).httpResponse().body()).isEqualTo("request header fields too large\n");
    assertThat(WebSocketHandshake.undecodable(414).httpResponse().body()).isEqualTo("request line too long\n");
    assertThat(WebSocketHandshake.undecodable(400).httpResponse().body()).isEqualTo("malformed request\n");
    assertThat(WebSocketHandshake.undecodable(400).httpResponse().headers()).containsExactlyElementsOf(COMMON);
  }

  @Test
  void record_isImmutable_andValidates() {
    HttpRejection answer = HttpRejection.of(400, List.of(), "malformed credential");
    assertThatThrownBy(() -> answer.headers().add(new Header("X", "y")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> new HttpRejection(200, List.of(), "")).hasMessage("status must be 4xx or 5xx: 200");
    assertThatThrownBy(() -> new Header("X", null)).hasMessage("header value must not be null");
  }

  @Test
  void reasonPhrase_ofEveryStatusWsauthAnswers_andErrorOtherwise() {
    java.util.Map<Integer, String> phrases = java.util.Map.of(400, "Bad Request", 401, "Unauthorized", 403,
        "Forbidden", 405, "Method Not Allowed", 414, "URI Too Long", 426, "Upgrade Required", 431,
        "Request Header Fields Too Large", 503, "Service Unavailable");
    phrases.forEach((status, phrase) ->
        assertThat(HttpRejection.of(status, List.of(), "r").reasonPhrase()).as("" + status).isEqualTo(phrase));
    assertThat(HttpRejection.of(500, List.of(), "r").reasonPhrase()).isEqualTo("Error");
    assertThat(HttpRejection.of(429, List.of(), "r").reasonPhrase()).isEqualTo("Error");
  }

  @Test
  void record_statusRange_is400To599() {
    assertThat(new HttpRejection(400, List.of(), "").status()).isEqualTo(400);
    assertThat(new HttpRejection(599, List.of(), "").status()).isEqualTo(599);
    assertThatThrownBy(() -> new HttpRejection(399, List.of(), "")).hasMessage("status must be 4xx or 5xx: 399");
    assertThatThrownBy(() -> new HttpRejection(600, List.of(), "")).hasMessage("status must be 4xx or 5xx: 600");
  }

  @Test
  void headerMap_valuesAreImmutable() {
    HttpRejection answer = HttpRejection.of(401, List.of("Bearer realm=\"ws\""), "missing credential");
    assertThatThrownBy(() -> answer.headerMap().get("WWW-Authenticate").add("Basic"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> answer.headerMap().get("Connection").set(0, "keep-alive"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
