package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;

class FirstMessageSessionTest {
  private static final String GOOD = "good-token";
  private static final String DOWN = "store-down-token";

  /** Runs during verification, to model what another thread does meanwhile. */
  private Consumer<String> duringVerification = t -> { };
  private final List<String> verified = new ArrayList<>();
  private final TokenVerifier verifier = token -> {
    verified.add(token);
    duringVerification.accept(token);
    if (token.equals(DOWN)) {
      throw new IllegalStateException("simulated store outage");
    }
    return token.equals(GOOD)
        ? Verification.verified(Identity.of("alice", Map.of(), Instant.parse("2030-01-01T00:00:00Z")))
        : Verification.rejected(RejectionReason.UNKNOWN);
  };
  private final Recorder actions = new Recorder();
  private final FakeTimer timer = new FakeTimer(actions.log);

  private FirstMessageSession<String> session(int maxBytes) {
    FirstMessageAuthenticator auth = FirstMessageAuthenticator.builder().verifier(verifier)
        .deadline(Duration.ofSeconds(3)).maxMessageBytes(maxBytes).build();
    return new FirstMessageSession<>(auth, timer, actions);
  }

  private FirstMessageSession<String> started() {
    FirstMessageSession<String> s = session(64);
    s.start();
    return s;
  }

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void validToken_acceptsAndDiscardsTheCredential() {
    FirstMessageSession<String> s = started();
    s.textFrame("m1", utf8(GOOD), true);
    assertThat(actions.log).containsExactly("discard m1", "cancel deadline", "accept alice");
    assertThat(s.isAccepted()).isTrue();
    s.textFrame("m2", utf8("hello"), true);
    assertThat(actions.log).endsWith("deliver m2");
  }

  @Test
  void unknownToken_closes1008WithTheRejectionReason() {
    FirstMessageSession<String> s = started();
    s.textFrame("m1", utf8("unused-but-unknown"), true);
    assertThat(actions.log).containsExactly("discard m1", "cancel deadline",
        "close 1008 " + RejectionReason.UNKNOWN.description());
  }

  @Test
  void binaryFirst_closes1008NotText() {
    FirstMessageSession<String> s = started();
    s.binaryFrame("b1");
    assertThat(actions.log).containsExactly("discard b1", "cancel deadline",
        "close 1008 authentication message must be text");
    assertThat(verified).isEmpty();
  }

  @Test
  void continuationWithoutStart_closes1008NotText() {
    FirstMessageSession<String> s = started();
    s.continuationFrame("c1", utf8(GOOD), true);
    assertThat(actions.log).endsWith("close 1008 authentication message must be text");
    assertThat(verified).isEmpty();
  }

  @Test
  void fragmentedText_isAssembledAndAccepted() {
    FirstMessageSession<String> s = started();
    s.textFrame("f1", utf8(GOOD.substring(0, 4)), false);
    s.controlFrame("ping");
    s.continuationFrame("f2", utf8(GOOD.substring(4, 7)), false);
    s.continuationFrame("f3", utf8(GOOD.substring(7)), true);
    assertThat(verified).containsExactly(GOOD);
    assertThat(actions.log).containsExactly("discard f1", "discard ping", "discard f2", "discard f3",
        "cancel deadline", "accept alice");
  }

  @Test
  void decodedParts_areAssembledAndAccepted() {
    FirstMessageSession<String> s = started();
    s.textPart(null, GOOD.substring(0, 5), false);
    s.textPart(null, GOOD.substring(5), true);
    assertThat(verified).containsExactly(GOOD);
    assertThat(actions.log).containsExactly("cancel deadline", "accept alice");
  }

  @Test
  void oversize_singleFrame_closes1009BeforeVerifying() {
    FirstMessageSession<String> s = started();
    s.textFrame("m1", utf8("a".repeat(65)), true);
    assertThat(actions.log).endsWith("close 1009 authentication message too big");
    assertThat(verified).isEmpty();
  }

