package io.github.wsauth.jwt;

import static io.github.wsauth.jwt.TestJwts.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import io.github.wsauth.RejectionReason;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.Verification;
import io.github.wsauth.internal.RevocationKeys;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.Revocation;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenStoreUnavailableException;
import io.github.wsauth.testkit.MutableClock;
import org.junit.jupiter.api.Test;

/**
 * {@link Revoker#revokeSubject} at T refuses the subject's JWTs with {@code iat <= T} that were never presented,
 * on the lean and the Nimbus path and through the verified-token cache; later tokens pass. Every token below is
 * otherwise valid (signature, claims, time, unused): only the subject revocation can refuse it.
 */
class JwtSubjectRevocationTest {
  /** The longest lifetime (60 s) plus skew (5 s) of {@link TestJwts}: the retention a Revoker must have. */
  private static final Duration RETENTION = TestJwts.LIFETIME.plus(TestJwts.SKEW);
  private static final Verification REVOKED = Verification.rejected(RejectionReason.REVOKED);

  private final MutableClock clock = MutableClock.at(NOW.plusSeconds(600));
  private final RecordingStore store = new RecordingStore(TokenStore.inMemory(clock));

  private Revoker revoker(RevocationBus bus) {
    return Revoker.builder().store(store).bus(bus).registry(new ConnectionRegistry()).clock(clock)
        .recordRetention(RETENTION).build();
  }

  private String issue(String subject, TokenPolicy policy) {
    return JwtTokens.issuer(TestJwts.issuerConfig(TestKeys.EC, clock, policy).build()).issue(subject).value();
  }

  private JwtTokenVerifier verifier(JwtVerifierConfig.Builder config) {
    return (JwtTokenVerifier) JwtTokens.verifier(config.build());
  }

  @Test
  void revokedSubject_unpresentedTokenIssuedBefore_isRefusedAsRevoked_onBothPaths_laterTokenPasses() {
    JwtTokenVerifier verifier = verifier(TestJwts.verifierConfig(clock).store(store));
    String before = issue("alice", TestJwts.REUSABLE);
    String bob = issue("bob", TestJwts.REUSABLE);
    clock.advance(Duration.ofSeconds(30));
    revoker(RevocationBus.inProcess()).revokeSubject("alice");

    assertThat(verifier.verify(before)).isEqualTo(REVOKED);
    assertThat(verifier.verifyLeanOnly(before)).isEqualTo(REVOKED);
    assertThat(verifier.verifyWithNimbus(before)).isEqualTo(REVOKED);
    assertThat(verifier.verify(bob).isVerified()).as("another subject").isTrue();

    clock.advance(Duration.ofSeconds(1)); // iat has whole seconds: a token of the next second is after T
    String after = issue("alice", TestJwts.REUSABLE);
    assertThat(verifier.verify(after).isVerified()).isTrue();
    assertThat(verifier.verifyWithNimbus(after).isVerified()).isTrue();
    // still refused until it expires: 30 s + 1 s + 33 s = 64 s after iat, within exp (60 s) + skew (5 s)
    clock.advance(Duration.ofSeconds(33));
    assertThat(verifier.verify(before)).isEqualTo(REVOKED);
  }

  @Test
  void tokenIssuedInThePreviousHour_isCovered() {
    clock.set(NOW.minusSeconds(20)); // NOW is 00:00:00: the token's iat is in the hour before the revocation's
    JwtTokenVerifier verifier = verifier(TestJwts.verifierConfig(clock).store(store));
    String before = issue("alice", TestJwts.REUSABLE);
    clock.advance(Duration.ofSeconds(30));
    revoker(RevocationBus.inProcess()).revokeSubject("alice");
    assertThat(verifier.verify(before)).isEqualTo(REVOKED);
  }

  @Test
  void secondRevocation_refusesTokensIssuedBetweenTheTwo() {
    JwtTokenVerifier verifier = verifier(TestJwts.verifierConfig(clock).store(store));
    Revoker revoker = revoker(RevocationBus.inProcess());
    revoker.revokeSubject("alice");
    clock.advance(Duration.ofSeconds(2));
    String between = issue("alice", TestJwts.REUSABLE);
    assertThat(verifier.verify(between).isVerified()).isTrue();
    clock.advance(Duration.ofSeconds(2));
    revoker.revokeSubject("alice");
    assertThat(verifier.verify(between)).isEqualTo(REVOKED);
    clock.advance(Duration.ofSeconds(1));
    assertThat(verifier.verify(issue("alice", TestJwts.REUSABLE)).isVerified()).isTrue();
  }

