package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.wsauth.CredentialSource;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.TestClock;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.scenarios.SwitchableTokenStore;
import io.github.wsauth.store.TokenStore;
import org.junit.jupiter.api.Test;

class LiveSessionTest {
  private final TestClock clock = TestClock.atStart();
  private final SwitchableTokenStore store = new SwitchableTokenStore(TokenStore.inMemory(clock));
  private final TokenPolicy policy = TokenPolicy.builder().singleUse().lifetime(Duration.ofSeconds(30)).build();
  private final TokenIssuer issuer = TokenIssuer.opaque(store, policy, clock);
  private final TokenVerifier verifier = TokenVerifier.opaque(store, policy);
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private final Scheduler scheduler = new Scheduler();
  private final Conn conn = new Conn();

  /** Records wake-ups; the test runs the live ones by hand. */
  static final class Scheduler implements TaskScheduler {
    final List<Runnable> live = new ArrayList<>();
    final List<Runnable> all = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();

    @Override
    public TaskScheduler.Cancellable schedule(Runnable task, Duration delay) {
      all.add(task);
      delays.add(delay);
      Runnable[] self = new Runnable[1];
      self[0] = task;
      live.add(task);
      return () -> live.remove(self[0]);
    }

    void runAll() {
      for (Runnable r : List.copyOf(live)) {
        live.remove(r);
        r.run();
      }
    }
  }

  static final class Conn implements LiveSession.Connection {
    final List<String> events = new ArrayList<>();
    boolean open = true;

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close(int code, String reason) {
      events.add("close " + code + " " + reason);
      open = false;
    }

    @Override
    public void expiresSoon(Identity identity, Duration remaining) {
      events.add("warn " + remaining.toSeconds());
    }
  }

  private Identity accepted(String subject) {
    return ((Verification.Verified) verifier.verify(issuer.issue(subject).value())).identity()
        .withSource(CredentialSource.FIRST_MESSAGE);
  }

  private LiveSession start(ConnectionLifetime lifetime, Identity identity) {
    return LiveSession.start(identity, new LiveSession.Settings(lifetime, verifier, clock, true, 1008, scheduler),
        conn);
  }

  private ConnectionLifetime.Builder lifetime() {
    return ConnectionLifetime.builder().registry(registry);
  }

  @Test
  void reauthenticate_sameSubject_movesExpiry_reindexes_andConsumesTheToken() {
    Identity first = accepted("alice");
    LiveSession session = start(lifetime().build(), first);
    clock.advance(Duration.ofSeconds(20));
    String fresh = issuer.issue("alice").value();

    Identity next = session.reauthenticate(fresh).orElseThrow();

    assertThat(next.expiresAt()).isAfter(first.expiresAt());
    assertThat(next.source()).contains(CredentialSource.FIRST_MESSAGE);
    assertThat(registry.byTokenId(first.tokenId().orElseThrow())).isEmpty();
    assertThat(registry.byTokenId(next.tokenId().orElseThrow())).hasSize(1);
    assertThat(store.isUnused(fresh)).as("single-use: consumed").isFalse();
    clock.advance(Duration.ofSeconds(15)); // past the first token's expiry
    scheduler.runAll();
    assertThat(conn.events).as("the expiry close moved to the new token's").isEmpty();
    clock.advance(Duration.ofSeconds(16));
    scheduler.runAll();
    assertThat(conn.events).containsExactly("close 1008 authentication expired");
  }

  @Test
  void reauthenticate_anotherSubject_closesWithTheRejectedCode() {
    LiveSession session = start(lifetime().build(), accepted("alice"));
    assertThat(session.reauthenticate(issuer.issue("bob").value())).isEmpty();
    assertThat(conn.events).containsExactly("close 1008 re-authentication subject mismatch");
    assertThat(registry.size()).isZero();
  }

