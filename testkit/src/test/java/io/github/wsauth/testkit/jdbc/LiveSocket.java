package io.github.wsauth.testkit.jdbc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** An authenticated WebSocket kept open (the JDK client), recording the server's close code and reason. */
final class LiveSocket implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** The server's close frame: code and reason. */
  record Close(int code, String reason) {}

  final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final WebSocket ws;

  private LiveSocket(WebSocket ws) {
    this.ws = ws;
  }

  /** Opens {@code /ws} with {@code Authorization: Bearer <token>} and waits for the greeting {@code welcome ...}. */
  static LiveSocket open(int port, String token) throws Exception {
    CompletableFuture<String> greeting = new CompletableFuture<>();
    CompletableFuture<Close> closed = new CompletableFuture<>();
    WebSocket.Listener listener = new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        greeting.complete(data.toString());
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
        closed.complete(new Close(statusCode, reason));
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        greeting.completeExceptionally(error);
        closed.completeExceptionally(error);
      }
    };
    WebSocket ws = HTTP.newWebSocketBuilder()
        .header("Authorization", "Bearer " + token)
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), listener)
        .get(10, TimeUnit.SECONDS);
    String text = greeting.get(10, TimeUnit.SECONDS);
    if (!text.startsWith("welcome ")) {
      ws.abort();
      throw new AssertionError("unexpected greeting: " + text);
    }
    LiveSocket socket = new LiveSocket(ws);
    closed.whenComplete((c, e) -> {
      if (e != null) {
        socket.closed.completeExceptionally(e);
      } else {
        socket.closed.complete(c);
      }
    });
    return socket;
  }

  @Override
  public void close() {
    ws.abort();
  }
}