  @Test
  void oversize_isCountedOverFragments_andClosesAsSoonAsTheSumPassesTheCap() {
    FirstMessageSession<String> s = started();
    s.textFrame("f1", utf8("a".repeat(64)), false); // exactly the cap: fine so far
    assertThat(actions.log).containsExactly("discard f1");
    s.continuationFrame("f2", utf8("a"), false);
    assertThat(actions.log).endsWith("close 1009 authentication message too big");
    s.continuationFrame("f3", utf8("a"), true);
    assertThat(actions.log).endsWith("discard f3");
    assertThat(verified).isEmpty();
  }

  @Test
  void oversize_decodedParts_countUtf8Bytes_notChars() {
    FirstMessageSession<String> s = started();
    s.textPart(null, "é".repeat(32), false); // 64 bytes
    assertThat(actions.log).isEmpty();
    s.textPart(null, "\uD83D", false); // half a pair: counted with its other half as 4 bytes
    assertThat(actions.log).endsWith("close 1009 authentication message too big");
  }

  @Test
  void surrogatePairSplitOverParts_countsFourBytes() {
    FirstMessageSession<String> s = started();
    s.textPart(null, "a".repeat(60) + "\uD83D", false);
    s.textPart(null, "\uDE00", true); // 64 bytes in all: at the cap, then verified (and rejected as malformed)
    assertThat(actions.log).doesNotContain("close 1009 authentication message too big");
  }

  @Test
  void deadline_startsAtStart_andClosesWith1008Timeout() {
    FirstMessageSession<String> s = session(64);
    assertThat(timer.scheduled).isEmpty();
    s.start();
    assertThat(timer.scheduled).containsExactly(Duration.ofSeconds(3));
    s.controlFrame("ping"); // does not extend it
    timer.fire();
    assertThat(actions.log).containsExactly("discard ping", "cancel deadline", "close 1008 authentication timeout");
    s.textFrame("late", utf8(GOOD), true);
    assertThat(actions.log).endsWith("discard late");
    assertThat(verified).as("a late credential is never verified").isEmpty();
  }

  @Test
  void deadlineDuringVerification_wins_andTheLaterAcceptanceIsIgnored() {
    FirstMessageSession<String> s = started();
    duringVerification = t -> s.deadlineReached();
    s.textFrame("m1", utf8(GOOD), true);
    assertThat(actions.log).containsExactly("discard m1", "cancel deadline", "close 1008 authentication timeout");
    assertThat(s.isAccepted()).isFalse();
  }

  @Test
  void storeDown_closes1011() {
    FirstMessageSession<String> s = started();
    s.textFrame("m1", utf8(DOWN), true);
    assertThat(actions.log).endsWith("close 1011 authentication temporarily unavailable");
  }

  @Test
  void messagesDuringVerification_areHeldAndDeliveredInOrderAfterAcceptance() {
    FirstMessageSession<String> s = started();
    duringVerification = t -> {
      s.textFrame("m2", utf8("one"), true);
      s.binaryFrame("m3");
    };
    s.textFrame("m1", utf8(GOOD), true);
    assertThat(actions.log).containsExactly("discard m1", "cancel deadline", "accept alice", "deliver m2",
        "deliver m3");
  }

  @Test
  void messagesDuringVerification_areDiscardedOnRefusal() {
    FirstMessageSession<String> s = started();
    duringVerification = t -> s.textFrame("m2", utf8("one"), true);
    s.textFrame("m1", utf8("unknown-token"), true);
    assertThat(actions.log).containsExactly("discard m1", "cancel deadline", "discard m2",
        "close 1008 " + RejectionReason.UNKNOWN.description());
  }

  @Test
  void pipelinedBeforeStart_areHeld_thenTheFirstIsTheCredentialAndTheRestReachTheApp() {
    FirstMessageSession<String> s = session(64);
    s.textFrame("m1", utf8(GOOD), true);
    s.textFrame("m2", utf8("after"), true);
    assertThat(actions.log).isEmpty();
    assertThat(verified).as("nothing verified before the handshake is complete").isEmpty();
    s.start();
    assertThat(actions.log).containsExactly("discard m1", "cancel deadline", "accept alice", "deliver m2");
  }

