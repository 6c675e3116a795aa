package io.github.wsauth.examples.clients;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A program that authenticates with credentials in the URI's user info, {@code ws://user:token@host/}: it
 * percent-decodes them, sends them as {@code Authorization: Basic} (the JDK client would silently drop user
 * info) and connects to the URI without them. Runs against the demo's user-info server (port 8004), which
 * requires the user name to be the one the token was issued to.
 *
 * <pre>
 * java -cp examples/target/wsauth-demo.jar io.github.wsauth.examples.clients.BasicUserInfoClient \
 *     http://localhost:8000/ ws://localhost:8004/ "al ice"
 * </pre>
 */
public final class BasicUserInfoClient {
  private BasicUserInfoClient() {}

  /**
   * Opens a WebSocket to {@code uriWithUserInfo} with Basic credentials from its user info.
   *
   * @throws IllegalArgumentException if the URI has no valid user info
   */
  public static CompletableFuture<WebSocket> connect(HttpClient http, URI uriWithUserInfo,
      WebSocket.Listener listener) {
    UserInfoCredentials credentials = UserInfoCredentials.from(uriWithUserInfo)
        .orElseThrow(() -> new IllegalArgumentException("the URI has no user info"));
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .header("Authorization", credentials.basicAuthorization())
        .buildAsync(UserInfoCredentials.withoutUserInfo(uriWithUserInfo), listener);
  }

  /** {@code ws://<user>:<token>@host/}, with both percent-encoded as RFC 3986 user info. */
  public static URI withUserInfo(URI server, String user, String token) {
    String info = encodeUserInfo(user) + ":" + encodeUserInfo(token);
    String port = server.getPort() < 0 ? "" : ":" + server.getPort();
    String path = server.getRawPath() == null || server.getRawPath().isEmpty() ? "/" : server.getRawPath();
    return URI.create(server.getScheme() + "://" + info + "@" + server.getHost() + port + path);
  }

  private static String encodeUserInfo(String s) {
    // Form encoding writes a space as '+', which in a URI is a plus: write %20 instead.
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Args: app URI, user-info server URI, user name (defaults: the demo on 8000 and 8004, "al ice"). */
  public static void main(String[] args) throws Exception {
    URI app = URI.create(args.length > 0 ? args[0] : "http://localhost:8000/");
    URI server = URI.create(args.length > 1 ? args[1] : "ws://localhost:8004/");
    String user = args.length > 2 ? args[2] : "al ice";
    HttpClient http = HttpClient.newHttpClient();
    TokenClient.Token token = new TokenClient(http, app).opaque(user);
    URI uri = withUserInfo(server, user, token.value());
    HelloConversation talk = HelloConversation.expecting(user);
    connect(http, uri, talk).get(10, TimeUnit.SECONDS);
    HelloConversation.Outcome outcome = talk.outcome().get(10, TimeUnit.SECONDS);
    System.out.println("received " + outcome.received() + ", closed " + outcome.closeCode() + " "
        + outcome.closeReason());
  }
}
