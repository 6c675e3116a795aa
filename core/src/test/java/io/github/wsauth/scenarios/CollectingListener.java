package io.github.wsauth.scenarios;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK WebSocket client's listener both adapters' tests use: collects whole text messages, ignores binary
 * ones, and completes {@link #closed} with the close frame (exceptionally if the connection broke without one).
 */
public class CollectingListener implements WebSocket.Listener {
  /** The text messages received, each reassembled from its fragments. */
  public final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  /** The close frame received: {@code {code, reason}}. */
  public final CompletableFuture<CloseFrame> closed = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();

  /** A close frame. */
  public record CloseFrame(int code, String reason) {}

  /** The next text message, failing after {@code timeout}. */
  public String nextText(Duration timeout) throws InterruptedException {
    String text = texts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (text == null) {
      throw new AssertionError("no message within " + timeout);
    }
    return text;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      texts.add(partial.toString());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(new CloseFrame(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.completeExceptionally(error);
  }
}
