package io.github.wsauth.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.wsauth.IssuedToken;
import io.github.wsauth.examples.clients.BasicUserInfoClient;
import io.github.wsauth.examples.clients.BearerClient;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.testkit.MutableClock;

/**
 * The connection lifetime of the demo (issue 15), on every server (Netty and Tomcat), with the JDK's WebSocket
 * client over real sockets: an expired identity is closed with 4401; a {@code {"token": "…"}} message with a
 * fresh token of the same user re-authenticates the connection past its first token's expiry, and any other
 * token closes it with 1008; {@code POST /api/logout} closes exactly that user's connections on every server with
 * 4410 "authentication revoked" and answers {@code {"closed": n}}.
 *
 * <p>Time is a {@link MutableClock}. A connection is opened 200 ms (by the clock) before its token expires, so the
 * servers' expiry timers wake up every 200 ms of real time and close it as soon as the clock is moved past the
 * expiry; nothing sleeps until an expiry.
 */
class DemoLifetimeTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private static final Duration LIFETIME = Duration.ofSeconds(30);
  private static final Duration NEARLY = LIFETIME.minusMillis(200);
  private static Demo demo;
  private static int users;

  @BeforeAll
  static void start() {
    demo = Demo.start(DemoConfig.builder().ephemeralPorts().clock(CLOCK).build());
  }

  @AfterAll
  static void stop() {
    demo.close();
  }

  /** A fresh user per case, so the registry holds only this case's connections of it. */
  private static String user(String name) {
    return name + (++users);
  }

  private static IssuedToken issue(String user) {
    return demo.tokens().issue(user, DemoTokens.Kind.OPAQUE);
  }

  private static String tokenMessage(String token) {
    return "{\"token\": \"" + token + "\"}";
  }

  /** An authenticated connection that stays open: greeted, then silent until told otherwise. */
  static final class Held implements WebSocket.Listener {
    private final String user;
    private final String firstMessage;
    final CompletableFuture<Void> greeted = new CompletableFuture<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();
    final List<String> received = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    volatile WebSocket socket;
    /** The last send: the JDK client refuses a send while the previous one's future is pending ("Send pending"). */
    private CompletableFuture<WebSocket> sending = CompletableFuture.completedFuture(null);

    Held(String user, String firstMessage) {
      this.user = user;
      this.firstMessage = firstMessage;
    }

    @Override
    public synchronized void onOpen(WebSocket webSocket) {
      socket = webSocket;
      if (firstMessage != null) {
        sending = webSocket.sendText(firstMessage, true);
      }
      webSocket.request(1);
    }

    @Override
    public synchronized CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        received.add(partial.toString());
        if (partial.toString().equals(HelloProtocol.hello(user))) {
          greeted.complete(null);
        }
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode + " " + reason);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.completeExceptionally(error);
      greeted.completeExceptionally(error);
    }

    void send(String text) {
      CompletableFuture<WebSocket> next;
      synchronized (this) {
        next = sending.thenCompose(previous -> socket.sendText(text, true));
        sending = next;
      }
      next.join();
    }

    /** How the server closed the connection, within {@code seconds}. */
    String closeWithin(double seconds) throws Exception {
      return closed.get((long) (seconds * 1000), TimeUnit.MILLISECONDS);
    }
  }

  /** Opens an authenticated connection to {@code method}'s server, carrying {@code token} that method's way. */
  private static Held open(AuthMethod method, String user, String token) throws Exception {
    URI uri = demo.serverUri(method);
    Held held = new Held(user, method == AuthMethod.FIRST_MESSAGE ? tokenMessage(token) : null);
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    CompletableFuture<WebSocket> ws;
    switch (method) {
      case FIRST_MESSAGE:
        ws = b.buildAsync(uri, held);
        break;
      case QUERY_PARAM:
        ws = b.buildAsync(uri.resolve("/?token=" + token), held);
        break;
      case COOKIE:
        ws = b.header("Origin", demo.appOrigin()).header("Cookie", "wsauth=" + token).buildAsync(uri, held);
        break;
      case USER_INFO:
        ws = BasicUserInfoClient.connect(HTTP, BasicUserInfoClient.withUserInfo(uri, user, token), held);
        break;
      case SUBPROTOCOL:
        ws = b.subprotocols("hello", "authorization.bearer." + token).buildAsync(uri, held);
        break;
      case BEARER:
        ws = BearerClient.connect(HTTP, uri, token, held);
        break;
      default:
        throw new AssertionError(method);
    }
    ws.get(10, TimeUnit.SECONDS);
    held.greeted.get(10, TimeUnit.SECONDS);
    return held;
  }

  /** Waits (up to 10 s) until the server side has reached a state, e.g. processed a re-authentication. */
  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }

  private static List<ConnectionRegistry.Registration> registered(String user) {
    return demo.tokens().registry().bySubject(user);
  }

  @ParameterizedTest
  @EnumSource(AuthMethod.class)
  void everyServer_identityExpires_closes4401(AuthMethod method) throws Exception {
    String user = user("exp");
    IssuedToken t = issue(user);
    CLOCK.advance(NEARLY);
    Held held = open(method, user, t.value());
    assertThat(registered(user)).hasSize(1);
    CLOCK.advance(Duration.ofSeconds(1)); // past the token's expiry: the next wake-up (<= 200 ms) closes
    assertThat(held.closeWithin(5)).isEqualTo("4401 authentication expired");
    await("unregistration", () -> registered(user).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(AuthMethod.class)
  void everyServer_refreshWithAFreshTokenOfTheSameUser_outlivesTheFirstToken(AuthMethod method) throws Exception {
    String user = user("refresh");
    IssuedToken first = issue(user);
    CLOCK.advance(NEARLY);
    Held held = open(method, user, first.value());
    IssuedToken fresh = issue(user);
    held.send(tokenMessage(fresh.value()));
    await("the re-authentication", () -> registered(user).size() == 1
        && registered(user).get(0).identity().expiresAt().equals(fresh.expiresAt()));

    CLOCK.advance(Duration.ofSeconds(1)); // past the first token's expiry, 29 s before the fresh one's
    // Without the refresh the first token's timer (waking every 200 ms) would close it now with 4401.
    assertThatThrownBy(() -> held.closeWithin(1)).isInstanceOf(TimeoutException.class);
    held.send(HelloProtocol.goodbye(user));
    assertThat(held.closeWithin(5)).isEqualTo("1000 bye");
    assertThat(held.received).containsExactly(HelloProtocol.hello(user));
  }

  @ParameterizedTest
  @EnumSource(AuthMethod.class)
  void everyServer_refreshWithAnotherUsersToken_closes1008(AuthMethod method) throws Exception {
    String user = user("alice");
    Held held = open(method, user, issue(user).value());
    IssuedToken other = issue(user("mallory")); // valid and unused: only the subject check can refuse it
    held.send(tokenMessage(other.value()));
    assertThat(held.closeWithin(5)).isEqualTo("1008 re-authentication subject mismatch");
  }

  @ParameterizedTest
  @EnumSource(AuthMethod.class)
  void everyServer_refreshWithAUsedToken_closes1008(AuthMethod method) throws Exception {
    String user = user("replay");
    Held first = open(method, user, issue(user).value());
    CLOCK.advance(Duration.ofSeconds(1)); // so the re-authenticated identity's expiry differs from the first's
    IssuedToken used = issue(user);
    first.send(tokenMessage(used.value()));
    await("the first re-authentication", () -> registered(user).get(0).identity().expiresAt()
        .equals(used.expiresAt()));
    Held second = open(method, user, issue(user).value());
    second.send(tokenMessage(used.value()));
    assertThat(second.closeWithin(5)).isEqualTo("1008 token already used");
    first.send(HelloProtocol.goodbye(user));
    assertThat(first.closeWithin(5)).isEqualTo("1000 bye");
  }

  @ParameterizedTest
  @EnumSource(AuthMethod.class)
  void everyServer_refreshWithAnInvalidToken_closes1008(AuthMethod method) throws Exception {
    String user = user("forger");
    Held unknown = open(method, user, issue(user).value());
    unknown.send(tokenMessage(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32])));
    assertThat(unknown.closeWithin(5)).isEqualTo("1008 unknown token");
    Held malformed = open(method, user, issue(user).value());
    malformed.send(tokenMessage("not a token"));
    assertThat(malformed.closeWithin(5)).isEqualTo("1008 malformed authentication message");
  }

  private static HttpResponse<String> logout(String user, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(demo.appUri().resolve("/api/logout"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("user=" + user));
    if (origin != null) {
      b.header("Origin", origin);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void logout_closesExactlyThatUsersConnections_onEveryServer_within1s() throws Exception {
    String alice = user("alice");
    String bob = user("bob");
    Map<AuthMethod, Held> alices = new LinkedHashMap<>();
    for (AuthMethod m : AuthMethod.values()) {
      alices.put(m, open(m, alice, issue(alice).value()));
    }
    Held bobNetty = open(AuthMethod.FIRST_MESSAGE, bob, issue(bob).value());
    Held bobTomcat = open(AuthMethod.BEARER, bob, issue(bob).value());
    String unused = issue(alice).value(); // outstanding: revoked too

    HttpResponse<String> r = logout(alice, demo.appOrigin());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(r.body()).isEqualTo("{\"closed\": " + AuthMethod.values().length + "}");
    for (Map.Entry<AuthMethod, Held> e : alices.entrySet()) {
      String close = e.getValue().closeWithin(1);
      assertThat(close).as(e.getKey().id()).isEqualTo("4410 authentication revoked").contains("revoked");
    }
    // A server-initiated close ends when the client's Close reply arrives (the closing handshake; at most Netty's
    // closingHandshakeTimeout of 2 s), and the registration goes with the connection.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(3);
    while (!registered(alice).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(registered(alice)).isEmpty();

    // The outstanding token was revoked in the store: a handshake with it is refused.
    Held late = new Held(alice, null);
    assertThatThrownBy(() -> BearerClient.connect(HTTP, demo.serverUri(AuthMethod.BEARER), unused, late)
        .get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(java.net.http.WebSocketHandshakeException.class);
    assertThat(demo.authLog().last(AuthMethod.BEARER).orElseThrow().reason()).isEqualTo("token revoked");

    // Bob's connections, on both frameworks, were not touched.
    assertThat(registered(bob)).hasSize(2);
    for (Held b : List.of(bobNetty, bobTomcat)) {
      b.send(HelloProtocol.goodbye(bob));
      assertThat(b.closeWithin(5)).isEqualTo("1000 bye");
    }
    assertThat(logout(bob, null).body()).isEqualTo("{\"closed\": 0}");
  }

  @Test
  void logout_isProtectedAsTheTokenEndpoint_andClosesNothingWhenRefused() throws Exception {
    String carol = user("carol");
    Held held = open(AuthMethod.SUBPROTOCOL, carol, issue(carol).value());

    assertThat(logout(carol, "http://evil.example").statusCode()).as("foreign origin").isEqualTo(403);
    assertThat(logout("", demo.appOrigin()).statusCode()).as("no user").isEqualTo(400);
    assertThat(logout(carol + "%3Ax", demo.appOrigin()).statusCode()).as("colon").isEqualTo(400);
    HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(demo.appUri().resolve("/api/logout")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    HttpResponse<String> json = HTTP.send(HttpRequest.newBuilder(demo.appUri().resolve("/api/logout"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(json.statusCode()).isEqualTo(415);

    assertThat(registered(carol)).hasSize(1);
    held.send(HelloProtocol.goodbye(carol));
    assertThat(held.closeWithin(5)).isEqualTo("1000 bye");
  }
}
