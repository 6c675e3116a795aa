package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AuthDecisionTest {
  @Test
  void accepted_exposesIdentity() {
    Identity id = Identity.of("alice", Map.of(), TestClock.START);
    AuthDecision.Accepted d = new AuthDecision.Accepted(id, "chat");
    assertThat(d.isAccepted()).isTrue();
    assertThat(d.acceptedIdentity()).contains(id);
    assertThat(d.identity()).isSameAs(id);
    assertThat(d.subprotocol()).contains("chat");
    assertThat(new AuthDecision.Accepted(id, null).subprotocol()).isEmpty();
    AuthDecision.Accepted same = new AuthDecision.Accepted(id, "chat");
    assertThat(d).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(new AuthDecision.Accepted(id, null))
        .hasToString("Accepted[identity=" + id + ", subprotocol=Optional[chat]]");
    assertThatThrownBy(() -> new AuthDecision.Accepted(null, "chat")).isInstanceOf(NullPointerException.class);
  }

  @Test
  void rejected_validatesStatusAndCopiesChallenges() {
    List<String> challenges = new ArrayList<>(List.of("Bearer realm=\"x\""));
    AuthDecision.Rejected r = new AuthDecision.Rejected(401, challenges, "credentials required");
    challenges.clear();
    assertThat(r.challenges()).hasSize(1);
    assertThat(r.isAccepted()).isFalse();
    assertThat(r.acceptedIdentity()).isEmpty();
    assertThatThrownBy(() -> new AuthDecision.Rejected(200, List.of(), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AuthDecision.Rejected(600, List.of(), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void firstMessageResult_reasonIsAtMost123() {
    assertThatThrownBy(() -> new FirstMessageResult.Rejected(1008, "x".repeat(124)))
        .isInstanceOf(IllegalArgumentException.class);
    for (RejectionReason reason : RejectionReason.values()) {
      assertThat(reason.description().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSizeLessThan(124);
    }
  }
  @Test
  void firstMessageResult_reasonIsCountedInBytesOfUtf8() {
    assertThat(new FirstMessageResult.Rejected(1008, "x".repeat(123)).reason()).hasSize(123);
    assertThat(new FirstMessageResult.Rejected(1008, "\u00e9".repeat(61) + "x").reason()).hasSize(62); // 123 bytes
    assertThatThrownBy(() -> new FirstMessageResult.Rejected(1008, "\u00e9".repeat(62))) // 62 chars, 124 bytes
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a close reason is at most 123 bytes of UTF-8");
    assertThatThrownBy(() -> new FirstMessageResult.Rejected(1008, "\ud83d\ude00".repeat(31))) // 62 chars, 124 bytes
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new FirstMessageResult.Rejected(1008, "\ud83d\ude00".repeat(30) + "abc").reason()).hasSize(63);
  }

  @Test
  void firstMessageResult_closeCodeIsOneAServerMaySend() {
    for (int ok : new int[] {1000, 1003, 1007, 1008, 1011, 1014, 3000, 4999}) {
      assertThat(new FirstMessageResult.Rejected(ok, "r").closeCode()).isEqualTo(ok);
    }
    for (int bad : new int[] {0, 999, 1004, 1005, 1006, 1015, 2999, 5000, -1008}) {
      assertThatThrownBy(() -> new FirstMessageResult.Rejected(bad, "r")).as("%d", bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessage("not a close code a server may send: " + bad);
    }
  }

  @Test
  void rejected_statusAtEachEndOfTheErrorRange() {
    assertThat(new AuthDecision.Rejected(400, List.of(), "x").status()).isEqualTo(400);
    assertThat(new AuthDecision.Rejected(599, List.of(), "x").status()).isEqualTo(599);
    assertThatThrownBy(() -> new AuthDecision.Rejected(399, List.of(), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void accepted_equalsAndHashCode_followIdentityAndSubprotocol() {
    Identity alice = Identity.of("alice", java.util.Map.of(), java.time.Instant.EPOCH);
    Identity bob = Identity.of("bob", java.util.Map.of(), java.time.Instant.EPOCH);
    AuthDecision.Accepted a = new AuthDecision.Accepted(alice, "chat");
    assertThat(a).isEqualTo(new AuthDecision.Accepted(alice, "chat")).hasSameHashCodeAs(new AuthDecision.Accepted(
        alice, "chat"));
    assertThat(java.util.stream.Stream.of(a, new AuthDecision.Accepted(alice, null),
        new AuthDecision.Accepted(alice, "other"), new AuthDecision.Accepted(bob, "chat")).map(Object::hashCode)
        .distinct()).hasSize(4);
  }
}
