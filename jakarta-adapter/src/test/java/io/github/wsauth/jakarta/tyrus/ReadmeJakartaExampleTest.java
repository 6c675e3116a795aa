package io.github.wsauth.jakarta.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.JakartaWsAuth;
import io.github.wsauth.jakarta.WsAuthConfigurator;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.junit.jupiter.api.Test;

/** The README's Jakarta wiring, deployed on standalone Tyrus and used by a real client. */
class ReadmeJakartaExampleTest {

  /** Stands for the application's own holder of the shared store. */
  static final class App {
    static final TokenStore STORE = TokenStore.inMemory(Clock.systemUTC());
  }

  // --- README: Jakarta ---
  public static final class AuthConfigurator extends WsAuthConfigurator {
    public AuthConfigurator() {
      super(JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
          .extractor(CredentialExtractor.queryParameter("token"))
          .verifier(TokenVerifier.opaque(App.STORE, TokenPolicy.defaults()))
          .originPolicy(OriginPolicy.allowOnly("https://app.example"))
          .build()).build());
    }
  }

  @ServerEndpoint(value = "/chat", configurator = AuthConfigurator.class)
  public static class ChatEndpoint {
    @OnOpen
    public void open(Session session) throws IOException {
      Identity who = JakartaWsAuth.identity(session).orElseThrow();
      session.getBasicRemote().sendText("Hello " + who.subject() + "!");
    }
  }
  // --- end ---

  @Test
  void readmeEndpoint_onTyrus_greetsTheTokensSubject_andRefusesReplay() throws Exception {
    TyrusServerContainer server = (TyrusServerContainer) new GrizzlyServerContainer().createContainer(Map.of());
    server.addEndpoint(ChatEndpoint.class);
    server.start("/", 0);
    try {
      String token = TokenIssuer.opaque(App.STORE, TokenPolicy.defaults(), Clock.systemUTC()).issue("alice").value();
      URI uri = URI.create("ws://127.0.0.1:" + server.getPort() + "/chat?token=" + token);
      CompletableFuture<String> greeting = new CompletableFuture<>();
      WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletableFuture<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
              greeting.complete(data.toString());
              return null;
            }
          }).get(10, TimeUnit.SECONDS);
      assertThat(greeting.get(10, TimeUnit.SECONDS)).isEqualTo("Hello alice!");
      ws.abort();

      CompletableFuture<WebSocket> replay = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(uri, new WebSocket.Listener() {});
      assertThat(replay).failsWithin(10, TimeUnit.SECONDS)
          .withThrowableThat().havingCause().isInstanceOfSatisfying(WebSocketHandshakeException.class,
              e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    } finally {
      server.stop();
    }
  }
}