  @Test
  void reauthenticate_replayedToken_closesWithTheVerifiersReason() {
    LiveSession session = start(lifetime().build(), accepted("alice"));
    String fresh = issuer.issue("alice").value();
    verifier.verify(fresh); // used elsewhere first
    assertThat(session.reauthenticate(fresh)).isEmpty();
    assertThat(conn.events).containsExactly("close 1008 token already used");
  }

  @Test
  void reauthenticate_invalidToken_closesAsMalformed_withAConfiguredCode() {
    LiveSession session = start(lifetime().rejectedCloseCode(4401).build(), accepted("alice"));
    assertThat(session.reauthenticate("not a token")).isEmpty();
    assertThat(conn.events).containsExactly("close 4401 malformed authentication message");
  }

  @Test
  void reauthenticate_unknownToken_closesWithTheVerifiersReason() {
    LiveSession session = start(lifetime().build(), accepted("alice"));
    assertThat(session.reauthenticate("A".repeat(43))).isEmpty();
    assertThat(conn.events).containsExactly("close 1008 unknown token");
  }

  @Test
  void reauthenticate_storeDown_closes1011_consumesNothing() {
    LiveSession session = start(lifetime().build(), accepted("alice"));
    String fresh = issuer.issue("alice").value();
    store.down(true);
    assertThat(session.reauthenticate(fresh)).isEmpty();
    store.down(false);
    assertThat(conn.events).containsExactly("close 1011 authentication temporarily unavailable");
    assertThat(store.isUnused(fresh)).isTrue();
  }

  @Test
  void reauthenticate_withoutAVerifier_closesNotConfigured() {
    LiveSession session = LiveSession.start(accepted("alice"),
        new LiveSession.Settings(lifetime().build(), null, clock, false, 1008, scheduler), conn);
    assertThat(session.reauthenticate(issuer.issue("alice").value())).isEmpty();
    assertThat(conn.events).containsExactly("close 1008 re-authentication not supported");
  }

  @Test
  void registry_registersOnStart_unregistersOnClose() {
    LiveSession session = start(lifetime().build(), accepted("alice"));
    assertThat(registry.bySubject("alice")).hasSize(1);
    session.closed();
    session.closed();
    assertThat(registry.size()).isZero();
    assertThat(scheduler.live).as("timers cancelled").isEmpty();
  }

  @Test
  void expiryWarning_firesWhenTheClockReachesItsTime_notBefore_andMovesOnReauthentication() {
    LiveSession session = start(lifetime().expiryWarning(Duration.ofSeconds(10)).build(), accepted("alice"));
    clock.advance(Duration.ofSeconds(19));
    scheduler.runAll();
    assertThat(conn.events).as("an early wake-up re-arms").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    scheduler.runAll();
    assertThat(conn.events).containsExactly("warn 10");
    session.reauthenticate(issuer.issue("alice").value()); // expires at 50 s, warning at 40 s
    clock.advance(Duration.ofSeconds(19));
    scheduler.runAll();
    assertThat(conn.events).containsExactly("warn 10");
    clock.advance(Duration.ofSeconds(1));
    scheduler.runAll();
    assertThat(conn.events).containsExactly("warn 10", "warn 10");
  }

  /** A JSON first-message authenticator with a 64-byte cap (the smallest). */
  private final FirstMessageAuthenticator first = FirstMessageAuthenticator.builder().verifier(verifier)
      .format(FirstMessageAuthenticator.Format.JSON).maxMessageBytes(64).build();

  private boolean offer(LiveSession session, String text) {
    return session.offerInBand(LiveSession.TextMessage.of(text), first);
  }

  @Test
  void inBandToken_onlyAnObjectWithExactlyOneStringTokenMember() {
    assertThat(LiveSession.inBandToken("{\"token\":\"abc\"}")).contains("abc");
    assertThat(LiveSession.inBandToken(" {\"token\" : \"abc\"} ")).contains("abc");
    assertThat(LiveSession.inBandToken("{\"token\":\"abc\",\"x\":1}")).as("an application message").isEmpty();
    assertThat(LiveSession.inBandToken("{\"token\":1}")).isEmpty();
    assertThat(LiveSession.inBandToken("{\"token\":\"a\",\"token\":\"b\"}")).isEmpty();
    assertThat(LiveSession.inBandToken("hello token")).isEmpty();
  }

