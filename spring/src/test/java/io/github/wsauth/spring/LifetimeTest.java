package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.github.wsauth.TokenIssuer;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.scenarios.UpgradeScenarios;
import io.github.wsauth.spring.app.TestApp;
import io.github.wsauth.testkit.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Connection lifetime on a real Spring Boot application (its own context, with a hand-driven scheduler): sessions
 * of the three styles are registered in the {@link ConnectionRegistry} bean, counted by the live-connections
 * gauge, closed by the {@link Revoker} bean with 4410 and on expiry with 1008; with and without Spring Security.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "wsauth.credentials=authorization-bearer,query-parameter",
        "wsauth.subprotocols=chat",
        "wsauth.stomp.paths=/stomp",
        "wsauth.token.single-use=false",
        "wsauth.lifetime.close-on-expiry=true"})
@Import(LifetimeTest.HandDrivenTime.class)
class LifetimeTest {
  @LocalServerPort
  int port;
  @Autowired
  TokenIssuer issuer;
  @Autowired
  ConnectionRegistry registry;
  @Autowired
  Revoker revoker;
  @Autowired
  RevocationBus bus;
  @Autowired
  MeterRegistry meters;
  @Autowired
  MutableClock clock;
  @Autowired
  ManualScheduler scheduler;
  @Autowired
  JakartaAuthConfig config;

  /** The application's scheduler: expiry timers run when the test says so (no sleeping for a token's lifetime). */
  @TestConfiguration
  static class HandDrivenTime {
    @Bean
    ManualScheduler wsauthTestScheduler(MutableClock clock) {
      return new ManualScheduler(clock);
    }
  }

  private final List<Client> clients = new java.util.ArrayList<>();

  @AfterEach
  void closeClients() {
    for (Client c : clients) {
      c.socket.thenAccept(ws -> ws.abort());
    }
  }

  @Test
  void theBeansAreWiredTogether() {
    assertThat(config.scheduler()).isSameAs(scheduler);
    assertThat(config.closeOnExpiry()).isTrue();
    assertThat(config.lifetime().registry()).containsSame(registry);
    assertThat(bus.getClass().getName()).contains("InProcess");
  }

  @Test
  void theGaugeCountsLiveAuthenticatedConnectionsOfEveryStyleAsTheyOpenAndClose() throws Exception {
    assertThat(gauge()).isZero();
    Client handler = handler("gauge-a");
    Client endpoint = endpoint("gauge-a");
    Client stomp = stomp("gauge-b");
    assertThat(gauge()).isEqualTo(3.0);
    assertThat(registry.bySubject("gauge-a")).hasSize(2);
    assertThat(registry.bySubject("gauge-b")).hasSize(1);
    handler.close();
    await(() -> gauge() == 2.0);
    endpoint.close();
    stomp.close();
    await(() -> gauge() == 0.0);
    assertThat(registry.size()).isZero();
  }

  @Test
  void revokingASubjectClosesExactlyItsSessionsOfEveryStyleWith4410() throws Exception {
    Client h1 = handler("alice");
    Client h2 = handler("alice");
    Client e1 = endpoint("alice");
    Client s1 = stomp("alice");
    Client bobHandler = handler("bob");
    Client bobEndpoint = endpoint("bob");
    Client bobStomp = stomp("bob");

    assertThat(revoker.revokeSubject("alice")).isEqualTo(4);

    for (Client c : List.of(h1, h2, e1, s1)) {
      assertThat(c.closeCode()).isEqualTo(Revoker.DEFAULT_CLOSE_CODE);
      assertThat(c.closeReason).isEqualTo(Revoker.REASON);
    }
    String error = s1.nextText();
    assertThat(error).startsWith("ERROR\n").contains("message:" + Revoker.REASON);
    await(() -> registry.size() == 3);
    assertThat(registry.bySubject("alice")).isEmpty();
    assertThat(registry.bySubject("bob")).hasSize(3);
    for (Client c : List.of(bobHandler, bobEndpoint, bobStomp)) {
      assertThat(c.closed).isNotDone();
    }
  }

