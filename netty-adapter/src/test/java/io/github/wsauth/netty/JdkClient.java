package io.github.wsauth.netty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The JDK's {@code java.net.http.WebSocket} as a test client. */
final class JdkClient implements WebSocket.Listener {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  WebSocket webSocket;

  /** Opens a WebSocket; header pairs are added to the upgrade request. */
  static JdkClient open(URI uri, List<String> subprotocols, String... headers) throws Exception {
    JdkClient client = new JdkClient();
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (!subprotocols.isEmpty()) {
      b.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(new String[0]));
    }
    client.webSocket = b.buildAsync(uri, client).get(5, TimeUnit.SECONDS);
    return client;
  }

  /** The HTTP status the server refused the upgrade with. */
  static int refusedStatus(URI uri, List<String> subprotocols, String... headers) throws Exception {
    try {
      JdkClient c = open(uri, subprotocols, headers);
      c.webSocket.abort();
      throw new AssertionError("the upgrade was accepted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException) {
        return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
      }
      throw e;
    }
  }

  String nextText() throws InterruptedException {
    String text = texts.poll(5, TimeUnit.SECONDS);
    if (text == null) {
      throw new AssertionError("no message within 5 s");
    }
    return text;
  }

  int awaitClose() throws Exception {
    return closeCode.get(5, TimeUnit.SECONDS);
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      texts.add(partial.toString());
      partial.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    closeCode.complete(-1);
  }
}