  @Test
  void reauthenticationAttempt_isAnObjectWhoseFirstMemberNameReadsToken() {
    for (String attempt : List.of("{\"token\"", " \t\r\n{ \n\"token\":1", "{\"\\u0074oken\"",
        "{\"\\u0074\\u006F\\u006b\\u0065\\u006e\":\"x\"}", "{\"token\",\"x\":1}")) {
      assertThat(LiveSession.isReauthenticationAttempt(LiveSession.TextMessage.of(attempt))).as(attempt).isTrue();
    }
    for (String other : List.of("", "   ", "{", "{\"", "{\"toke\"", "{\"tokens\"", "{\"Token\"",
        "{\"x\":1,\"token\":\"a\"}", "[\"token\"]", "\"token\"", "hello token", "\uFEFF{\"token\"", "\u00A0{\"token\"",
        "{\"\\u0074oke\\n\"",
        "{\"\\u007\"", "{\"\\u00\uFF174oken\"", "{\"\\x74oken\"", "{\"tok\\u0065\"",
        // one thing wrong each: no opening quote; an escape that is not backslash-u; a digit that is not hex
        "{xtoken\"", "{\"\\x0074oken\"", "{\"t\\u007gken\"")) {
      assertThat(LiveSession.isReauthenticationAttempt(LiveSession.TextMessage.of(other))).as(other).isFalse();
    }
  }

  @Test
  void offerInBand_theLargestTokenMessageIsVerified_oneByteMoreCloses1009_andIsNotTheApplications() {
    LiveSession session = start(lifetime().build(), accepted("alice"));
    Identity before = session.identity();
    clock.advance(Duration.ofSeconds(10));
    String token = issuer.issue("alice").value();
    String message = "{\"token\":\"" + token + "\"}";
    String atCap = message + " ".repeat(64 - message.length());

    assertThat(offer(session, atCap)).as("at the cap: wsauth's").isTrue();
    assertThat(session.identity().expiresAt()).isEqualTo(before.expiresAt().plusSeconds(10));
    assertThat(conn.events).isEmpty();

    assertThat(offer(session, atCap + " ")).as("one byte over: still wsauth's, refused").isTrue();
    assertThat(conn.events).containsExactly("close 1009 authentication message too big");
    assertThat(registry.size()).isZero();
  }

  @Test
  void offerInBand_theCapCountsUtf8Bytes_notChars() {
    LiveSession session = start(lifetime().build(), accepted("alice"));
    String attempt = "{\"token\":\"abc\",\"pad\":\"" + "\u00e9".repeat(20) + "\"}"; // 43 chars, 63 bytes
    assertThat(attempt.length()).isLessThan(64);
    assertThat(offer(session, attempt)).as("within the cap, more than one member: the application's").isFalse();
    assertThat(conn.events).isEmpty();
    assertThat(offer(session, attempt.replace("\"}", "\u00e9\"}"))).as("65 bytes in 44 chars").isTrue();
    assertThat(conn.events).containsExactly("close 1009 authentication message too big");
  }

  @Test
  void offerInBand_aTokenMessageOverTheCap_closesWithTheAuthenticatorsTooBigCode() {
    FirstMessageAuthenticator custom = FirstMessageAuthenticator.builder().verifier(verifier)
        .format(FirstMessageAuthenticator.Format.JSON).maxMessageBytes(64).tooBigCloseCode(4009).build();
    LiveSession session = start(lifetime().build(), accepted("alice"));
    String big = "{\"token\":\"" + "A".repeat(100) + "\"}";
    assertThat(session.offerInBand(LiveSession.TextMessage.of(big), custom)).isTrue();
    assertThat(conn.events).containsExactly("close 4009 authentication message too big");
  }

