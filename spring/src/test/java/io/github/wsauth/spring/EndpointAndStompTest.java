package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Type;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.wsauth.spring.app.TestApp;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/** The {@code @ServerEndpoint} and STOMP styles, on the same application. */
class EndpointAndStompTest extends AppTestBase {

  @Test
  void anAnnotatedEndpointBeanGetsTheIdentityAndIsAutowired() throws Exception {
    FirstText listener = new FirstText();
    http().newWebSocketBuilder().header("Authorization", "Bearer " + token("erin"))
        .buildAsync(ws("/endpoint"), listener).get(10, TimeUnit.SECONDS);
    assertThat(listener.await()).isEqualTo("principal=erin identity=erin autowired=true");
  }

  @Test
  void anAnnotatedEndpointRefusesAMissingCredentialWith401BeforeTheUpgrade() {
    assertThatThrownBy(() -> http().newWebSocketBuilder().buildAsync(ws("/endpoint"), new FirstText())
        .get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> {
          var response = ((WebSocketHandshakeException) e).getResponse();
          assertThat(response.statusCode()).isEqualTo(401);
          assertThat(response.headers().allValues("WWW-Authenticate")).contains("Bearer realm=\"test\"");
        });
  }

  @Test
  void anAnnotatedEndpointRefusesAReplayedToken() throws Exception {
    String token = token("frank");
    FirstText first = new FirstText();
    http().newWebSocketBuilder().buildAsync(ws("/endpoint?token=" + token), first).get(10, TimeUnit.SECONDS);
    assertThat(first.await()).startsWith("principal=frank");
    assertThatThrownBy(() -> http().newWebSocketBuilder().buildAsync(ws("/endpoint?token=" + token),
        new FirstText()).get(10, TimeUnit.SECONDS))
        .cause().isInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
  }

  private StompSession stomp(StompHeaders connect) throws Exception {
    WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient());
    client.setMessageConverter(new StringMessageConverter());
    return client.connectAsync(ws("/stomp").toString(), new WebSocketHttpHeaders(), connect,
        new StompSessionHandlerAdapter() { }).get(10, TimeUnit.SECONDS);
  }

  private static String whoami(StompSession session) throws Exception {
    CompletableFuture<String> answer = new CompletableFuture<>();
    session.subscribe("/topic/whoami", new StompFrameHandler() {
      @Override
      public Type getPayloadType(StompHeaders headers) {
        return String.class;
      }

      @Override
      public void handleFrame(StompHeaders headers, Object payload) {
        answer.complete((String) payload);
      }
    });
    Thread.sleep(200); // the subscription reaches the broker before the message (not a wait for expiry)
    session.send("/app/whoami", "hi");
    return answer.get(10, TimeUnit.SECONDS);
  }

  @Test
  void stompConnectWithAnAuthorizationBearerHeaderSetsTheUser() throws Exception {
    StompHeaders connect = new StompHeaders();
    connect.add("Authorization", "Bearer " + token("grace"));
    StompSession session = stomp(connect);
    assertThat(whoami(session)).isEqualTo("principal=grace identity=true body=hi");
    session.disconnect();
  }

  @Test
  void stompConnectWithATokenHeaderSetsTheUser() throws Exception {
    StompHeaders connect = new StompHeaders();
    connect.add("token", token("heidi"));
    StompSession session = stomp(connect);
    assertThat(whoami(session)).isEqualTo("principal=heidi identity=true body=hi");
    session.disconnect();
  }

  /** Raw STOMP frames over the JDK client: what the server answers, and whether it closed. */
  private String[] rawStomp(String... frames) throws Exception {
    FirstText listener = new FirstText();
    var socket = http().newWebSocketBuilder().subprotocols("v12.stomp")
        .buildAsync(ws("/stomp"), listener).get(10, TimeUnit.SECONDS);
    for (String f : frames) {
      socket.sendText(f + "\0", true).get(10, TimeUnit.SECONDS);
    }
    String answer = listener.await();
    int code = listener.closed.get(10, TimeUnit.SECONDS);
    return new String[] {answer, Integer.toString(code)};
  }

  /** A well-formed token that nobody issued. */
  static String unknownToken() {
    byte[] b = new byte[32];
    new java.security.SecureRandom().nextBytes(b);
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  private static String connect(String header) {
    return "CONNECT\naccept-version:1.2\nhost:localhost\n" + (header == null ? "" : header + "\n") + "\n";
  }

  @Test
  void aRefusedConnectIsAnErrorFrameAndAClose() throws Exception {
    String[] answer = rawStomp(connect("token:" + unknownToken()));
    assertThat(answer[0]).startsWith("ERROR\n").contains("message:unknown token");
    assertThat(answer[1]).isEqualTo("1002");
  }

  @Test
  void aConnectWithoutCredentialsIsRefused() throws Exception {
    String[] answer = rawStomp(connect(null));
    assertThat(answer[0]).startsWith("ERROR\n").contains("message:credentials required");
  }

  @Test
  void aConnectWithTwoCredentialsIsMalformedAndConsumesNothing() throws Exception {
    String token = token("ivan");
    String[] answer = rawStomp(connect("token:" + token + "\nAuthorization:Bearer " + token));
    assertThat(answer[0]).startsWith("ERROR\n").contains("message:malformed credential").doesNotContain(token);
    assertThat(store.isUnused(token)).isTrue();
  }

  @Test
  void aReplayedConnectTokenIsRefused() throws Exception {
    String token = token("judy");
    StompHeaders connect = new StompHeaders();
    connect.add("token", token);
    StompSession session = stomp(connect);
    assertThat(whoami(session)).startsWith("principal=judy");
    String[] answer = rawStomp(connect("token:" + token));
    assertThat(answer[0]).startsWith("ERROR\n").contains("message:token already used");
    session.disconnect();
  }

  @Test
  void aFrameBeforeConnectNeverReachesTheMessageMapping() throws Exception {
    int reached = TestApp.WhoAmIController.REACHED.get();
    String[] answer = rawStomp("SEND\ndestination:/app/whoami\n\nhi");
    // Spring refuses a frame of a session that never connected before the channel (its own "Unknown session");
    // WsAuthStompInterceptorTest shows the interceptor's own refusal of the same frame.
    assertThat(answer[0]).startsWith("ERROR\n");
    assertThat(answer[1]).isEqualTo("1002");
    assertThat(TestApp.WhoAmIController.REACHED.get()).isEqualTo(reached);
  }

  @Test
  void theStoreDownIsAnErrorFrameAndNothingIsConsumed() throws Exception {
    String token = token("mallory");
    store.down(true);
    String[] answer;
    try {
      answer = rawStomp(connect("token:" + token));
    } finally {
      store.down(false);
    }
    assertThat(answer[0]).startsWith("ERROR\n").contains("message:authentication temporarily unavailable");
    assertThat(answer[1]).as("Spring's close after an ERROR frame: PROTOCOL_ERROR").isEqualTo("1002");
    assertThat(store.isUnused(token)).isTrue();
  }
}
