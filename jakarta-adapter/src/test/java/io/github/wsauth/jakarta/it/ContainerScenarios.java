package io.github.wsauth.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import io.github.wsauth.Identity;
import io.github.wsauth.jakarta.JakartaWsAuth;
import io.github.wsauth.jakarta.WsAuthClientConfigurator;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.scenarios.LifetimeScenarios;
import io.github.wsauth.scenarios.ManualWakeUps;
import io.github.wsauth.scenarios.FirstMessageScenarioTable;

/**
 * The one scenario suite every container runs: subclasses only say how to start their container. Every status
 * asserted here is the documented one (docs/JAKARTA.md), the same on Tomcat, Jetty and standalone Tyrus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ContainerScenarios {
  private static final String BAD_ORIGIN = "https://evil.example";

  protected Fixture fixture;
  private ServerHarness harness;
  private int port;

  /** The container under test. */
  protected abstract ServerHarness harness();

  /** The package of the Jakarta client this execution must use (proves the containers did not mix). */
  protected abstract String clientPackage();

  /**
   * Whether the configurator decides alone where no {@link io.github.wsauth.jakarta.WsAuthFilter} is in front
   * (standalone Tyrus, which answers its refusals cleanly); Tomcat and Jetty refuse every such handshake with 403.
   */
  protected abstract boolean configuratorDecidesAlone();

  /** What {@code Session.getUserPrincipal()} shows after the filter authenticated as alice. */
  protected abstract String expectedPrincipal();

  @BeforeAll
  void startServer() throws Exception {
    fixture = Fixture.create();
    harness = harness();
    port = harness.start(fixture.deployment());
  }

  @AfterAll
  void stopServer() throws Exception {
    harness.stop();
  }

  @BeforeEach
  void reset() throws InterruptedException {
    // A container may run an endpoint's onOpen just after the previous test's client saw its answer (Tyrus did, in
    // CI): let such stragglers land before counting from zero, so "the endpoint never ran" counts this test only.
    int seen = -1;
    for (int i = 0; i < 40 && Recorder.opens() != seen; i++) {
      seen = Recorder.opens();
      Thread.sleep(50);
    }
    Recorder.reset();
    fixture.store.down(false);
    fixture.manual.clear();
  }

  /** Core's connection-lifetime scenarios (issue 15), the same as on Netty, on /hs/lifetime and /fm/lifetime. */
  @TestFactory
  Stream<DynamicTest> lifetimeScenarios() {
    return LifetimeScenarios.tests(new LifetimeScenarios.Server() {
      @Override
      public URI uri(LifetimeScenarios.Mode mode) {
        return ContainerScenarios.this.uri(mode == LifetimeScenarios.Mode.HANDSHAKE ? "/hs/lifetime" : "/fm/lifetime");
      }

      @Override
      public String issue(String subject) {
        return token(subject);
      }

      @Override
      public void advance(java.time.Duration duration) {
        fixture.clock.advance(duration);
      }

      @Override
      public ManualWakeUps wakeUps() {
        return fixture.wakeUps;
      }

      @Override
      public ConnectionRegistry registry() {
        return fixture.registry;
      }

      @Override
      public Revoker revoker() {
        return fixture.revoker;
      }

      @Override
      public Optional<Identity> reauthenticate(String subject, String token) {
        return JakartaWsAuth.reauthenticate(fixture.sessions.get(subject), token);
      }

      @Override
      public List<String> warnings() {
        return fixture.warnings;
      }
    });
  }

  protected URI uri(String pathAndQuery) {
    return URI.create("ws://localhost:" + port + pathAndQuery);
  }

  private String token(String subject) {
    return fixture.issuer.issue(subject).value();
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private JdkClient.Conn hello(String path, Consumer<WebSocket.Builder> b) throws Exception {
    return JdkClient.connect(uri(path), b);
  }

  // ---- handshake: each credential location ----

  @Test
  void bearer_validToken_endpointSeesIdentity_tokenConsumedOnce() throws Exception {
    String t = token("alice");
    int before = fixture.store.consumes();
    JdkClient.Conn c = hello("/hs/annotated", b -> b.header("Authorization", "Bearer " + t));
    assertThat(c.next()).isEqualTo("hello subject=alice source=AUTHORIZATION_BEARER protocol=-");
    c.send("ping");
    assertThat(c.next()).isEqualTo("echo:ping");
    // The filter (servlet containers) and the configurator both ran; the store was asked once.
    assertThat(fixture.store.consumes() - before).isEqualTo(1);
    c.close();
  }

  @Test
  void basic_validToken_endpointSeesIdentity() throws Exception {
    String t = token("bob");
    JdkClient.Conn c = hello("/hs/annotated", b -> b.header("Authorization", basic("bob", t)));
    assertThat(c.next()).isEqualTo("hello subject=bob source=AUTHORIZATION_BASIC protocol=-");
    c.close();
  }

  @Test
  void query_validToken_endpointSeesIdentity() throws Exception {
    JdkClient.Conn c = hello("/hs/annotated?token=" + token("carol"), b -> { });
    assertThat(c.next()).isEqualTo("hello subject=carol source=QUERY_PARAMETER protocol=-");
    c.close();
  }

  /**
   * Whether the application's session shows the query credential masked: the container builds its handshake
   * request from the filter's request (Tomcat, Jetty 12); standalone Tyrus has no filter.
   */
  protected abstract boolean sessionShowsTheFiltersRequest();

  @Test
  void query_validToken_theSessionsQueryUriAndParameters_holdTheTokenMasked_whereTheContainerUsesTheFiltersRequest()
      throws Exception {
    String t = token("carol");
    JdkClient.Conn c = hello("/hs/annotated?room=r1&token=" + t + "&v=2", b -> { });
    assertThat(c.next()).isEqualTo("hello subject=carol source=QUERY_PARAMETER protocol=-");
    c.close();
    assertThat(Recorder.requests()).hasSize(1);
    String seen = Recorder.requests().get(0);
    if (sessionShowsTheFiltersRequest()) {
      assertThat(seen).doesNotContain(t).contains("query=room=r1&token=***&v=2")
          .contains("?room=r1&token=***&v=2").contains("parameters={room=[r1], token=[***], v=[2]}");
    } else {
      assertThat(seen).as("the container's own request (docs/JAKARTA.md says so)").contains("token=" + t);
    }
  }

  @Test
  void cookie_withAllowedOrigin_endpointSeesIdentity() throws Exception {
    String t = token("dave");
    JdkClient.Conn c = hello("/hs/annotated",
        b -> b.header("Cookie", Fixture.COOKIE + "=" + t).header("Origin", Fixture.ORIGIN));
    assertThat(c.next()).isEqualTo("hello subject=dave source=COOKIE protocol=-");
    c.close();
  }

  @Test
  void subprotocol_validToken_selectsApplicationProtocolNeverTheToken() throws Exception {
    String t = token("erin");
    JdkClient.Conn c = hello("/hs/annotated",
        b -> b.subprotocols("authorization.bearer." + t, Fixture.PROTOCOL));
    assertThat(c.ws.getSubprotocol()).isEqualTo(Fixture.PROTOCOL);
    assertThat(c.next()).isEqualTo("hello subject=erin source=SUBPROTOCOL protocol=chat");
    c.close();
  }

  // ---- handshake: rejections ----

  private JdkClient.Refusal refused(String path, Consumer<WebSocket.Builder> b) throws Exception {
    JdkClient.Refusal r = JdkClient.refused(uri(path), b);
    assertThat(Recorder.opens()).as("the endpoint must never run for a rejected handshake").isZero();
    return r;
  }

  /** The challenges, as separate header lines or folded into one (Tyrus folds them; RFC 9110 §11.6.1). */
  private static void assertChallenges(JdkClient.Refusal r, String... expected) {
    String actual = String.join(", ", r.challenges());
    List<String> orders = expected.length == 2
        ? List.of(expected[0] + ", " + expected[1], expected[1] + ", " + expected[0])
        : List.of(String.join(", ", expected));
    assertThat(actual).isIn(orders);
  }

  @Test
  void missingCredential_is401_withBearerAndBasicChallenges() throws Exception {
    JdkClient.Refusal r = refused("/hs/annotated", b -> { });
    assertThat(r.status()).isEqualTo(401);
    assertChallenges(r, "Bearer realm=\"test\"", "Basic realm=\"test\", charset=\"UTF-8\"");
  }

  @Test
  void malformedBearer_is400() throws Exception {
    JdkClient.Refusal r = refused("/hs/annotated", b -> b.header("Authorization", "Bearer not a token"));
    assertThat(r.status()).isEqualTo(400);
  }

  @Test
  void malformedBasic_is400_withBasicChallenge() throws Exception {
    JdkClient.Refusal r = refused("/hs/annotated", b -> b.header("Authorization", "Basic !!!notbase64"));
    assertThat(r.status()).isEqualTo(400);
    assertChallenges(r, "Basic realm=\"test\", charset=\"UTF-8\"");
  }

  @Test
  void expiredToken_is401_invalidToken() throws Exception {
    String t = token("frank");
    fixture.clock.advance(Duration.ofSeconds(36));
    JdkClient.Refusal r = refused("/hs/annotated", b -> b.header("Authorization", "Bearer " + t));
    assertThat(r.status()).isEqualTo(401);
    assertChallenges(r, "Bearer realm=\"test\", error=\"invalid_token\"");
  }

  @Test
  void replayedToken_is401() throws Exception {
    String t = token("grace");
    JdkClient.Conn first = hello("/hs/annotated", b -> b.header("Authorization", "Bearer " + t));
    assertThat(first.next()).startsWith("hello subject=grace");
    first.close();
    Recorder.reset();
    JdkClient.Refusal r = refused("/hs/annotated", b -> b.header("Authorization", "Bearer " + t));
    assertThat(r.status()).isEqualTo(401);
    assertChallenges(r, "Bearer realm=\"test\", error=\"invalid_token\"");
  }

  @Test
  void forgedToken_is401_basicChallengeForBasic() throws Exception {
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    assertThat(refused("/hs/annotated", b -> b.header("Authorization", "Bearer " + forged)).status())
        .isEqualTo(401);
    JdkClient.Refusal r = refused("/hs/annotated", b -> b.header("Authorization", basic("heidi", forged)));
    assertThat(r.status()).isEqualTo(401);
    assertChallenges(r, "Basic realm=\"test\", charset=\"UTF-8\"");
  }

  @Test
  void foreignOrigin_is403_andBurnsNoToken() throws Exception {
    String t = token("ivan");
    JdkClient.Refusal r = refused("/hs/annotated",
        b -> b.header("Cookie", Fixture.COOKIE + "=" + t).header("Origin", BAD_ORIGIN));
    assertThat(r.status()).isEqualTo(403);
    JdkClient.Conn c = hello("/hs/annotated",
        b -> b.header("Cookie", Fixture.COOKIE + "=" + t).header("Origin", Fixture.ORIGIN));
    assertThat(c.next()).startsWith("hello subject=ivan");
    c.close();
  }

  @Test
  void storeDown_is503_andConsumesNothing() throws Exception {
    String t = token("judy");
    fixture.store.down(true);
    int before = fixture.store.consumes();
    JdkClient.Refusal r = refused("/hs/annotated", b -> b.header("Authorization", "Bearer " + t));
    assertThat(r.status()).isEqualTo(503);
    assertThat(fixture.store.consumes()).isEqualTo(before);
    fixture.store.down(false);
    JdkClient.Conn c = hello("/hs/annotated", b -> b.header("Authorization", "Bearer " + t));
    assertThat(c.next()).startsWith("hello subject=judy");
    c.close();
  }

  @Test
  void concurrentHandshakes_200_eachSeesItsOwnIdentity() throws Exception {
    int n = 200;
    List<CompletableFuture<JdkClient.Conn>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String t = token("user" + i);
      futures.add(JdkClient.connectAsync(uri("/hs/annotated"), b -> b.header("Authorization", "Bearer " + t)));
    }
    List<JdkClient.Conn> conns = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      JdkClient.Conn c = futures.get(i).get(30, TimeUnit.SECONDS);
      conns.add(c);
      assertThat(c.next()).isEqualTo("hello subject=user" + i + " source=AUTHORIZATION_BEARER protocol=-");
    }
    assertThat(Recorder.opens()).isEqualTo(n);
    conns.forEach(JdkClient.Conn::close);
  }

  @Test
  void principal_asDocumentedForThisContainer() throws Exception {
    JdkClient.Conn c = hello("/hs/annotated", b -> b.header("Authorization", "Bearer " + token("alice")));
    assertThat(c.next()).startsWith("hello subject=alice");
    assertThat(Recorder.principals()).containsExactly(expectedPrincipal());
    c.close();
  }

  @Test
  void configuratorWithoutFilter_tyrusDecidesAlone_servletContainersRefuse403() throws Exception {
    int before = fixture.store.consumes();
    String uma = token("uma");
    if (!configuratorDecidesAlone()) {
      // A servlet container with no filter in front: refused in checkOrigin, nothing verified or consumed.
      assertThat(refused("/bare/programmatic", b -> b.header("Authorization", "Bearer " + uma)).status())
          .isEqualTo(403);
      assertThat(refused("/bare/programmatic", b -> { }).status()).isEqualTo(403);
      assertThat(fixture.store.consumes()).isEqualTo(before);
      assertThat(Recorder.opens()).isZero();
      return;
    }
    JdkClient.Conn c = hello("/bare/programmatic", b -> b.header("Authorization", "Bearer " + uma));
    assertThat(c.next()).isEqualTo("welcome uma");
    assertThat(fixture.store.consumes() - before).isEqualTo(1);
    c.close();
    Recorder.reset();
    JdkClient.Refusal r = refused("/bare/programmatic", b -> { });
    assertThat(r.status()).isEqualTo(401);
  }

  // ---- the Jakarta client with the client configurator ----

  @Test
  void jakartaClient_isThisContainersOwn() {
    assertThat(JakartaClient.container().getClass().getName()).startsWith(clientPackage());
  }


  @Test
  void jakartaClient_bearer_basic_subprotocol_succeed() throws Exception {
    JakartaClient.Conn bearer = JakartaClient.connect(uri("/hs/annotated"),
        WsAuthClientConfigurator.bearer(() -> token("kim")));
    assertThat(bearer.next()).isEqualTo("hello subject=kim source=AUTHORIZATION_BEARER protocol=chat");
    bearer.session.close();
    JakartaClient.Conn basic = JakartaClient.connect(uri("/hs/annotated"),
        WsAuthClientConfigurator.basic("lee", () -> token("lee")));
    assertThat(basic.next()).isEqualTo("hello subject=lee source=AUTHORIZATION_BASIC protocol=chat");
    basic.session.close();
    JakartaClient.Conn sub = JakartaClient.connect(uri("/hs/annotated"),
        WsAuthClientConfigurator.subprotocol(() -> token("max")));
    assertThat(sub.session.getNegotiatedSubprotocol()).isEqualTo(Fixture.PROTOCOL);
    assertThat(sub.next()).isEqualTo("hello subject=max source=SUBPROTOCOL protocol=chat");
    sub.session.close();
  }

  @Test
  void jakartaClient_forgedToken_isRefused_endpointNeverRuns() {
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);
    assertThatThrownBy(() -> JakartaClient.connect(uri("/hs/annotated"), WsAuthClientConfigurator.bearer(() -> forged)))
        .isInstanceOfAny(jakarta.websocket.DeploymentException.class, java.io.IOException.class);
    assertThat(Recorder.opens()).isZero();
  }

  // ---- first message ----

  private JdkClient.Conn firstMessage(String path) throws Exception {
    return JdkClient.connect(uri(path), b -> { });
  }

  @Test
  void firstMessage_validToken_opensApplication_thenMessagesFlow() throws Exception {
    JdkClient.Conn c = firstMessage("/fm/programmatic");
    c.ws.sendText(token("nina"), true).join();
    c.send("after");
    assertThat(c.next()).isEqualTo("welcome nina");
    assertThat(c.next()).isEqualTo("app:after");
    assertThat(Recorder.messages()).containsExactly("after");
    c.close();
  }

  @Test
  void firstMessage_annotatedEndpoint_validToken() throws Exception {
    JdkClient.Conn c = firstMessage("/fm/annotated");
    c.send(token("olga"));
    assertThat(c.next()).isEqualTo("welcome-annotated olga");
    c.send("x");
    assertThat(c.next()).isEqualTo("app:x");
    c.close();
  }

  @Test
  void firstMessage_wrongToken_closes1008_applicationNeverRuns() throws Exception {
    JdkClient.Conn c = firstMessage("/fm/programmatic");
    c.send(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
    assertThat(c.awaitClose().code()).isEqualTo(1008);
    assertThat(Recorder.opens()).isZero();
  }

  @Test
  void firstMessage_silencePastDeadline_closes1008() throws Exception {
    long start = System.nanoTime(); // before the handshake: the server's timer starts later, never earlier
    JdkClient.Conn c = firstMessage("/fm/programmatic");
    JdkClient.Close close = c.awaitClose();
    assertThat(close.code()).isEqualTo(1008);
    assertThat(close.reason()).isEqualTo("authentication timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Fixture.DEADLINE);
    assertThat(Recorder.opens()).isZero();
  }

  @Test
  void firstMessage_oversized_closes1009() throws Exception {
    JdkClient.Conn c = firstMessage("/fm/programmatic");
    c.send("a".repeat(Fixture.MAX_FIRST_MESSAGE + 1));
    assertThat(c.awaitClose().code()).isEqualTo(1009);
    assertThat(Recorder.opens()).isZero();
  }

  @Test
  void firstMessage_messagesBeforeAuthentication_neverReachApplication() throws Exception {
    JdkClient.Conn c = firstMessage("/fm/programmatic");
    String t = token("pat");
    c.send("hello-before-auth");
    c.ws.sendText(t, true);
    assertThat(c.awaitClose().code()).isEqualTo(1008);
    assertThat(Recorder.opens()).isZero();
    assertThat(Recorder.messages()).isEmpty();
  }

  @Test
  void firstMessage_binary_closes1008() throws Exception {
    JdkClient.Conn c = firstMessage("/fm/programmatic");
    c.ws.sendBinary(ByteBuffer.wrap(token("quinn").getBytes(StandardCharsets.UTF_8)), true).join();
    assertThat(c.awaitClose().code()).isEqualTo(1008);
    assertThat(Recorder.opens()).isZero();
  }

  @Test
  void firstMessage_storeDown_closes1011_andConsumesNothing() throws Exception {
    String t = token("rita");
    fixture.store.down(true);
    JdkClient.Conn c = firstMessage("/fm/programmatic");
    c.send(t);
    assertThat(c.awaitClose().code()).isEqualTo(1011);
    fixture.store.down(false);
    JdkClient.Conn again = firstMessage("/fm/programmatic");
    again.send(t);
    assertThat(again.next()).isEqualTo("welcome rita");
    again.close();
  }

  // ---- expiry ----

  @Test
  void expiry_closes1008_whenTheClockPassesTheIdentityExpiry() throws Exception {
    String t = token("sam");
    JdkClient.Conn c = hello("/exp/programmatic", b -> b.header("Authorization", "Bearer " + t));
    assertThat(c.next()).isEqualTo("welcome sam");
    fixture.clock.advance(Duration.ofSeconds(20));
    fixture.manual.runDue();
    c.send("still-here");
    assertThat(c.next()).isEqualTo("app:still-here");
    fixture.clock.advance(Duration.ofSeconds(11));
    fixture.manual.runDue();
    JdkClient.Close close = c.awaitClose();
    assertThat(close.code()).isEqualTo(1008);
    assertThat(close.reason()).isEqualTo("authentication expired");
    assertThat(fixture.manual.pending()).isZero();
  }

  // ---- issue 13 item 7: a token is consumed only by a request that will be upgraded ----

  /**
   * What this container answers (status, body) to a handshake with no {@code Sec-WebSocket-Key}, version 99, a
   * {@code POST} and HTTP/1.0, each carrying a valid unused token.
   */
  protected List<RawClient.Response> invalidHandshakeAnswers() {
    return List.of(
        new RawClient.Response(400, java.util.Map.of(), "not a WebSocket handshake: invalid Sec-WebSocket-Key\n"),
        new RawClient.Response(426, java.util.Map.of("sec-websocket-version", "13"),
            "unsupported WebSocket version\n"),
        new RawClient.Response(405, java.util.Map.of(), "not a WebSocket handshake: method must be GET\n"),
        new RawClient.Response(400, java.util.Map.of(), "not a WebSocket handshake: HTTP/1.1 required\n"));
  }

  @Test
  void invalidHandshakes_withAValidUnusedToken_areRefused_nothingConsumed() throws Exception {
    List<RawClient.Response> expected = invalidHandshakeAnswers();
    for (int i = 0; i < 4; i++) {
      String t = token("vera" + i);
      String target = "/hs/annotated?token=" + t;
      String request = List.of(RawClient.request("GET", target, "HTTP/1.1", false, true),
          RawClient.request("GET", target, "HTTP/1.1", true, false),
          RawClient.request("POST", target, "HTTP/1.1", true, true),
          RawClient.request("GET", target, "HTTP/1.0", true, true)).get(i);
      String what = request.lines().findFirst().orElseThrow().replace(t, "…");
      RawClient.Response e = expected.get(i);
      int before = fixture.store.consumes();
      try (RawClient c = RawClient.connect(port)) {
        c.write(request);
        RawClient.Response r = c.readResponse();
        assertThat(r.status()).as(what).isEqualTo(e.status());
        if (!e.body().isEmpty()) {
          assertThat(r.body()).as(what).isEqualTo(e.body());
        }
        e.headers().forEach((name, value) -> assertThat(r.header(name)).as(what).isEqualTo(value));
      }
      if (e.status() == 101) {
        continue; // the container itself upgrades this request (see the subclass): the token was used by it
      }
      assertThat(fixture.store.consumes()).as("token consumed by " + what).isEqualTo(before);
      assertThat(Recorder.opens()).isZero();
      try (RawClient c = RawClient.connect(port)) {
        c.write(RawClient.upgrade(target));
        assertThat(c.readResponse().status()).isEqualTo(101);
        assertThat(c.readFrame().text()).isEqualTo("hello subject=vera" + i + " source=QUERY_PARAMETER protocol=-");
      }
      Recorder.reset();
    }
  }

  // ---- issue 13 item 8: nothing reaches the application before acceptance, whatever the segmentation ----

  /**
   * Whether this container discards bytes sent in the same TCP write as the upgrade request (standalone Tyrus on
   * Grizzly does, for every endpoint): then a pipelined token never arrives and the deadline closes the connection.
   */
  protected boolean dropsBytesPipelinedWithTheUpgrade() {
    return false;
  }

  /** The pipelined frames were dropped: the deadline closes with 1008, nothing reached the app, nothing consumed. */
  private void assertPipelinedBytesDropped(RawClient c, int consumesBefore) throws Exception {
    RawClient.Frame close = c.readFrame();
    assertThat(close.opcode()).isEqualTo(8);
    assertThat(close.closeCode()).isEqualTo(1008);
    assertThat(new String(close.payload(), 2, close.payload().length - 2, StandardCharsets.UTF_8))
        .isEqualTo("authentication timeout");
    assertThat(fixture.store.consumes()).isEqualTo(consumesBefore);
    assertThat(Recorder.opens()).isZero();
    assertThat(Recorder.messages()).isEmpty();
  }

  @Test
  void firstMessage_tokenAndAppMessagePipelinedWithTheUpgrade_appSeesOnlyItsMessageAfterAcceptance()
      throws Exception {
    String t = token("wes");
    int before = fixture.store.consumes();
    try (RawClient c = RawClient.connect(port)) {
      c.write(RawClient.upgrade("/fm/programmatic").getBytes(StandardCharsets.ISO_8859_1), RawClient.textFrame(t),
          RawClient.textFrame("after"));
      assertThat(c.readResponse().status()).isEqualTo(101);
      if (dropsBytesPipelinedWithTheUpgrade()) {
        assertPipelinedBytesDropped(c, before);
        return;
      }
      assertThat(c.readFrame().text()).isEqualTo("welcome wes");
      assertThat(c.readFrame().text()).isEqualTo("app:after");
    }
    assertThat(Recorder.opens()).isEqualTo(1);
    assertThat(Recorder.messages()).containsExactly("after");
  }

  @Test
  void firstMessage_appMessagePipelinedBeforeTheToken_closes1008_applicationNeverRuns() throws Exception {
    String t = token("xia");
    try (RawClient c = RawClient.connect(port)) {
      c.write(RawClient.upgrade("/fm/programmatic").getBytes(StandardCharsets.ISO_8859_1),
          RawClient.textFrame("hello-before-auth"), RawClient.textFrame(t));
      assertThat(c.readResponse().status()).isEqualTo(101);
      if (dropsBytesPipelinedWithTheUpgrade()) {
        assertPipelinedBytesDropped(c, fixture.store.consumes());
        return;
      }
      RawClient.Frame close = c.readFrame();
      assertThat(close.opcode()).isEqualTo(8);
      assertThat(close.closeCode()).isEqualTo(1008);
    }
    assertThat(Recorder.opens()).isZero();
    assertThat(Recorder.messages()).isEmpty();
  }

  @Test
  void firstMessage_tokenPipelinedWithTheUpgrade_annotatedApp_firstOnMessageIsTheAppsOwn() throws Exception {
    String t = token("yan");
    int before = fixture.store.consumes();
    try (RawClient c = RawClient.connect(port)) {
      c.write(RawClient.upgrade("/fm/annotated").getBytes(StandardCharsets.ISO_8859_1), RawClient.textFrame(t),
          RawClient.textFrame("x1"), RawClient.textFrame("x2"));
      assertThat(c.readResponse().status()).isEqualTo(101);
      if (dropsBytesPipelinedWithTheUpgrade()) {
        assertPipelinedBytesDropped(c, before);
        return;
      }
      assertThat(c.readFrame().text()).isEqualTo("welcome-annotated yan");
      assertThat(c.readFrame().text()).isEqualTo("app:x1");
      assertThat(c.readFrame().text()).isEqualTo("app:x2");
    }
    assertThat(Recorder.messages()).containsExactly("x1", "x2");
  }

  // ---- logs: a client that never authenticated cannot write to the server's log ----

  /**
   * How the container reports the reset of an authenticated connection to an annotated endpoint without
   * {@code @OnError} (the application's connection, so the application's log): a fragment of the record, or null
   * where the container logs nothing for it.
   */
  protected abstract String unhandledResetRecord();

  /**
   * Connections that never authenticated and are reset by their peer (a client that vanishes, or one that opens
   * connections to fill the server's log): half a request, an upgraded first-message connection before its token,
   * and one that sent half of its token's frame. Nobody logs anything at WARNING or above for them, no stack trace,
   * no token; the application, which never opened, hears of no error. The control (an authenticated connection to
   * an annotated endpoint without {@code @OnError}, reset the same way) shows the capture sees the container's
   * records: Tomcat and Jetty log that one, as the application's.
   */
  @Test
  void unauthenticatedConnectionsResetByTheirPeer_leaveNoWarningAndNoStackTrace_inTheServersLog() throws Exception {
    String t = token("zoe");
    byte[] tokenFrame = RawClient.textFrame(t);
    try (JulCapture logs = new JulCapture()) {
      for (int i = 0; i < 5; i++) {
        // Before the upgrade: half a request (its query carries a token), then a reset.
        try (RawClient c = RawClient.connect(port)) {
          c.write(("GET /hs/annotated?token=" + t + " HTTP/1.1\r\nHost: localhost\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          Thread.sleep(20);
          c.reset();
        }
        // After the upgrade of a first-message endpoint: no token yet, then a reset.
        try (RawClient c = RawClient.connect(port)) {
          c.write(RawClient.upgrade("/fm/programmatic"));
          assertThat(c.readResponse().status()).isEqualTo(101);
          c.reset();
        }
        // Half of the token's frame, then a reset: the container's read fails in the middle of a frame.
        try (RawClient c = RawClient.connect(port)) {
          c.write(RawClient.upgrade("/fm/annotated"));
          assertThat(c.readResponse().status()).isEqualTo(101);
          c.write(java.util.Arrays.copyOf(tokenFrame, tokenFrame.length / 2));
          Thread.sleep(20);
          c.reset();
        }
      }
      // Control: the same reset of an authenticated connection is the application's, and the container says so.
      try (RawClient c = RawClient.connect(port)) {
        c.write(RawClient.upgrade("/hs/annotated?token=" + token("ann")));
        assertThat(c.readResponse().status()).isEqualTo(101);
        assertThat(c.readFrame().text()).startsWith("hello subject=ann");
        c.reset();
      }
      String control = unhandledResetRecord();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (control != null && logs.count(control) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      Thread.sleep(300); // the unauthenticated resets came first; let any record of theirs land
      List<String> loud = logs.lines().stream().filter(l -> l.contains("WARNING: ") || l.contains("SEVERE: "))
          .toList();
      if (control != null) {
        assertThat(loud).as("the control's record: the capture sees the container").anySatisfy(l ->
            assertThat(l).contains(control));
      }
      assertThat(loud.stream().filter(l -> control == null || !l.contains(control)))
          .as("records at WARNING or above other than the control's").isEmpty();
      assertThat(logs.count("\tat ")).as("stack traces").isEqualTo(control == null ? 0 : logs.count(control));
      assertThat(logs.text()).doesNotContain(t);
    }
    assertThat(Recorder.opens()).as("only the control's endpoint ran").isEqualTo(1);
    assertThat(Recorder.errors()).as("errors reported to the applications, which never opened").isEmpty();
  }

  // ---- core's first-message scenario table: the same rows and answers as Netty ----

  List<FirstMessageScenarioTable.Row> firstMessageTable() throws Exception {
    return FirstMessageScenarioTable.rows();
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.MethodSource("firstMessageTable")
  void firstMessage_scenarioTable(FirstMessageScenarioTable.Row row) throws Exception {
    String t = token("alice");
    fixture.store.down(row.storeDown());
    String outcome;
    try {
      outcome = FirstMessageScenarioTable.play(port, "/fm/programmatic", row, t);
    } finally {
      fixture.store.down(false);
    }
    String expected = row.expected().equals("accept") ? "accept welcome alice" : row.expected();
    if (row.pipelined() && dropsBytesPipelinedWithTheUpgrade()) {
      // The container itself loses bytes sent with the upgrade request (documented): wsauth never sees them.
      expected = "1008 authentication timeout";
    }
    assertThat(outcome).isEqualTo(expected);
  }
}
