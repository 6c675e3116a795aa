package io.github.wsauth.examples.demo;

import java.time.Clock;

import io.github.wsauth.RejectionReason;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;

/** TEMPORARY until the JWT branch is merged: JWTs are refused. */
final class DemoJwt {
  DemoJwt(TokenStore store, TokenPolicy policy, Clock clock, String appOrigin) {}

  TokenIssuer issuer() {
    return (subject, attributes) -> {
      throw new UnsupportedOperationException("JWT tokens are not available yet");
    };
  }

  TokenVerifier verifier() {
    return token -> Verification.rejected(RejectionReason.MALFORMED);
  }
}
