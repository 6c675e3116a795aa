package io.github.wsauth.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.wsauth.Identity;
import io.github.wsauth.internal.LiveSession;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.store.TokenHash;
import org.junit.jupiter.api.DynamicTest;

/**
 * The connection-lifetime scenarios (issue 15) every adapter runs over real sockets with the JDK client: revocation
 * by subject and by token closes exactly the matching connections with {@link Revoker#DEFAULT_CLOSE_CODE} and
 * {@link Revoker#REASON}; in-band re-authentication (the {@code {"token": "…"}} message on a first-message
 * endpoint, the adapter's API on a handshake endpoint) carries a connection past its first token's expiry, driven
 * by the server's clock and {@link ManualWakeUps}; a token of another subject, a used one or an unknown one closes
 * with 1008 and the check's reason; the expiry warning reaches the application.
 *
 * <p>The server under test: opaque single-use tokens of 30 seconds from {@link #issue}; a handshake endpoint
 * taking {@code ?token=} and a first-message endpoint in the JSON format; close on expiry (1008); a {@link
 * io.github.wsauth.lifetime.ConnectionLifetime} with the registry and an expiry warning 10 seconds before expiry;
 * an application that answers every text message {@code m} with a text containing {@code m} and records each
 * warning as {@code "<subject> <seconds left>"}; timers woken by {@link ManualWakeUps}.
 */
public final class LifetimeScenarios {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration WAIT = Duration.ofSeconds(5);

  private LifetimeScenarios() {}

  /** Where the credential travels. */
  public enum Mode {
    /** {@code ?token=} in the upgrade request. */
    HANDSHAKE,
    /** {@code {"token": "…"}} as the first message. */
    FIRST_MESSAGE
  }

  /** What the scenarios need from the server under test. */
  public interface Server {
    /** The endpoint of {@code mode}, without a query. */
    URI uri(Mode mode);

    /** A fresh, valid, unused token of {@code subject}. */
    String issue(String subject);

    /** Moves the server's clock. */
    void advance(Duration duration);

    /** The wake-ups of the server's timers. */
    ManualWakeUps wakeUps();

    /** The server's registry. */
    ConnectionRegistry registry();

    /** A revoker over the server's store and registry. */
    Revoker revoker();

    /** Re-authenticates the server's connection of {@code subject} (the only one) through the adapter's API. */
    Optional<Identity> reauthenticate(String subject, String token);

    /** The expiry warnings the application received, as {@code "<subject> <seconds left>"}. */
    List<String> warnings();
  }

  /** A connected client. */
  public static final class Client extends CollectingListener {
    WebSocket ws;

    /** Sends a text message. */
    public void send(String text) {
      ws.sendText(text, true).join();
    }

    /** Sends {@code text} and waits for the application's answer containing it. */
    public void roundTrip(String text) throws InterruptedException {
      send(text);
      for (;;) {
        String answer = nextText(WAIT);
        if (answer.contains(text)) {
          return;
        }
      }
    }

    /** The close frame, as {@code "<code> <reason>"}. */
    public String awaitClose() throws Exception {
      CloseFrame f = closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      return f.code() + " " + f.reason();
    }

    /** Whether the connection is still open: it answers a message. */
    public boolean isOpen() {
      return !closed.isDone();
    }
  }

  /** Connects as {@code subject} with a fresh token; returns once the application answered. */
  public static Client connect(Server server, Mode mode, String token) throws Exception {
    Client c = new Client();
    URI uri = server.uri(mode);
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(WAIT).header("Origin", UpgradeScenarios.ORIGIN);
    if (mode == Mode.HANDSHAKE) {
      uri = URI.create(uri + "?token=" + token);
    }
    c.ws = b.buildAsync(uri, c).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    if (mode == Mode.FIRST_MESSAGE) {
      c.send(json(token));
    }
    c.roundTrip("ready");
    return c;
  }

  private static String json(String token) {
    return "{\"token\":\"" + token + "\"}";
  }