  @Test
  void pipelinedBeforeStart_tooMany_closes1008() {
    FirstMessageSession<String> s = session(64);
    for (int i = 0; i < FirstMessageSession.MAX_HELD; i++) {
      s.controlFrame("p" + i);
    }
    assertThat(actions.log).isEmpty();
    s.controlFrame("one-too-many");
    assertThat(actions.log).startsWith("discard one-too-many").endsWith(
        "close 1008 " + FirstMessageSession.TOO_MANY_HELD);
    assertThat(actions.log).hasSize(FirstMessageSession.MAX_HELD + 2);
  }

  @Test
  void peerClose_beforeAuthentication_aborts() {
    FirstMessageSession<String> s = started();
    s.textFrame("f1", utf8("abc"), false);
    s.peerClosed();
    assertThat(actions.log).containsExactly("discard f1", "cancel deadline", "abort");
  }

  @Test
  void connectionClosed_whileAwaiting_cancelsTheDeadline_andDecidesNothing() {
    // The adapters keep no deadline handle of their own: the session cancels it when the connection goes away.
    FirstMessageSession<String> s = started();
    s.textFrame("f1", utf8("abc"), false);
    s.connectionClosed();
    assertThat(actions.log).containsExactly("discard f1", "cancel deadline");
    s.connectionClosed();
    assertThat(actions.log).as("once").hasSize(2);
  }

  @Test
  void connectionClosed_beforeStart_discardsHeldAndNeverSchedules() {
    FirstMessageSession<String> s = session(64);
    s.textFrame("m1", utf8(GOOD), true);
    s.connectionClosed();
    s.start();
    assertThat(actions.log).containsExactly("discard m1");
    assertThat(timer.scheduled).isEmpty();
    assertThat(verified).isEmpty();
  }

  @Test
  void unreadable_closes1008NotText_orAbortsWhenNoFrameCanBeWritten() {
    FirstMessageSession<String> a = started();
    a.unreadable("raw", true);
    assertThat(actions.log).containsExactly("discard raw", "cancel deadline",
        "close 1008 authentication message must be text");
    actions.log.clear();
    FirstMessageSession<String> b = session(64);
    b.unreadable(null, false);
    assertThat(actions.log).containsExactly("abort");
  }

  @Test
  void connectionClosedWhileTheDeadlineIsBeingScheduled_cancelsIt() {
    FirstMessageSession<String> s = session(64);
    timer.duringSchedule = s::connectionClosed;
    s.start();
    assertThat(actions.log).containsExactly("cancel deadline");
    assertThat(s.isClosed()).isTrue();
  }

  @Test
  void pingAndPeerCloseBeforeStart_areReplayedInOrder() {
    FirstMessageSession<String> s = session(64);
    s.controlFrame("ping");
    s.peerClosed();
    s.start();
    assertThat(actions.log).containsExactly("discard ping", "cancel deadline", "abort");
    assertThat(s.isClosed()).isTrue();
  }

  @Test
  void afterAcceptance_pingsReachTheApplication() {
    FirstMessageSession<String> s = started();
    s.textFrame("m1", utf8(GOOD), true);
    s.controlFrame("ping");
    assertThat(actions.log).endsWith("accept alice", "deliver ping");
    assertThat(s.isClosed()).isFalse();
  }

  @Test
  void peerCloseDuringVerification_abortsAfterAcceptance_andReleasesWhatCameAfter() {
    FirstMessageSession<String> s = started();
    duringVerification = t -> {
      s.textFrame("m2", utf8("before the close"), true);
      s.peerClosed();
      s.textFrame("m3", utf8("after the close"), true);
      s.peerClosed();
    };
    s.textFrame("m1", utf8(GOOD), true);
    assertThat(actions.log).containsExactly("discard m1", "cancel deadline", "accept alice", "deliver m2", "abort",
        "discard m3");
  }

