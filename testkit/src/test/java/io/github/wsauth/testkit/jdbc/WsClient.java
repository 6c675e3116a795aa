package io.github.wsauth.testkit.jdbc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) for the node tests. */
final class WsClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  private WsClient() {}

  /**
   * Opens a WebSocket to {@code /ws} with {@code Authorization: Bearer <token>}: returns 101 once the server's
   * greeting has arrived, or the HTTP status the server answered instead of upgrading.
   */
  static int handshake(int port, String token) throws Exception {
    CompletableFuture<String> greeting = new CompletableFuture<>();
    WebSocket.Listener listener = new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        greeting.complete(data.toString());
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        greeting.completeExceptionally(error);
      }
    };
    WebSocket ws;
    try {
      ws = HTTP.newWebSocketBuilder()
          .header("Authorization", "Bearer " + token)
          .connectTimeout(TIMEOUT)
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), listener)
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException h) {
        return h.getResponse().statusCode();
      }
      throw e;
    }
    try {
      String text = greeting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!text.startsWith("welcome ")) {
        throw new AssertionError("unexpected greeting: " + text);
      }
      return 101;
    } finally {
      ws.abort();
    }
  }

  /** Asks a node to issue a token: the response's status and body (the token when 200). */
  static HttpResponse<String> issue(int port, String subject) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/issue?subject=" + subject))
        .timeout(TIMEOUT)
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
  }

  /** Issues a token, failing unless the node answered 200. */
  static String issueOrFail(int port, String subject) throws Exception {
    HttpResponse<String> res = issue(port, subject);
    if (res.statusCode() != 200) {
      throw new AssertionError("issue on port " + port + " answered " + res.statusCode() + ": " + res.body());
    }
    return res.body();
  }
}
