package io.github.wsauth.benchmarks;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenStore;
import io.github.wsauth.TokenVerifier;
import java.time.Clock;
import java.time.Duration;

/**
 * What the handshake benchmarks share: an in-memory store, an issuer of single-use opaque tokens, the
 * authenticator for a credential kind, and the upgrade requests the client sends (identical bytes for the
 * baseline server, which ignores the token).
 */
final class HandshakeFixtures {
  static final String PATH = "/ws";
  /** Handshakes per benchmark invocation; the score is per handshake ({@code @OperationsPerInvocation}). */
  static final int HANDSHAKES = 256;

  final Clock clock = Clock.systemUTC();
  final TokenPolicy policy = TokenPolicy.builder().singleUse().lifetime(Duration.ofMinutes(10)).build();
  final TokenStore store = TokenStore.inMemory(clock);
  final TokenIssuer issuer = TokenIssuer.opaque(store, policy, clock);
  final String credential;

  HandshakeFixtures(String credential) {
    if (!credential.equals("query") && !credential.equals("bearer")) {
      throw new IllegalArgumentException("credential must be query or bearer");
    }
    this.credential = credential;
  }

  HandshakeAuthenticator authenticator() {
    return HandshakeAuthenticator.builder()
        .extractor(credential.equals("query")
            ? CredentialExtractor.queryParameter("token") : CredentialExtractor.bearerHeader())
        .verifier(TokenVerifier.opaque(store, policy))
        .originPolicy(OriginPolicy.allowOnly("http://127.0.0.1"))
        .build();
  }

  /** {@code n} upgrade requests, each with a freshly issued single-use token. */
  byte[][] requests(int n) {
    byte[][] out = new byte[n][];
    for (int i = 0; i < n; i++) {
      String token = issuer.issue("alice").value();
      out[i] = credential.equals("query")
          ? HandshakeClient.upgradeRequest(PATH + "?token=" + token, "")
          : HandshakeClient.upgradeRequest(PATH, "Authorization: Bearer " + token + "\r\n");
    }
    return out;
  }
}
