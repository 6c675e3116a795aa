package io.github.wsauth.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** The Spring Boot sample, booted on an ephemeral port: a token from its endpoint opens each style once. */
class SpringChatAppTest {
  private static ConfigurableApplicationContext app;
  private static int port;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    // Spring Boot must not reconfigure java.util.logging in this shared test JVM.
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    app = org.springframework.boot.SpringApplication.run(SpringChatApp.class,
        concat(SpringChatApp.DEFAULTS, "--server.port=0", "--server.address=127.0.0.1"));
    port = ((WebServerApplicationContext) app).getWebServer().getPort();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  private String token(String user) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/token?user=" + user)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private String greeting(String path, String token) throws Exception {
    CompletableFuture<String> first = new CompletableFuture<>();
    http.newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .buildAsync(URI.create("ws://127.0.0.1:" + port + path), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            first.complete(data.toString());
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    return first.get(10, TimeUnit.SECONDS);
  }

  @Test
  void theHandlerAndTheEndpointGreetTheTokensSubject_andAReplayIs401() throws Exception {
    String token = token("alice");
    assertThat(greeting("/chat", token)).isEqualTo("hello alice");
    assertThat(greeting("/echo", token("bob"))).isEqualTo("hello bob");
    assertThatThrownBy(() -> greeting("/chat", token)).cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
  }
}
