package io.github.wsauth.examples.clients;

import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The client side of the demo protocol, as a {@link WebSocket.Listener}: waits for {@code Hello <user>!}, answers
 * {@code Goodbye <user>.}, and completes {@link #outcome()} when the server closes. Optionally sends a first
 * message (the token, for the first-message server) as soon as the socket opens.
 *
 * <pre>{@code
 * HelloConversation talk = HelloConversation.expecting("alice");
 * http.newWebSocketBuilder().header("Authorization", "Bearer " + token).buildAsync(uri, talk);
 * HelloConversation.Outcome o = talk.outcome().get(10, TimeUnit.SECONDS);   // o.closeCode() == 1000
 * }</pre>
 */
public final class HelloConversation implements WebSocket.Listener {
  private final String user;
  private final String firstMessage;
  private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
  private final List<String> received = new ArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  /**
   * The last send: the JDK client refuses a send ("Send pending") until the previous one's future completes, and a
   * server can answer the first message before that future does, so each send waits for the one before.
   */
  private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

  private HelloConversation(String user, String firstMessage) {
    this.user = Objects.requireNonNull(user, "user must not be null");
    this.firstMessage = firstMessage;
  }

  /** A conversation that expects to be greeted as {@code user}. */
  public static HelloConversation expecting(String user) {
    return new HelloConversation(user, null);
  }

  /** The same, sending {@code firstMessage} as soon as the socket opens (first-message authentication). */
  public static HelloConversation expecting(String user, String firstMessage) {
    return new HelloConversation(user, Objects.requireNonNull(firstMessage, "first message must not be null"));
  }

  /**
   * How the conversation ended.
   *
   * @param received the text messages the server sent
   * @param closeCode the server's close code
   * @param closeReason the server's close reason
   * @param greeted whether the server greeted the expected user (and so got a goodbye)
   */
  public record Outcome(List<String> received, int closeCode, String closeReason, boolean greeted) {
    /** Copies. */
    public Outcome {
      received = List.copyOf(received);
    }
  }

  /** Completes when the server closes; fails on a transport error. */
  public CompletableFuture<Outcome> outcome() {
    return outcome;
  }

  @Override
  public synchronized void onOpen(WebSocket webSocket) {
    if (firstMessage != null) {
      sending = webSocket.sendText(firstMessage, true);
    }
    webSocket.request(1);
  }

  @Override
  public synchronized CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      String message = partial.toString();
      partial.setLength(0);
      received.add(message);
      if (("Hello " + user + "!").equals(message)) {
        sending = sending.thenCompose(previous -> webSocket.sendText("Goodbye " + user + ".", true));
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public synchronized CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    boolean greeted = received.contains("Hello " + user + "!");
    outcome.complete(new Outcome(received, statusCode, reason, greeted));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    outcome.completeExceptionally(error);
  }
}
