package io.github.wsauth.examples.clients;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A program that authenticates with {@code Authorization: Bearer <token>} (RFC 6750 §2.1), the header browsers
 * cannot set on a WebSocket. Runs against the demo's Bearer server (port 8006); {@code --jwt} asks for a JWT
 * instead of an opaque token.
 *
 * <pre>
 * java -cp examples/target/wsauth-demo.jar io.github.wsauth.examples.clients.BearerClient \
 *     http://localhost:8000/ ws://localhost:8006/ alice --jwt
 * </pre>
 */
public final class BearerClient {
  private BearerClient() {}

  /** Opens a WebSocket to {@code uri} with the token in an {@code Authorization: Bearer} header. */
  public static CompletableFuture<WebSocket> connect(HttpClient http, URI uri, String token,
      WebSocket.Listener listener) {
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .header("Authorization", "Bearer " + token)
        .buildAsync(uri, listener);
  }

  /** Args (all optional): app URI, Bearer server URI, user name, and the flag {@code --jwt} anywhere. */
  public static void main(String[] args) throws Exception {
    boolean jwt = java.util.Arrays.asList(args).contains("--jwt");
    String[] positional = java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
    URI app = URI.create(positional.length > 0 ? positional[0] : "http://localhost:8000/");
    URI server = URI.create(positional.length > 1 ? positional[1] : "ws://localhost:8006/");
    String user = positional.length > 2 ? positional[2] : "alice";
    HttpClient http = HttpClient.newHttpClient();
    TokenClient tokens = new TokenClient(http, app);
    TokenClient.Token token = jwt ? tokens.jwt(user) : tokens.opaque(user);
    HelloConversation talk = HelloConversation.expecting(user);
    connect(http, server, token.value(), talk).get(10, TimeUnit.SECONDS);
    HelloConversation.Outcome outcome = talk.outcome().get(10, TimeUnit.SECONDS);
    System.out.println("received " + outcome.received() + ", closed " + outcome.closeCode() + " "
        + outcome.closeReason());
  }
}