  @Test
  void offerInBand_otherMessages_areTheApplications_whateverTheirSize() {
    LiveSession session = start(lifetime().build(), accepted("alice"));
    String token = issuer.issue("alice").value();
    for (String other : List.of("hello", "{\"chat\":\"" + "x".repeat(1 << 20) + "\"}",
        "{\"chat\":1,\"token\":\"" + token + "\"}" + " ".repeat(1000), " ".repeat(100_000),
        "{\"token\":\"" + token + "\",\"x\":1}", "{\"token\":1}")) {
      assertThat(offer(session, other)).isFalse();
    }
    assertThat(conn.events).isEmpty();
    assertThat(store.isUnused(token)).as("never verified").isTrue();
    LiveSession off = start(lifetime().inBandMessages(false).build(), accepted("alice"));
    assertThat(offer(off, "{\"token\":\"" + token + "\"}")).as("in-band messages off").isFalse();
    assertThat(offer(off, "{\"token\":\"" + "A".repeat(100) + "\"}")).isFalse();
    assertThat(conn.events).isEmpty();
  }

  @Test
  void reauthenticate_withoutARegistry_stillMovesExpiry() {
    LiveSession session = start(ConnectionLifetime.builder().build(), accepted("alice"));
    assertThat(session.reauthenticate(issuer.issue("alice").value())).isPresent();
    assertThat(registry.size()).isZero();
    assertThat(session.identity().subject()).isEqualTo("alice");
    assertThat(Map.of()).isEmpty();
  }

  @Test
  void startIn_keepsTheSessionInTheConnectionsAttributes_underOneKey_andInFindsIt() {
    Map<String, Object> attributes = new HashMap<>();
    assertThat(LiveSession.in(attributes)).isEmpty();

    LiveSession live = LiveSession.startIn(attributes, accepted("alice"),
        new LiveSession.Settings(lifetime().build(), verifier, clock, true, 1008, scheduler), conn);

    assertThat(attributes).containsOnlyKeys("io.github.wsauth.lifetime");
    assertThat(LiveSession.in(attributes)).containsSame(live);
    assertThat(registry.bySubject("alice")).as("started, not only stored").hasSize(1);
    attributes.put(LiveSession.ATTRIBUTE, "something else");
    assertThat(LiveSession.in(attributes)).isEmpty();
  }

  @Test
  void reauthenticate_afterClose_verifiesNothing_closesNothing() {
    LiveSession session = start(lifetime().build(), accepted("alice"));
    session.closed();
    String fresh = issuer.issue("alice").value();
    assertThat(session.reauthenticate(fresh)).isEmpty();
    assertThat(store.isUnused(fresh)).as("not consumed by a closed connection").isTrue();
    assertThat(session.reauthenticate("not a token")).isEmpty();
    assertThat(conn.events).as("closed already: no second close").isEmpty();
  }

  @Test
  void reauthenticate_closedWhileVerifying_adoptsNothing_armsNothing() {
    LiveSession[] session = new LiveSession[1];
    TokenVerifier closing = token -> {
      session[0].closed(); // the connection goes away while the store is asked
      return verifier.verify(token);
    };
    Identity first = accepted("alice");
    session[0] = LiveSession.start(first, new LiveSession.Settings(
        lifetime().expiryWarning(Duration.ofSeconds(10)).build(), closing, clock, true, 1008, scheduler), conn);
    assertThat(session[0].reauthenticate(issuer.issue("alice").value())).isEmpty();
    assertThat(session[0].identity()).isSameAs(first);
    assertThat(scheduler.live).as("no timer re-armed after the close").isEmpty();
    assertThat(conn.events).isEmpty();
  }

