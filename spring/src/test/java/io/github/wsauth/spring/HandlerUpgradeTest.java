package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.wsauth.scenarios.RawUpgrade;
import io.github.wsauth.scenarios.UpgradeScenarios;
import io.github.wsauth.testkit.MutableClock;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/** The WebSocketHandler style: the shared scenario table, the Principal, single use, the raw request's strictness. */
class HandlerUpgradeTest extends AppTestBase {

  @TestFactory
  Stream<DynamicTest> theSharedScenarioTable() {
    return UpgradeScenarios.tests(UpgradeScenarios.server(() -> port, this::token, store::down));
  }

  @Test
  void theJdkClientsSessionPrincipalIsTheTokensSubject() throws Exception {
    FirstText listener = new FirstText();
    http().newWebSocketBuilder().header("Authorization", "Bearer " + token("alice"))
        .buildAsync(ws(UpgradeScenarios.PATH), listener).get(10, TimeUnit.SECONDS);
    assertThat(listener.await()).isEqualTo("principal=alice identity=true attribute=true");
  }

  @Test
  void springsStandardWebSocketClientWithTheQueryToken() throws Exception {
    StandardWebSocketClient client = new StandardWebSocketClient();
    java.util.concurrent.CompletableFuture<String> first = new java.util.concurrent.CompletableFuture<>();
    WebSocketSession session = client.execute(new TextWebSocketHandler() {
      @Override
      protected void handleTextMessage(WebSocketSession s, TextMessage message) {
        first.complete(message.getPayload());
      }
    }, new WebSocketHttpHeaders(), ws(UpgradeScenarios.PATH + "?token=" + token("bob")))
        .get(10, TimeUnit.SECONDS);
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("principal=bob identity=true attribute=true");
    session.close();
  }

  @Test
  void aSingleUseTokenOpensOneConnectionAndIsConsumedOnce() throws Exception {
    String token = token("carol");
    int consumes = store.consumes();
    FirstText listener = new FirstText();
    http().newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .buildAsync(ws(UpgradeScenarios.PATH), listener).get(10, TimeUnit.SECONDS);
    assertThat(listener.await()).startsWith("principal=carol");
    assertThat(store.consumes()).as("verified once, by the filter only").isEqualTo(consumes + 1);
    assertThatThrownBy(() -> http().newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .buildAsync(ws(UpgradeScenarios.PATH), new FirstText()).get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> {
          var response = ((WebSocketHandshakeException) e).getResponse();
          assertThat(response.statusCode()).isEqualTo(401);
          assertThat(response.headers().allValues("WWW-Authenticate"))
              .containsExactly("Bearer realm=\"test\", error=\"invalid_token\"");
          assertThat(String.valueOf(response.body())).isEqualTo("token already used\n");
        });
  }

  @Autowired
  MutableClock clock;

  @Test
  void theCookieWithAnAllowedOriginOpens_andWithAForeignOriginIs403AndConsumesNothing() throws Exception {
    FirstText listener = new FirstText();
    http().newWebSocketBuilder().header("Cookie", "wsauth=" + token("olivia"))
        .header("Origin", UpgradeScenarios.ORIGIN)
        .buildAsync(ws(UpgradeScenarios.PATH), listener).get(10, TimeUnit.SECONDS);
    assertThat(listener.await()).isEqualTo("principal=olivia identity=true attribute=true");

    String token = token("olivia");
    assertThatThrownBy(() -> http().newWebSocketBuilder().header("Cookie", "wsauth=" + token)
        .header("Origin", "https://evil.example")
        .buildAsync(ws(UpgradeScenarios.PATH), new FirstText()).get(10, TimeUnit.SECONDS))
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
    assertThat(store.isUnused(token)).isTrue();
  }

  @Test
  void anExpiredTokenIs401TokenExpired_byTheApplicationsClock() throws Exception {
    String token = token("trent");
    clock.advance(java.time.Duration.ofSeconds(36)); // lifetime 30 s + skew 5 s; no sleep
    assertThatThrownBy(() -> http().newWebSocketBuilder().buildAsync(
        ws(UpgradeScenarios.PATH + "?token=" + token), new FirstText()).get(10, TimeUnit.SECONDS))
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> {
          var response = ((WebSocketHandshakeException) e).getResponse();
          assertThat(response.statusCode()).isEqualTo(401);
          assertThat(response.headers().allValues("WWW-Authenticate"))
              .containsExactly("Bearer realm=\"test\", error=\"invalid_token\"");
          assertThat(String.valueOf(response.body())).isEqualTo("token expired\n");
        });
  }

  @ParameterizedTest
  @MethodSource("io.github.wsauth.scenarios.RawUpgrade#malformedQueries")
  void aQueryThatDoesNotDecodeIs400AndConsumesNothing(String template) throws Exception {
    String token = token("dave");
    RawUpgrade.Response response = RawUpgrade.upgrade(port, "127.0.0.1",
        UpgradeScenarios.PATH + "?" + String.format(template, token), UpgradeScenarios.ORIGIN);
    assertThat(response.status()).as(response.head()).isEqualTo(400);
    assertThat(store.isUnused(token)).isTrue();
    assertThat(response.head() + response.body()).doesNotContain(token);
  }

  @Test
  void plainHttpOnTheWebSocketPathIsNotAnUpgradeAndNotAuthenticated() throws Exception {
    var response = http().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + UpgradeScenarios.PATH)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("Spring's own answer to a GET without upgrade").isIn(400, 401);
    assertThat(response.headers().allValues("WWW-Authenticate")).noneMatch(v -> v.contains("realm=\"test\""));
  }

}
