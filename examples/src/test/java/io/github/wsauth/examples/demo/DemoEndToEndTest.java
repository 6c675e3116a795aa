package io.github.wsauth.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.wsauth.examples.clients.BasicUserInfoClient;
import io.github.wsauth.examples.clients.BearerClient;
import io.github.wsauth.examples.clients.HelloConversation;
import io.github.wsauth.examples.clients.TokenClient;
import io.github.wsauth.testkit.MutableClock;

/**
 * The running demo driven by the JDK's {@code java.net.http.WebSocket}: every method with opaque tokens and JWTs
 * from {@code POST /api/token}, and the documented answers to wrong, replayed, expired and malformed
 * credentials, foreign origins and silence. Time is a {@link MutableClock}; nothing sleeps.
 */
class DemoEndToEndTest {
  private static final Duration DEADLINE = Duration.ofMillis(500);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private static Demo demo;
  private static TokenClient tokens;

  @BeforeAll
  static void start() {
    demo = Demo.start(DemoConfig.builder().ephemeralPorts().clock(CLOCK).firstMessageDeadline(DEADLINE).build());
    tokens = new TokenClient(HTTP, demo.appUri());
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  enum Kind { OPAQUE, JWT }

  private static String token(String user, Kind kind) throws Exception {
    return (kind == Kind.JWT ? tokens.jwt(user) : tokens.opaque(user)).value();
  }

  /** Connects to {@code method}'s server the way that method carries {@code token}; the builder can be tuned. */
  private static CompletableFuture<WebSocket> connect(AuthMethod method, String user, String token,
      HelloConversation talk, UnaryOperator<WebSocket.Builder> tune) {
    URI uri = demo.serverUri(method);
    WebSocket.Builder b = tune.apply(HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)));
    switch (method) {
      case FIRST_MESSAGE:
        return b.buildAsync(uri, talk);
      case QUERY_PARAM:
        return b.buildAsync(uri.resolve("/?token=" + token), talk);
      case COOKIE:
        return b.header("Origin", demo.appOrigin()).header("Cookie", "wsauth=" + token).buildAsync(uri, talk);
      case USER_INFO:
        return BasicUserInfoClient.connect(HTTP, BasicUserInfoClient.withUserInfo(uri, user, token), talk);
      case SUBPROTOCOL:
        return b.subprotocols("hello", "authorization.bearer." + token).buildAsync(uri, talk);
      case BEARER:
        return BearerClient.connect(HTTP, uri, token, talk);
      default:
        throw new AssertionError(method);
    }
  }

  private static HelloConversation conversation(AuthMethod method, String user, String token) {
    return method == AuthMethod.FIRST_MESSAGE
        ? HelloConversation.expecting(user, "{\"token\": \"" + token + "\"}")
        : HelloConversation.expecting(user);
  }

  /** Runs the whole protocol and returns how it ended. */
  private static HelloConversation.Outcome talk(AuthMethod method, String user, String token) throws Exception {
    HelloConversation talk = conversation(method, user, token);
    WebSocket ws = connect(method, user, token, talk, b -> b).get(10, TimeUnit.SECONDS);
    HelloConversation.Outcome outcome = talk.outcome().get(10, TimeUnit.SECONDS);
    if (method == AuthMethod.SUBPROTOCOL) {
      assertThat(ws.getSubprotocol()).isEqualTo("hello");
    }
    return outcome;
  }

  /** The HTTP answer to a refused handshake. */
  private static HttpResponse<?> refused(CompletableFuture<WebSocket> handshake) throws Exception {
    try {
      handshake.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException) {
        return ((WebSocketHandshakeException) e.getCause()).getResponse();
      }
      throw e;
    }
    return fail("the handshake was accepted");
  }

  private static HttpResponse<?> refused(AuthMethod method, String user, String token) throws Exception {
    return refused(connect(method, user, token, conversation(method, user, token), b -> b));
  }

  private static void assertOk(HelloConversation.Outcome outcome, String user) {
    assertThat(outcome.received()).containsExactly("Hello " + user + "!");
    assertThat(outcome.closeCode()).isEqualTo(1000);
    assertThat(outcome.greeted()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AuthMethod.class)
  void everyMethod_opaqueToken_helloGoodbye1000(AuthMethod method) throws Exception {
    assertOk(talk(method, "alice", token("alice", Kind.OPAQUE)), "alice");
  }

  @ParameterizedTest
  @EnumSource(AuthMethod.class)
  void everyMethod_jwt_helloGoodbye1000(AuthMethod method) throws Exception {
    String jwt = token("carol", Kind.JWT);
    assertThat(jwt.split("\\.")).hasSize(3);
    assertOk(talk(method, "carol", jwt), "carol");
  }

  @ParameterizedTest
  @EnumSource(value = AuthMethod.class, names = "FIRST_MESSAGE", mode = EnumSource.Mode.EXCLUDE)
  void handshakeMethods_replayedToken_is401(AuthMethod method) throws Exception {
    for (Kind kind : Kind.values()) {
      String token = token("dave", kind);
      assertOk(talk(method, "dave", token), "dave");
      HttpResponse<?> replay = refused(method, "dave", token);
      assertThat(replay.statusCode()).as(kind.name()).isEqualTo(401);
      assertThat(demo.authLog().last(method).orElseThrow().reason()).isEqualTo("token already used");
    }
  }

  @ParameterizedTest
  @EnumSource(value = AuthMethod.class, names = "FIRST_MESSAGE", mode = EnumSource.Mode.EXCLUDE)
  void handshakeMethods_wrongToken_is401(AuthMethod method) throws Exception {
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    assertThat(refused(method, "erin", forged).statusCode()).isEqualTo(401);
    assertThat(demo.authLog().last(method).orElseThrow().reason()).isEqualTo("unknown token");
  }

  @Test
  void handshakeMethods_expiredToken_is401() throws Exception {
    for (Kind kind : Kind.values()) {
      String opaque = token("frank", kind);
      String bearer = token("frank", kind);
      CLOCK.advance(Duration.ofSeconds(36)); // 30 s lifetime + 5 s skew, and then some
      assertThat(refused(AuthMethod.QUERY_PARAM, "frank", opaque).statusCode()).isEqualTo(401);
      assertThat(demo.authLog().last(AuthMethod.QUERY_PARAM).orElseThrow().reason()).isEqualTo("token expired");
      HttpResponse<?> r = refused(AuthMethod.BEARER, "frank", bearer);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(r.headers().allValues("WWW-Authenticate"))
          .containsExactly("Bearer realm=\"wsauth-demo\", error=\"invalid_token\"");
    }
  }

  @Test
  void bearer_challenges_followRfc6750() throws Exception {
    HttpResponse<?> missing = refused(HTTP.newWebSocketBuilder()
        .buildAsync(demo.serverUri(AuthMethod.BEARER), HelloConversation.expecting("x")));
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().allValues("WWW-Authenticate")).containsExactly("Bearer realm=\"wsauth-demo\"");

    HttpResponse<?> malformed = refused(HTTP.newWebSocketBuilder().header("Authorization", "Bearer a b")
        .buildAsync(demo.serverUri(AuthMethod.BEARER), HelloConversation.expecting("x")));
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.headers().allValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"wsauth-demo\", error=\"invalid_request\"");
  }

  @Test
  void userInfo_basicChallenges_andUsernameMustBeTheTokensUser() throws Exception {
    HttpResponse<?> missing = refused(HTTP.newWebSocketBuilder()
        .buildAsync(demo.serverUri(AuthMethod.USER_INFO), HelloConversation.expecting("x")));
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().allValues("WWW-Authenticate"))
        .containsExactly("Basic realm=\"wsauth-demo\", charset=\"UTF-8\"");

    String aliceToken = token("alice", Kind.OPAQUE);
    HttpResponse<?> mallory = refused(AuthMethod.USER_INFO, "mallory", aliceToken);
    assertThat(mallory.statusCode()).isEqualTo(401);
    assertThat(demo.authLog().last(AuthMethod.USER_INFO).orElseThrow().reason())
        .isEqualTo("credential does not match the user");

    HttpResponse<?> notBase64 = refused(HTTP.newWebSocketBuilder().header("Authorization", "Basic %%%")
        .buildAsync(demo.serverUri(AuthMethod.USER_INFO), HelloConversation.expecting("x")));
    assertThat(notBase64.statusCode()).isEqualTo(400);
    String latin1 = Base64.getEncoder().encodeToString("al\u00e9:tok".getBytes(StandardCharsets.ISO_8859_1));
    HttpResponse<?> notUtf8 = refused(HTTP.newWebSocketBuilder().header("Authorization", "Basic " + latin1)
        .buildAsync(demo.serverUri(AuthMethod.USER_INFO), HelloConversation.expecting("x")));
    assertThat(notUtf8.statusCode()).isEqualTo(400);
  }

  /** What the demo page sends for ws://<token>@host/: Basic base64("<token>:"); the user comes from the token. */
  @Test
  void userInfo_tokenAsUserName_isAccepted_andItsReplayIs401() throws Exception {
    for (Kind kind : Kind.values()) {
      String t = token("nina", kind);
      String basic = "Basic " + Base64.getEncoder().encodeToString((t + ":").getBytes(StandardCharsets.UTF_8));
      HelloConversation talk = HelloConversation.expecting("nina");
      HTTP.newWebSocketBuilder().header("Authorization", basic)
          .buildAsync(demo.serverUri(AuthMethod.USER_INFO), talk).get(10, TimeUnit.SECONDS);
      assertOk(talk.outcome().get(10, TimeUnit.SECONDS), "nina");
      HttpResponse<?> replay = refused(HTTP.newWebSocketBuilder().header("Authorization", basic)
          .buildAsync(demo.serverUri(AuthMethod.USER_INFO), HelloConversation.expecting("nina")));
      assertThat(replay.statusCode()).as(kind.name()).isEqualTo(401);
      assertThat(demo.authLog().last(AuthMethod.USER_INFO).orElseThrow().reason()).isEqualTo("token already used");
    }
  }

  @Test
  void userInfo_userNeedingPercentEncoding_isDecodedAndAccepted() throws Exception {
    for (String user : List.of("al ice", "b%b+c", "\u00e9lodie \u2603")) {
      assertOk(talk(AuthMethod.USER_INFO, user, token(user, Kind.OPAQUE)), user);
    }
  }

  @Test
  void malformedCredentials_are400() throws Exception {
    String t = token("gina", Kind.OPAQUE);
    assertThat(refused(HTTP.newWebSocketBuilder().buildAsync(
        demo.serverUri(AuthMethod.QUERY_PARAM).resolve("/?token=" + t + "&token=" + t),
        HelloConversation.expecting("gina"))).statusCode()).as("repeated query parameter").isEqualTo(400);
    assertThat(refused(HTTP.newWebSocketBuilder().header("Origin", demo.appOrigin())
        .header("Cookie", "wsauth=a; wsauth=b").buildAsync(demo.serverUri(AuthMethod.COOKIE),
            HelloConversation.expecting("gina"))).statusCode()).as("cookie tossing").isEqualTo(400);
    assertThat(refused(HTTP.newWebSocketBuilder().subprotocols("hello", "authorization.bearer.a",
        "authorization.bearer.b").buildAsync(demo.serverUri(AuthMethod.SUBPROTOCOL),
            HelloConversation.expecting("gina"))).statusCode()).as("two token entries").isEqualTo(400);
    // None of these used the real token up.
    assertOk(talk(AuthMethod.QUERY_PARAM, "gina", t), "gina");
  }

  @Test
  void browserServers_foreignOrigin_is403_andTheTokenSurvives() throws Exception {
    for (AuthMethod method : List.of(AuthMethod.QUERY_PARAM, AuthMethod.COOKIE, AuthMethod.SUBPROTOCOL)) {
      String t = token("hank", Kind.OPAQUE);
      HttpResponse<?> r = refused(connect(method, "hank", t, HelloConversation.expecting("hank"),
          b -> b.header("Origin", "http://evil.example")));
      assertThat(r.statusCode()).as(method.id()).isEqualTo(403);
      assertOk(talk(method, "hank", t), "hank");
    }
  }

  @Test
  void subprotocol_withoutTheApplicationProtocol_neverEchoesTheTokenEntry() throws Exception {
    String t = token("ivy", Kind.OPAQUE);
    HelloConversation talk = HelloConversation.expecting("ivy");
    try {
      WebSocket ws = HTTP.newWebSocketBuilder().subprotocols("authorization.bearer." + t)
          .buildAsync(demo.serverUri(AuthMethod.SUBPROTOCOL), talk).get(10, TimeUnit.SECONDS);
      assertThat(ws.getSubprotocol()).doesNotContain(t);
      ws.abort();
    } catch (ExecutionException e) {
      // Refusing the handshake is fine too; echoing the token is not.
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
    }
  }

  @Test
  void firstMessage_wrongReplayedExpiredOrMalformed_closes1008() throws Exception {
    String used = token("jack", Kind.OPAQUE);
    assertOk(talk(AuthMethod.FIRST_MESSAGE, "jack", used), "jack");
    String expired = token("jack", Kind.JWT);
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    String[][] cases = {
        {"{\"token\": \"" + forged + "\"}", "unknown token"},
        {"{\"token\": \"" + used + "\"}", "token already used"},
        {"not json", "malformed authentication message"},
        {"{\"token\": 42}", "malformed authentication message"},
        {"{\"token\": \"" + expired + "\"}", "token expired"}};
    for (String[] c : cases) {
      if (c[0].contains(expired)) {
        CLOCK.advance(Duration.ofSeconds(36));
      }
      HelloConversation talk = HelloConversation.expecting("jack", c[0]);
      HTTP.newWebSocketBuilder().buildAsync(demo.serverUri(AuthMethod.FIRST_MESSAGE), talk)
          .get(10, TimeUnit.SECONDS);
      HelloConversation.Outcome o = talk.outcome().get(10, TimeUnit.SECONDS);
      assertThat(o.closeCode()).as(c[0]).isEqualTo(1008);
      assertThat(o.closeReason()).as(c[0]).isEqualTo(c[1]);
      assertThat(o.received()).isEmpty();
    }
  }

  @Test
  void firstMessage_silencePastTheDeadline_closes1008() throws Exception {
    HelloConversation talk = HelloConversation.expecting("kim");
    long start = System.nanoTime();
    HTTP.newWebSocketBuilder().buildAsync(demo.serverUri(AuthMethod.FIRST_MESSAGE), talk).get(10, TimeUnit.SECONDS);
    HelloConversation.Outcome o = talk.outcome().get(10, TimeUnit.SECONDS);
    assertThat(o.closeCode()).isEqualTo(1008);
    assertThat(o.closeReason()).isEqualTo("authentication timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(DEADLINE.minusMillis(50));
  }

  @Test
  void protocol_wrongGoodbye_closes1008() throws Exception {
    for (AuthMethod method : List.of(AuthMethod.BEARER, AuthMethod.SUBPROTOCOL)) {
      String t = token("lea", Kind.OPAQUE);
      // Expecting another user, the client never says the right goodbye and answers nothing; send a wrong one.
      HelloConversation talk = HelloConversation.expecting("someone else");
      WebSocket ws = connect(method, "lea", t, talk, b -> b).get(10, TimeUnit.SECONDS);
      ws.sendText("Goodbye someone else.", true);
      HelloConversation.Outcome o = talk.outcome().get(10, TimeUnit.SECONDS);
      assertThat(o.received()).containsExactly("Hello lea!");
      assertThat(o.closeCode()).isEqualTo(1008);
    }
  }
}
