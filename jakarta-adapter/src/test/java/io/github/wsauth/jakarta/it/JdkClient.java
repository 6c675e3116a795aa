package io.github.wsauth.jakarta.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.wsauth.scenarios.CollectingListener;

/** The JDK's {@code java.net.http.WebSocket} as a test client. */
final class JdkClient {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  private JdkClient() {}

  /** A close frame received. */
  record Close(int code, String reason) {}

  /** An open connection with what it received. */
  static final class Conn extends CollectingListener {
    WebSocket ws;

    String next() throws InterruptedException {
      return nextText(TIMEOUT);
    }

    void send(String text) {
      ws.sendText(text, true).join();
    }

    Close awaitClose() throws Exception {
      CloseFrame frame = closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new Close(frame.code(), frame.reason());
    }

    void close() {
      if (ws != null && !ws.isOutputClosed()) {
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
      }
    }
  }

  /** A refused handshake. */
  record Refusal(int status, List<String> challenges, String body) {}

  static CompletableFuture<Conn> connectAsync(URI uri, Consumer<WebSocket.Builder> customize) {
    Conn conn = new Conn();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT);
    customize.accept(b);
    return b.buildAsync(uri, conn).thenApply(ws -> {
      conn.ws = ws;
      return conn;
    });
  }

  static Conn connect(URI uri, Consumer<WebSocket.Builder> customize) throws Exception {
    try {
      return connectAsync(uri, customize).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("handshake failed: " + describe(e.getCause()), e.getCause());
    }
  }

  static Refusal refused(URI uri, Consumer<WebSocket.Builder> customize) throws Exception {
    try {
      Conn c = connectAsync(uri, customize).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      c.close();
      throw new AssertionError("handshake unexpectedly succeeded");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (!(cause instanceof WebSocketHandshakeException h)) {
        throw new AssertionError("expected an HTTP refusal, got " + cause, cause);
      }
      HttpResponse<?> r = h.getResponse();
      Object body = r.body();
      return new Refusal(r.statusCode(), r.headers().allValues("WWW-Authenticate"),
          body == null ? "" : body.toString());
    }
  }

  private static String describe(Throwable t) {
    if (t instanceof WebSocketHandshakeException h) {
      return "HTTP " + h.getResponse().statusCode();
    }
    return String.valueOf(t);
  }
}
