package io.github.wsauth.netty;

import java.time.Duration;
import java.time.Instant;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.scenarios.SwitchableTokenStore;
import io.github.wsauth.testkit.MutableClock;

/** Real opaque tokens over a real in-memory store that a test can take "down" (core's shared fake); time from a MutableClock. */
final class TestTokens {
  static final String APP_ORIGIN = "https://app.example";

  final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  final SwitchableTokenStore store = new SwitchableTokenStore(TokenStore.inMemory(clock));
  final TokenPolicy policy = TokenPolicy.defaults();
  final TokenIssuer issuer = TokenIssuer.opaque(store, policy, clock);
  final TokenVerifier verifier = TokenVerifier.opaque(store, policy);

  String issue(String subject) {
    return issuer.issue(subject).value();
  }

  /** Every credential location, the app origin allowed, subprotocol "chat". */
  HandshakeAuthenticator.Builder handshake() {
    return HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(), CredentialExtractor.basicHeader(),
            CredentialExtractor.queryParameter("token"), CredentialExtractor.cookie("wsauth"),
            CredentialExtractor.subprotocol()))
        .verifier(verifier)
        .originPolicy(OriginPolicy.allowOnly(APP_ORIGIN))
        .subprotocols(java.util.List.of("chat"));
  }

  FirstMessageAuthenticator.Builder firstMessage() {
    return FirstMessageAuthenticator.builder().verifier(verifier).deadline(Duration.ofSeconds(2));
  }
}
