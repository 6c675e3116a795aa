package io.github.wsauth.jwt;

import static io.github.wsauth.jwt.TestJwts.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.github.wsauth.Identity;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenStoreUnavailableException;
import io.github.wsauth.testkit.MutableClock;
import org.junit.jupiter.api.Test;

/** JWTs carry their jti as token id, and a jti revoked by {@link Revoker#revokeToken} is refused until exp. */
class JwtRevocationTest {
  private final MutableClock clock = MutableClock.at(NOW);
  private final RecordingStore store = new RecordingStore(TokenStore.inMemory(clock));
  private final Revoker revoker = Revoker.builder().store(store).bus(RevocationBus.inProcess())
      .registry(new ConnectionRegistry()).clock(clock).build();

  private String issue(io.github.wsauth.TokenPolicy policy) {
    return JwtTokens.issuer(TestJwts.issuerConfig(TestKeys.EC, clock, policy).build()).issue("alice").value();
  }

  private static String jti(String token) throws Exception {
    return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
  }

  @Test
  void reusable_revokedJti_isRefusedAsRevoked_otherJtisPass() throws Exception {
    TokenVerifier verifier = JwtTokens.verifier(TestJwts.verifierConfig(clock).store(store).build());
    String revoked = issue(TestJwts.REUSABLE);
    String other = issue(TestJwts.REUSABLE);
    Identity identity = verifier.verify(revoked).verifiedIdentity().orElseThrow();
    assertThat(identity.tokenId()).contains(jti(revoked));

    revoker.revokeToken(identity.tokenId().orElseThrow());

    assertThat(verifier.verify(revoked)).isEqualTo(Verification.rejected(RejectionReason.REVOKED));
    assertThat(verifier.verify(other).isVerified()).isTrue();
  }

  @Test
  void singleUse_revokedBeforeUse_isRefusedAsRevoked_notRecordedAsUsed() throws Exception {
    TokenVerifier verifier = JwtTokens.verifier(TestJwts.singleUseConfig(clock, store, TestKeys.verificationKeys())
        .build());
    String token = issue(TestJwts.SINGLE_USE);
    revoker.revokeToken(jti(token));
    assertThat(verifier.verify(token)).isEqualTo(Verification.rejected(RejectionReason.REVOKED));
  }

  @Test
  void reusable_revocationRecordExpires_afterTheRetention() throws Exception {
    TokenVerifier verifier = JwtTokens.verifier(TestJwts.verifierConfig(clock).store(store).build());
    String token = issue(TestJwts.REUSABLE);
    Revoker.builder().store(store).bus(RevocationBus.inProcess()).registry(new ConnectionRegistry()).clock(clock)
        .recordRetention(Duration.ofSeconds(10)).build().revokeToken(jti(token));
    clock.advance(Duration.ofSeconds(11));
    assertThat(verifier.verify(token).isVerified()).as("the record was kept 10 s only").isTrue();
  }

  @Test
  void reusable_withoutStore_checksNothing_storeDown_failsClosed() throws Exception {
    String token = issue(TestJwts.REUSABLE);
    assertThat(JwtTokens.verifier(TestJwts.verifierConfig(clock).build()).verify(token).isVerified()).isTrue();
    TokenStore down = (TokenStore) java.lang.reflect.Proxy.newProxyInstance(TokenStore.class.getClassLoader(),
        new Class<?>[] {TokenStore.class}, (proxy, method, args) -> {
          throw new TokenStoreUnavailableException("simulated outage");
        });
    TokenVerifier verifier = JwtTokens.verifier(TestJwts.verifierConfig(clock).store(down).build());
    assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(TokenStoreUnavailableException.class);
  }
}