  /** The scenarios, one dynamic test each. */
  public static Stream<DynamicTest> tests(Server server) {
    return Stream.of(
        DynamicTest.dynamicTest("revokeSubject closes exactly that subject's connections", () -> {
          Client a1 = connect(server, Mode.HANDSHAKE, server.issue("rs-alice"));
          Client a2 = connect(server, Mode.FIRST_MESSAGE, server.issue("rs-alice"));
          Client b = connect(server, Mode.FIRST_MESSAGE, server.issue("rs-bob"));
          assertThat(server.revoker().revokeSubject("rs-alice")).isEqualTo(2);
          assertThat(a1.awaitClose()).isEqualTo(Revoker.DEFAULT_CLOSE_CODE + " " + Revoker.REASON);
          assertThat(a2.awaitClose()).isEqualTo("4410 authentication revoked");
          b.roundTrip("still-here");
          assertThat(b.isOpen()).isTrue();
          awaitUnregistered(server, "rs-alice");
          b.ws.abort();
        }),
        DynamicTest.dynamicTest("revokeToken closes only the connection of that token", () -> {
          String t1 = server.issue("rt-alice");
          Client a1 = connect(server, Mode.HANDSHAKE, t1);
          Client a2 = connect(server, Mode.FIRST_MESSAGE, server.issue("rt-alice"));
          assertThat(server.revoker().revokeToken(TokenHash.of(t1).toHex())).isEqualTo(1);
          assertThat(a1.awaitClose()).isEqualTo("4410 authentication revoked");
          a2.roundTrip("still-here");
          a2.ws.abort();
        }),
        DynamicTest.dynamicTest("in-band {\"token\"} refresh carries the connection past the first expiry", () -> {
          Client c = connect(server, Mode.FIRST_MESSAGE, server.issue("ib-alice"));
          server.advance(Duration.ofSeconds(20));
          c.send(json(server.issue("ib-alice"))); // expires at 50 s
          c.roundTrip("after-refresh");
          server.advance(Duration.ofSeconds(15)); // 35 s: past the first token's expiry
          server.wakeUps().runAll();
          c.roundTrip("past-first-expiry");
          assertThat(c.texts).noneMatch(t -> t.contains("token"));
          server.advance(Duration.ofSeconds(16)); // 51 s: past the second
          server.wakeUps().runAll();
          assertThat(c.awaitClose()).isEqualTo("1008 authentication expired");
        }),
        DynamicTest.dynamicTest("API refresh carries a handshake connection past the first expiry", () -> {
          Client c = connect(server, Mode.HANDSHAKE, server.issue("api-alice"));
          server.advance(Duration.ofSeconds(20));
          String fresh = server.issue("api-alice");
          Identity next = server.reauthenticate("api-alice", fresh).orElseThrow();
          assertThat(next.tokenId()).contains(TokenHash.of(fresh).toHex());
          assertThat(server.registry().byTokenId(TokenHash.of(fresh).toHex())).hasSize(1);
          server.advance(Duration.ofSeconds(15));
          server.wakeUps().runAll();
          c.roundTrip("past-first-expiry");
          server.advance(Duration.ofSeconds(16));
          server.wakeUps().runAll();
          assertThat(c.awaitClose()).isEqualTo("1008 authentication expired");
        }),
        DynamicTest.dynamicTest("without refresh the first expiry closes (control)", () -> {
          Client c = connect(server, Mode.FIRST_MESSAGE, server.issue("ctl-alice"));
          server.advance(Duration.ofSeconds(31));
          server.wakeUps().runAll();
          assertThat(c.awaitClose()).isEqualTo("1008 authentication expired");
        }),
        DynamicTest.dynamicTest("in-band refresh with another subject's token closes 1008", () -> {
          Client c = connect(server, Mode.FIRST_MESSAGE, server.issue("ws-alice"));
          c.send(json(server.issue("ws-bob")));
          assertThat(c.awaitClose()).isEqualTo("1008 " + LiveSession.SUBJECT_MISMATCH);
          awaitUnregistered(server, "ws-alice");
        }),
        DynamicTest.dynamicTest("in-band refresh with a used token closes 1008", () -> {
          String first = server.issue("rp-alice");
          Client c = connect(server, Mode.FIRST_MESSAGE, first);
          c.send(json(first));
          assertThat(c.awaitClose()).isEqualTo("1008 token already used");
        }),
        DynamicTest.dynamicTest("in-band refresh with an unknown token closes 1008", () -> {
          Client c = connect(server, Mode.FIRST_MESSAGE, server.issue("uk-alice"));
          c.send(json("A".repeat(43)));
          assertThat(c.awaitClose()).isEqualTo("1008 unknown token");
        }),
        DynamicTest.dynamicTest("API refresh with another subject's token closes 1008", () -> {
          Client c = connect(server, Mode.HANDSHAKE, server.issue("aws-alice"));
          assertThat(server.reauthenticate("aws-alice", server.issue("aws-bob"))).isEmpty();
          assertThat(c.awaitClose()).isEqualTo("1008 " + LiveSession.SUBJECT_MISMATCH);
        }),
        DynamicTest.dynamicTest("a message with a token member and more is the application's", () -> {
          Client c = connect(server, Mode.FIRST_MESSAGE, server.issue("am-alice"));
          c.roundTrip("{\"token\":\"x\",\"type\":\"chat\"}");
          c.ws.abort();
        }),
        DynamicTest.dynamicTest("the expiry warning reaches the application 10 s before expiry", () -> {
          Client c = connect(server, Mode.HANDSHAKE, server.issue("ew-alice"));
          server.advance(Duration.ofSeconds(19));
          server.wakeUps().runAll();
          c.roundTrip("not-yet");
          assertThat(server.warnings()).noneMatch(w -> w.startsWith("ew-alice"));
          server.advance(Duration.ofSeconds(1));
          server.wakeUps().runAll();
          awaitWarning(server, "ew-alice 10");
          c.ws.abort();
        }));
  }

  private static void awaitUnregistered(Server server, String subject) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!server.registry().bySubject(subject).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("still registered: " + subject);
      }
      Thread.sleep(10); // waits for the server to see the close, not for a token to expire
    }
  }

  private static void awaitWarning(Server server, String warning) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!server.warnings().contains(warning)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no warning " + warning + " in " + server.warnings());
      }
      Thread.sleep(10);
    }
  }
}