  @Test
  void refusal_unregisters_andStopsTheTimers() {
    LiveSession session = start(lifetime().expiryWarning(Duration.ofSeconds(10)).build(), accepted("alice"));
    assertThat(scheduler.live).hasSize(2);
    assertThat(session.reauthenticate("not a token")).isEmpty();
    assertThat(conn.events).containsExactly("close 1008 malformed authentication message");
    assertThat(registry.size()).isZero();
    assertThat(scheduler.live).isEmpty();
  }

  @Test
  void closed_cancelsTheWarningToo() {
    LiveSession session = start(lifetime().expiryWarning(Duration.ofSeconds(10)).build(), accepted("alice"));
    assertThat(scheduler.live).hasSize(2);
    session.closed();
    assertThat(scheduler.live).isEmpty();
  }

  @Test
  void warning_alreadyDue_isScheduledNow_notInThePast() {
    start(lifetime().expiryWarning(Duration.ofSeconds(60)).build(), accepted("alice")); // expires in 30 s
    assertThat(scheduler.delays).containsExactly(Duration.ofSeconds(30).plusMillis(1), Duration.ZERO);
  }

  @Test
  void warning_pastTheExpiry_saysZeroRemaining() {
    LiveSession.start(accepted("alice"), new LiveSession.Settings(
        lifetime().expiryWarning(Duration.ofSeconds(10)).build(), verifier, clock, false, 1008, scheduler), conn);
    clock.advance(Duration.ofSeconds(35));
    scheduler.runAll();
    assertThat(conn.events).containsExactly("warn 0");
  }

  @Test
  void warning_ofAReplacedIdentity_ofAClosedSession_orAClosedConnection_isNotGiven() {
    LiveSession replaced = start(lifetime().expiryWarning(Duration.ofSeconds(10)).build(), accepted("alice"));
    Runnable oldWarning = scheduler.all.get(1);
    replaced.reauthenticate(issuer.issue("alice").value());
    clock.advance(Duration.ofSeconds(25));
    oldWarning.run(); // a wake-up that was already running when the identity changed
    assertThat(conn.events).isEmpty();

    LiveSession closed = start(lifetime().expiryWarning(Duration.ofSeconds(10)).build(), accepted("alice"));
    Runnable closedWarning = scheduler.all.get(scheduler.all.size() - 1);
    closed.closed();
    clock.advance(Duration.ofSeconds(25));
    closedWarning.run();
    assertThat(conn.events).isEmpty();

    start(lifetime().expiryWarning(Duration.ofSeconds(10)).build(), accepted("alice"));
    Runnable goneWarning = scheduler.all.get(scheduler.all.size() - 1);
    conn.open = false;
    clock.advance(Duration.ofSeconds(25));
    goneWarning.run();
    assertThat(conn.events).isEmpty();
  }

  @Test
  void reauthenticate_aTokenOfTheCredentialLimit_isVerified_oneLonger_isMalformed() {
    LiveSession session = start(lifetime().build(), accepted("alice"));
    assertThat(session.reauthenticate("A".repeat(io.github.wsauth.CredentialExtractor.MAX_CREDENTIAL_LENGTH)))
        .isEmpty();
    assertThat(conn.events).as("the verifier's reason: the session's own length check let it through")
        .containsExactly("close 1008 malformed token");
    LiveSession other = start(lifetime().build(), accepted("alice"));
    assertThat(other.reauthenticate("A".repeat(io.github.wsauth.CredentialExtractor.MAX_CREDENTIAL_LENGTH + 1)))
        .isEmpty();
    assertThat(conn.events).containsExactly("close 1008 malformed token",
        "close 1008 malformed authentication message");
  }

  @Test
  void toString_showsTheIdentityAndState_notTheSubject() {
    LiveSession session = start(lifetime().build(), accepted("alice"));
    assertThat(session.toString()).startsWith("LiveSession[Identity[").endsWith(", closed=false]")
        .doesNotContain("alice");
    session.closed();
    assertThat(session.toString()).endsWith(", closed=true]");
  }
}
