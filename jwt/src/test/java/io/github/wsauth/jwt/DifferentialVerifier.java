package io.github.wsauth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A verifier for tests that asks both paths of a {@link JwtTokenVerifier} and fails unless the production answer
 * (lean path, deferring to Nimbus for the shapes it leaves to it) equals the Nimbus path's: the same identity, or
 * the same reason and detail. For reusable policies only (a single-use store would see each jti twice).
 */
final class DifferentialVerifier implements TokenVerifier {
  final JwtTokenVerifier verifier;
  final AtomicInteger decided = new AtomicInteger();
  final AtomicInteger deferred = new AtomicInteger();

  DifferentialVerifier(TokenVerifier verifier) {
    this.verifier = (JwtTokenVerifier) verifier;
  }

  @Override
  public Verification verify(String token) {
    Verification lean = verifier.verifyLeanOnly(token);
    (lean == null ? deferred : decided).incrementAndGet();
    Verification nimbus = verifier.verifyWithNimbus(token);
    Verification production = verifier.verify(token);
    assertThat(production).as("lean and Nimbus paths disagree on a token").isEqualTo(nimbus);
    if (lean != null) {
      assertThat(lean).isEqualTo(nimbus);
    }
    return production;
  }

  @Override
  public String toString() {
    return verifier.toString();
  }
}
