package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.store.TokenStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** The timer around the verifier: outcome and core's reason as tags, nothing timed without a registry. */
class TimedTokenVerifierTest {
  private final TokenStore store = TokenStore.inMemory(Clock.systemUTC());
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), Clock.systemUTC());
  private final TokenVerifier verifier = TokenVerifier.opaque(store, TokenPolicy.defaults());

  @Test
  void withoutARegistry_theVerifiersAnswerIsReturned() {
    TimedTokenVerifier timed = new TimedTokenVerifier(verifier, () -> null);
    assertThat(timed.verify(issuer.issue("ann").value())).isInstanceOf(Verification.Verified.class);
    assertThat(timed.verify("unknown-token")).isInstanceOf(Verification.Rejected.class);
  }

  @Test
  void withARegistry_eachOutcomeIsTimedWithItsReason_andTheTokenIsNoTag() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    TimedTokenVerifier timed = new TimedTokenVerifier(verifier, () -> meters);
    String token = issuer.issue("bo").value();
    assertThat(timed.verify(token)).isInstanceOf(Verification.Verified.class);
    Verification again = timed.verify(token);
    assertThat(again).isInstanceOf(Verification.Rejected.class);
    assertThat(meters.find(MicrometerAuthListener.VERIFICATION).tags("outcome", "verified", "reason", "none")
        .timer().count()).isEqualTo(1);
    String reason = ((Verification.Rejected) again).reason().name().toLowerCase(java.util.Locale.ROOT);
    assertThat(meters.find(MicrometerAuthListener.VERIFICATION).tags("outcome", "rejected", "reason", reason)
        .timer().count()).isEqualTo(1);
    assertThat(meters.getMeters().toString()).doesNotContain(token);
    assertThat(timed).hasToString("TimedTokenVerifier[" + verifier + "]");
  }
}
