package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.CredentialSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The decision counter: tags from the event, only core's plain reasons as tag values, never the subject. */
class MicrometerAuthListenerTest {
  @Test
  void eachDecisionIsCountedWithItsTags_andTheSubjectIsNoTag() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MicrometerAuthListener listener = new MicrometerAuthListener(meters);
    listener.onAccepted(new AuthEvent(AuthEvent.Stage.HANDSHAKE, true, CredentialSource.AUTHORIZATION_BEARER,
        "alice", "accepted", 101, null));
    listener.onRejected(new AuthEvent(AuthEvent.Stage.FIRST_MESSAGE, false, null, null, "invalid token", 1008,
        null));
    listener.onRejected(new AuthEvent(AuthEvent.Stage.HANDSHAKE, false, CredentialSource.QUERY_PARAMETER, null,
        "Invalid: \"x\"", 401, null));
    assertThat(meters.find(MicrometerAuthListener.DECISIONS).tags("stage", "handshake", "outcome", "accepted",
        "reason", "accepted", "source", "authorization_bearer", "code", "101").counter().count()).isEqualTo(1);
    assertThat(meters.find(MicrometerAuthListener.DECISIONS).tags("stage", "first_message", "outcome", "rejected",
        "reason", "invalid token", "source", "none", "code", "1008").counter().count()).isEqualTo(1);
    assertThat(meters.find(MicrometerAuthListener.DECISIONS).tags("reason", "other", "source", "query_parameter")
        .counter().count()).isEqualTo(1);
    assertThat(meters.getMeters().toString()).doesNotContain("alice");
    assertThat(listener).hasToString("MicrometerAuthListener[wsauth.auth.decisions]");
  }

  @Test
  void aNullRegistry_isRefused_andAMissingOneCountsNothing() {
    assertThatThrownBy(() -> new MicrometerAuthListener((io.micrometer.core.instrument.MeterRegistry) null))
        .isInstanceOf(NullPointerException.class).hasMessage("registry must not be null");
    new MicrometerAuthListener(() -> null).onAccepted(new AuthEvent(AuthEvent.Stage.HANDSHAKE, true, null, "bo",
        "accepted", 101, null)); // no registry yet: nothing to count, no failure
  }
}