  @Test
  void singleUse_revokedSubject_isRefusedAsRevoked_andNotConsumed() throws Exception {
    JwtTokenVerifier verifier = verifier(TestJwts.singleUseConfig(clock, store, TestKeys.verificationKeys()));
    String token = issue("alice", TestJwts.SINGLE_USE);
    clock.advance(Duration.ofSeconds(5));
    revoker(RevocationBus.inProcess()).revokeSubject("alice");
    int savedBefore = store.saved.size();
    assertThat(verifier.verify(token)).isEqualTo(REVOKED);
    assertThat(store.saved).as("no jti recorded").hasSize(savedBefore);
    String jti = com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
    assertThat(store.delegate.find(TokenHash.of(JwtTokenVerifier.JTI_KEY_PREFIX + TestJwts.ISS + ":" + jti))
        .status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
  }

  @Test
  void cachedToken_isRefused_afterARevocationMadeOnThisNode_evenIfTheBusNeverDeliversIt() {
    RevocationBus silent = new SilentBus(); // a bus that has not delivered yet (e.g. the database is slow)
    JwtTokenVerifier verifier = verifier(TestJwts.verifierConfig(clock).store(store).verifiedTokenCache(100)
        .revocations(silent));
    String token = issue("alice", TestJwts.REUSABLE);
    assertThat(verifier.verify(token).isVerified()).isTrue();
    int calls = store.calls.get();
    assertThat(verifier.verify(token).isVerified()).isTrue();
    assertThat(store.calls.get()).as("a cache hit reads no store").isEqualTo(calls);

    clock.advance(Duration.ofSeconds(1));
    revoker(silent).revokeSubject("alice");
    assertThat(verifier.verify(token)).isEqualTo(REVOKED);
  }

  @Test
  void cachedToken_isRefused_afterARevocationFromAnotherNodeArrivesOnTheBus() {
    RevocationBus bus = RevocationBus.inProcess();
    JwtTokenVerifier verifier = verifier(TestJwts.verifierConfig(clock).store(store).verifiedTokenCache(100)
        .revocations(bus));
    String token = issue("alice", TestJwts.REUSABLE);
    assertThat(verifier.verify(token).isVerified()).isTrue();
    clock.advance(Duration.ofSeconds(1));
    // another node's Revoker: its record in the shared store, then its revocation on the bus (no local call)
    RevocationKeys.revokeSubjectBefore(store, "alice", clock.instant(), RETENTION);
    assertThat(verifier.verify(token).isVerified()).as("the bus has not delivered yet: a hit").isTrue();
    bus.publish(Revocation.subject("alice"));
    assertThat(verifier.verify(token)).isEqualTo(REVOKED);
  }

  @Test
  void storeFailsOnTheSubjectLookup_failsClosed_consumesNothing() throws Exception {
    AtomicInteger finds = new AtomicInteger();
    TokenStore failing = new DelegatingStore(store) {
      @Override
      public TokenLookup find(TokenHash hash) {
        if (finds.incrementAndGet() == 2) { // the jti record's lookup passes; the subject's fails
          throw new IllegalStateException("connection reset");
        }
        return super.find(hash);
      }
    };
    JwtTokenVerifier verifier = verifier(TestJwts.singleUseConfig(clock, failing, TestKeys.verificationKeys()));
    String token = issue("alice", TestJwts.SINGLE_USE);
    assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessage("token store failed while looking up a subject revocation");
    assertThat(store.saved).as("nothing consumed").isEmpty();
    assertThat(verifier.verify(token).isVerified()).as("the same token, store back").isTrue();
  }

  @Test
  void hotPath_withStore_readsOneRecordPerCheck_whenTheSubjectWasNotRevoked() {
    JwtTokenVerifier verifier = verifier(TestJwts.verifierConfig(clock).store(store));
    String token = issue("alice", TestJwts.REUSABLE);
    int calls = store.calls.get();
    assertThat(verifier.verify(token).isVerified()).isTrue();
    assertThat(store.calls.get() - calls).as("one find for the jti, one for the subject").isEqualTo(2);
  }

  /** A bus whose publications never arrive (as if the database were slow). */
  private static final class SilentBus implements RevocationBus {
    @Override
    public void publish(Revocation revocation) {}

    @Override
    public AutoCloseable subscribe(Consumer<Revocation> listener) {
      return () -> {};
    }

    @Override
    public void close() {}
  }

  /** Passes every call to another store. */
  private static class DelegatingStore implements TokenStore {
    private final TokenStore delegate;

    DelegatingStore(TokenStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public boolean saveIfAbsent(StoredToken token) {
      return delegate.saveIfAbsent(token);
    }

    @Override
    public TokenLookup find(TokenHash hash) {
      return delegate.find(hash);
    }

    @Override
    public TokenLookup consume(TokenHash hash) {
      return delegate.consume(hash);
    }

    @Override
    public boolean revoke(TokenHash hash) {
      return delegate.revoke(hash);
    }

    @Override
    public int revokeAll(String subject) {
      return delegate.revokeAll(subject);
    }

    @Override
    public int purgeExpired() {
      return delegate.purgeExpired();
    }
  }
}
