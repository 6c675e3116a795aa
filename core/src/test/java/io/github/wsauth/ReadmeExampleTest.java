package io.github.wsauth;

import io.github.wsauth.store.TokenStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The README's quick start, compiled and run, so the README cannot drift from the API. */
class ReadmeExampleTest {

  @Test
  void readmeRoundTrip_issueThenVerify_acceptsOnceThenRejects() {
    // --- README: round trip ---
    Clock clock = Clock.systemUTC();
    TokenStore store = TokenStore.inMemory(clock);
    TokenPolicy policy = TokenPolicy.defaults();                  // single-use, 30 s, 5 s skew

    // In the HTTP app, for the logged-in user:
    IssuedToken token = TokenIssuer.opaque(store, policy, clock).issue("alice");

    // On the WebSocket server, for the upgrade request that carries it:
    HandshakeAuthenticator auth = HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.queryParameter("token"))
        .verifier(TokenVerifier.opaque(store, policy))
        .originPolicy(OriginPolicy.allowOnly("https://app.example"))
        .build();
    UpgradeRequest request = UpgradeRequest.builder()
        .requestTarget("/ws?token=" + token.value())
        .header("Origin", "https://app.example")
        .build();
    AuthDecision decision = auth.authenticate(request);          // Accepted(identity=alice, ...)
    // --- end ---

    assertThat(decision.acceptedIdentity().map(Identity::subject)).contains("alice");
    AuthDecision replay = auth.authenticate(request);
    assertThat(replay).isInstanceOfSatisfying(AuthDecision.Rejected.class, r -> {
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.reason()).isEqualTo("token already used");
      assertThat(r.challenges()).containsExactly("Bearer realm=\"wsauth\", error=\"invalid_token\"");
    });
  }
}