  @Test
  void aDeadlineTaskRunningAfterTheDecision_changesNothing() {
    FirstMessageSession<String> accepted = started();
    accepted.textFrame("m1", utf8(GOOD), true);
    actions.log.clear();
    timer.lastScheduled.run();
    assertThat(actions.log).isEmpty();
    assertThat(accepted.isAccepted()).isTrue();

    FirstMessageSession<String> closed = started();
    closed.connectionClosed();
    actions.log.clear();
    timer.lastScheduled.run();
    assertThat(actions.log).isEmpty();
  }

  @Test
  void unreadable_withoutACloseFrame_whileAwaiting_cancelsTheDeadline_andAborts() {
    FirstMessageSession<String> s = started();
    s.textFrame("f1", utf8("abc"), false);
    s.unreadable(null, false);
    assertThat(actions.log).containsExactly("discard f1", "cancel deadline", "abort");
    assertThat(s.isClosed()).isTrue();
    s.unreadable("late", true);
    assertThat(actions.log).endsWith("abort", "discard late");
  }

  @Test
  void decodedParts_countEachCharactersUtf8Length_atItsBoundaries() {
    assertPartsFit(64, "a".repeat(64));
    assertPartsFit(65, "a".repeat(65));
    assertPartsFit(64, "\u007f".repeat(64));
    assertPartsFit(66, "\u0080".repeat(33));
    assertPartsFit(64, "\u07ff".repeat(32));
    assertPartsFit(66, "\u0800".repeat(22));
    assertPartsFit(66, "\uDE00".repeat(22)); // a low surrogate alone: 3 bytes (the replacement character)
    assertPartsFit(65, "a".repeat(61) + "\uD83D", "\uDE00"); // a pair split over two parts: 4 bytes
  }

  private void assertPartsFit(int utf8Bytes, String... parts) {
    actions.log.clear();
    FirstMessageSession<String> s = started();
    for (String part : parts) {
      s.textPart(null, part, false);
    }
    if (utf8Bytes > 64) {
      assertThat(actions.log).as(utf8Bytes + " bytes").endsWith("close 1009 authentication message too big");
    } else {
      assertThat(actions.log).as(utf8Bytes + " bytes").isEmpty();
    }
  }

  /** A timer driven by hand: no sleeping. */
  static final class FakeTimer implements TaskScheduler {
    final List<Duration> scheduled = new ArrayList<>();
    private final List<String> log;
    private Runnable task;
    /** The last deadline task scheduled, kept after it is cancelled: a timer may run a task it was racing. */
    Runnable lastScheduled;
    /** Runs inside {@link #schedule}, to model what another thread does meanwhile. */
    Runnable duringSchedule = () -> { };

    FakeTimer(List<String> log) {
      this.log = log;
    }

    @Override
    public TaskScheduler.Cancellable schedule(Runnable task, Duration delay) {
      scheduled.add(delay);
      this.task = task;
      lastScheduled = task;
      duringSchedule.run();
      return () -> {
        this.task = null;
        log.add("cancel deadline");
      };
    }

    void fire() {
      Runnable t = task;
      assertThat(t).as("a deadline is pending").isNotNull();
      t.run();
    }
  }

  /** Records the actions in order. */
  static final class Recorder implements FirstMessageSession.Transport<String> {
    final List<String> log = new ArrayList<>();

    @Override
    public void accept(Identity identity) {
      log.add("accept " + identity.subject());
    }

    @Override
    public void deliver(String message) {
      log.add("deliver " + message);
    }

    @Override
    public void discard(String message) {
      log.add("discard " + message);
    }

    @Override
    public void close(int code, String reason) {
      log.add("close " + code + " " + reason);
    }

    @Override
    public void abort() {
      log.add("abort");
    }
  }
}
