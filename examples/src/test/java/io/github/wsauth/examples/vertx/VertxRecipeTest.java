package io.github.wsauth.examples.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.testkit.MutableClock;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Vert.x 5 recipe of docs/OTHER-SERVERS.md on a real Vert.x server, with the JDK's WebSocket client. */
class VertxRecipeTest {
  private static final String ORIGIN = "https://app.example";
  private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private static final TokenStore STORE = TokenStore.inMemory(CLOCK);
  private static final TokenIssuer ISSUER = TokenIssuer.opaque(STORE, TokenPolicy.defaults(), CLOCK);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Vertx vertx;
  private static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    HandshakeAuthenticator authenticator = HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.queryParameter("token"))
        .verifier(TokenVerifier.opaque(STORE, TokenPolicy.defaults()))
        .originPolicy(OriginPolicy.allowOnly(ORIGIN))
        .build();
    vertx = Vertx.vertx();
    server = vertx.createHttpServer()
        .requestHandler(VertxWsAuth.authenticating(authenticator,
            (ws, identity) -> ws.writeTextMessage("hello " + identity.subject())))
        .listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static URI uri(String query) {
    return URI.create("ws://127.0.0.1:" + server.actualPort() + "/ws" + query);
  }

  private static HttpResponse<?> refused(String origin, String query) {
    Throwable thrown = null;
    try {
      HTTP.newWebSocketBuilder().header("Origin", origin).buildAsync(uri(query), new WebSocket.Listener() {})
          .get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      thrown = e.getCause();
    } catch (Exception e) {
      thrown = e;
    }
    assertThat(thrown).isInstanceOf(WebSocketHandshakeException.class);
    return ((WebSocketHandshakeException) thrown).getResponse();
  }

  @Test
  void validToken_upgrades_andTheApplicationKnowsWhoConnected() throws Exception {
    CompletableFuture<String> greeting = new CompletableFuture<>();
    WebSocket ws = HTTP.newWebSocketBuilder().header("Origin", ORIGIN)
        .buildAsync(uri("?token=" + ISSUER.issue("alice").value()), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            greeting.complete(data.toString());
            return null;
          }
        }).get(10, TimeUnit.SECONDS);
    assertThat(greeting.get(10, TimeUnit.SECONDS)).isEqualTo("hello alice");
    ws.abort();
  }

  @Test
  void missingToken_is401_withTheChallenge_andCoresHeaders() {
    HttpResponse<?> response = refused(ORIGIN, "");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"wsauth\"");
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
  }

  @Test
  void foreignOrigin_is403_evenWithAValidToken() {
    HttpResponse<?> response = refused("https://evil.example", "?token=" + ISSUER.issue("alice").value());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().allValues("WWW-Authenticate")).isEmpty();
  }

  @Test
  void plainRequest_isNotAuthenticated_404() throws Exception {
    java.net.http.HttpResponse<String> response = HTTP.send(java.net.http.HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + server.actualPort() + "/ws")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(404);
  }

  /**
   * Sends a handshake over a raw socket (the JDK client only sends valid ones) and returns the status line and
   * headers of the answer.
   */
  private static String rawHandshake(String query, String... headers) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.actualPort())) {
      socket.setSoTimeout(10_000);
      StringBuilder request = new StringBuilder("GET /ws" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nOrigin: " + ORIGIN + "\r\n");
      for (String header : headers) {
        request.append(header).append("\r\n");
      }
      socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
          StandardCharsets.US_ASCII));
      StringBuilder head = new StringBuilder();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        head.append(line).append('\n');
      }
      return head.toString();
    }
  }

  private static void upgradesWith(String token) throws Exception {
    HTTP.newWebSocketBuilder().header("Origin", ORIGIN).buildAsync(uri("?token=" + token),
        new WebSocket.Listener() {}).get(10, TimeUnit.SECONDS).abort();
  }

  @Test
  void validTokenInAHandshakeWithoutAKey_is400_andTheTokenIsNotUsedUp() throws Exception {
    String token = ISSUER.issue("alice").value();
    String answer = rawHandshake("?token=" + token, "Sec-WebSocket-Version: 13");
    assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Cache-Control: no-store");
    upgradesWith(token); // single-use: still unused
  }

  @Test
  void validTokenInAHandshakeOfAnotherVersion_is426WithTheVersion_andTheTokenIsNotUsedUp() throws Exception {
    String token = ISSUER.issue("alice").value();
    String answer = rawHandshake("?token=" + token, "Sec-WebSocket-Version: 99",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
    assertThat(answer).startsWith("HTTP/1.1 426 ").containsIgnoringCase("Sec-WebSocket-Version: 13");
    upgradesWith(token);
  }

  /** docs/OTHER-SERVERS.md shows this very file: the recipe cannot drift from the tested code. */
  @Test
  void docs_showTheTestedGlue() throws Exception {
    String docs = Files.readString(Path.of("..", "docs", "OTHER-SERVERS.md"), StandardCharsets.UTF_8);
    Matcher block = Pattern.compile("```java\\n(package io\\.github\\.wsauth\\.examples\\.vertx;.*?)```",
        Pattern.DOTALL).matcher(docs);
    assertThat(block.find()).as("the Vert.x block of docs/OTHER-SERVERS.md").isTrue();
    String source = Files.readString(Path.of("src", "test", "java", "io", "github", "wsauth", "examples", "vertx",
        "VertxWsAuth.java"), StandardCharsets.UTF_8);
    assertThat(block.group(1)).isEqualTo(source);
  }
}
