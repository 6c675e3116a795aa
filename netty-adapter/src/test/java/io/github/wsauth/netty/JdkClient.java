package io.github.wsauth.netty;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.wsauth.scenarios.CollectingListener;

/** The JDK's {@code java.net.http.WebSocket} as a test client. */
final class JdkClient extends CollectingListener {
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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

  /**
   * Sends a whole text message and waits until it is written. The JDK client refuses a message sent while the
   * previous one is still being written (its future fails with "Send pending"), so a test that sends two messages
   * without waiting sometimes sends only the first.
   */
  void send(String text) throws Exception {
    webSocket.sendText(text, true).get(5, TimeUnit.SECONDS);
  }

  /** Sends a whole binary message and waits until it is written (see {@link #send(String)}). */
  void send(ByteBuffer data) throws Exception {
    webSocket.sendBinary(data, true).get(5, TimeUnit.SECONDS);
  }

  /**
   * Sends a whole text message after one the server may already have refused: waits until it is written, and
   * returns false if it could not be (the server closed the connection first).
   */
  boolean trySend(String text) throws Exception {
    try {
      webSocket.sendText(text, true).get(5, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException e) {
      return false;
    }
  }

  String nextText() throws InterruptedException {
    return nextText(Duration.ofSeconds(5));
  }

  /** The close code received, or -1 if the connection ended without a close frame. */
  int awaitClose() throws Exception {
    try {
      return closed.get(5, TimeUnit.SECONDS).code();
    } catch (ExecutionException e) {
      return -1;
    }
  }
}
