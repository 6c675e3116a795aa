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
}
