package io.github.wsauth.spring;

import java.util.Locale;
import java.util.function.Supplier;

import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Times a verifier: {@value MicrometerAuthListener#VERIFICATION} with the tags {@code outcome} ({@code verified},
 * {@code rejected}, {@code error}) and {@code reason} (the rejection reason's name, or {@code none}).
 */
final class TimedTokenVerifier implements TokenVerifier {
  private final TokenVerifier delegate;
  private final Supplier<MeterRegistry> registry;

  TimedTokenVerifier(TokenVerifier delegate, Supplier<MeterRegistry> registry) {
    this.delegate = delegate;
    this.registry = registry;
  }

  @Override
  public Verification verify(String token) {
    MeterRegistry r = registry.get();
    if (r == null) {
      return delegate.verify(token);
    }
    Timer.Sample sample = Timer.start(r);
    String outcome = "error";
    String reason = "none";
    try {
      Verification v = delegate.verify(token);
      if (v instanceof Verification.Rejected rejected) {
        outcome = "rejected";
        reason = rejected.reason().name().toLowerCase(Locale.ROOT);
      } else {
        outcome = "verified";
      }
      return v;
    } finally {
      sample.stop(r.timer(MicrometerAuthListener.VERIFICATION, "outcome", outcome, "reason", reason));
    }
  }

  @Override
  public String toString() {
    return "TimedTokenVerifier[" + delegate + "]";
  }
}
