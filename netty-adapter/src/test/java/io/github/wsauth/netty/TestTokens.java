package io.github.wsauth.netty;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenStoreUnavailableException;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.testkit.MutableClock;

/** Real opaque tokens over a real in-memory store that a test can take "down"; time from a MutableClock. */
final class TestTokens {
  static final String APP_ORIGIN = "https://app.example";

  final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  final FlakyStore store = new FlakyStore(TokenStore.inMemory(clock));
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

  /** A store wrapper whose every operation throws while it is down, and which counts consume attempts. */
  static final class FlakyStore implements TokenStore {
    final TokenStore delegate;
    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger failedCalls = new AtomicInteger();

    FlakyStore(TokenStore delegate) {
      this.delegate = delegate;
    }

    private void check() {
      if (down.get()) {
        failedCalls.incrementAndGet();
        throw new TokenStoreUnavailableException("test store is down");
      }
    }

    @Override
    public boolean saveIfAbsent(StoredToken token) {
      check();
      return delegate.saveIfAbsent(token);
    }

    @Override
    public TokenLookup find(TokenHash hash) {
      check();
      return delegate.find(hash);
    }

    @Override
    public TokenLookup consume(TokenHash hash) {
      check();
      return delegate.consume(hash);
    }

    @Override
    public boolean revoke(TokenHash hash) {
      check();
      return delegate.revoke(hash);
    }

    @Override
    public int revokeAll(String subject) {
      check();
      return delegate.revokeAll(subject);
    }

    @Override
    public int purgeExpired() {
      check();
      return delegate.purgeExpired();
    }

    /** Whether the token is still unused, looked up without the failure switch. */
    boolean isUnused(String token) {
      return delegate.find(TokenHash.of(token)).status() == TokenLookup.Status.VALID;
    }
  }
}