  @Test
  void revokingATokenClosesExactlyTheSessionsItOpened() throws Exception {
    String token = issuer.issue("dave").value(); // reusable here: it opens two sessions
    Client h1 = openWithToken(UpgradeScenarios.PATH, token);
    Client e1 = openWithToken("/endpoint", token);
    Client other = handler("dave"); // the same subject, another token
    h1.nextText();
    e1.nextText();

    assertThat(revoker.revokeToken(TokenHash.of(token).toHex())).isEqualTo(2);

    assertThat(h1.closeCode()).isEqualTo(Revoker.DEFAULT_CLOSE_CODE);
    assertThat(e1.closeCode()).isEqualTo(Revoker.DEFAULT_CLOSE_CODE);
    assertThat(other.closed).isNotDone();
    await(() -> registry.bySubject("dave").size() == 1);
  }

  @Test
  void aSessionOfEveryStyleIsClosedWhenItsIdentityExpires() throws Exception {
    Client handler = handler("carol");
    Client endpoint = endpoint("carol");
    Client stomp = stomp("carol");
    scheduler.runDue();
    assertThat(handler.closed).isNotDone();

    clock.advance(Duration.ofSeconds(31)); // the tokens' 30 s lifetime, by the clock; no sleep
    scheduler.runDue();

    for (Client c : List.of(handler, endpoint, stomp)) {
      assertThat(c.closeCode()).isEqualTo(1008);
      assertThat(c.closeReason).isEqualTo("authentication expired");
    }
    assertThat(stomp.nextText()).startsWith("ERROR\n").contains("message:authentication expired");
    await(() -> registry.bySubject("carol").isEmpty());
  }

  private double gauge() {
    return meters.get(MicrometerAuthListener.LIVE_CONNECTIONS).gauge().value();
  }

  private Client handler(String subject) throws Exception {
    Client c = open(UpgradeScenarios.PATH, subject);
    assertThat(c.nextText()).startsWith("principal=" + subject + " ");
    return c;
  }

  private Client endpoint(String subject) throws Exception {
    Client c = open("/endpoint", subject);
    assertThat(c.nextText()).startsWith("principal=" + subject + " ");
    return c;
  }

  private Client stomp(String subject) throws Exception {
    Client c = new Client();
    clients.add(c);
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create("ws://127.0.0.1:" + port + "/stomp"), c).get(10, TimeUnit.SECONDS);
    c.socket.complete(ws);
    ws.sendText("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nAuthorization:Bearer "
        + issuer.issue(subject).value() + "\n\n\u0000", true);
    assertThat(c.nextText()).startsWith("CONNECTED\n");
    return c;
  }

  private Client open(String path, String subject) throws Exception {
    return openWithToken(path, issuer.issue(subject).value());
  }

  private Client openWithToken(String path, String token) throws Exception {
    Client c = new Client();
    clients.add(c);
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
        .header("Authorization", "Bearer " + token)
        .buildAsync(URI.create("ws://127.0.0.1:" + port + path), c).get(10, TimeUnit.SECONDS);
    c.socket.complete(ws);
    return c;
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(end);
      Thread.sleep(10); // polls an asynchronous close, not an expiry
    }
  }

  /** A JDK WebSocket client: every text message, and the close. */
  static final class Client implements WebSocket.Listener {
    final CompletableFuture<WebSocket> socket = new CompletableFuture<>();
    final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    volatile String closeReason;
    private final StringBuilder part = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      part.append(data);
      if (last) {
        texts.add(part.toString());
        part.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeReason = reason;
      closed.complete(statusCode);
      return null;
    }

    String nextText() throws InterruptedException {
      String text = texts.poll(10, TimeUnit.SECONDS);
      assertThat(text).as("a text message within 10 s").isNotNull();
      return text;
    }

    int closeCode() throws Exception {
      return closed.get(10, TimeUnit.SECONDS);
    }

    void close() throws Exception {
      socket.get().sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }
  }
}
