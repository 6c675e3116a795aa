package io.github.wsauth.lifetime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.wsauth.Identity;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.TestClock;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.internal.RevocationKeys;
import io.github.wsauth.scenarios.SwitchableTokenStore;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenStoreUnavailableException;
import org.junit.jupiter.api.Test;

class RevokerTest {
  private final TestClock clock = TestClock.atStart();
  private final SwitchableTokenStore store = new SwitchableTokenStore(TokenStore.inMemory(clock));
  private final TokenPolicy reusable = TokenPolicy.builder().reusable().lifetime(Duration.ofMinutes(5)).build();
  private final TokenIssuer issuer = TokenIssuer.opaque(store, reusable, clock);
  private final TokenVerifier verifier = TokenVerifier.opaque(store, reusable);
  private final RevocationBus bus = RevocationBus.inProcess();
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private final List<String> closes = new CopyOnWriteArrayList<>();
  private final List<Revocation> published = new CopyOnWriteArrayList<>();

  private Identity connect(String subject, String name) {
    String token = issuer.issue(subject, Map.of()).value();
    Identity identity = ((Verification.Verified) verifier.verify(token)).identity();
    registry.register(identity, (code, reason) -> closes.add(name + " " + code + " " + reason));
    return identity;
  }

  private Revoker revoker() {
    bus.subscribe(published::add);
    return Revoker.builder().store(store).bus(bus).registry(registry).clock(clock).build();
  }

  @Test
  void revokeSubject_revokesItsTokens_closesExactlyItsConnections_andPublishes() {
    connect("alice", "a1");
    connect("alice", "a2");
    connect("bob", "b1");
    String unused = issuer.issue("alice", Map.of()).value();
    String bobs = issuer.issue("bob", Map.of()).value();
    Revoker revoker = revoker();

    assertThat(revoker.revokeSubject("alice")).isEqualTo(2);

    assertThat(closes).containsExactlyInAnyOrder("a1 4410 authentication revoked", "a2 4410 authentication revoked");
    assertThat(published).containsExactly(Revocation.subject("alice"));
    assertThat(verifier.verify(unused)).isEqualTo(Verification.rejected(RejectionReason.REVOKED));
    assertThat(verifier.verify(bobs).isVerified()).isTrue();
  }

  @Test
  void revokeSubject_theLongestSubjectAnIssuerAccepts_isRevocable_oneLongerIsRefusedByBoth() {
    String longest = "s".repeat(256);
    connect(longest, "s1");
    String unused = issuer.issue(longest, Map.of()).value();
    Revoker revoker = revoker();

    assertThat(revoker.revokeSubject(longest)).isEqualTo(1);

    assertThat(closes).containsExactly("s1 4410 authentication revoked");
    assertThat(published).containsExactly(Revocation.subject(longest));
    assertThat(verifier.verify(unused)).isEqualTo(Verification.rejected(RejectionReason.REVOKED));
    assertThat(RevocationKeys.isSubjectRevoked(store, longest, clock.instant())).isTrue();

    String tooLong = longest + "s";
    assertThatThrownBy(() -> issuer.issue(tooLong, Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subject must not be longer than 256 characters");
    assertThatThrownBy(() -> revoker.revokeSubject(tooLong)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subject must be 1 to 256 characters");
    assertThat(published).hasSize(1);
  }

  @Test
  void revokeToken_opaque_revokesItInTheStore_closesOnlyItsConnection() {
    Identity a1 = connect("alice", "a1");
    connect("alice", "a2");
    Revoker revoker = revoker();

    assertThat(revoker.revokeToken(a1.tokenId().orElseThrow())).isEqualTo(1);

    assertThat(closes).containsExactly("a1 4410 authentication revoked");
    assertThat(published).containsExactly(Revocation.token(a1.tokenId().orElseThrow()));
    assertThat(store.find(TokenHash.fromBytes(hex(a1.tokenId().orElseThrow()))).status())
        .isEqualTo(io.github.wsauth.store.TokenLookup.Status.REVOKED);
    assertThat(RevocationKeys.isRevoked(store, a1.tokenId().orElseThrow()))
        .as("an opaque token is revoked in place, no record needed").isFalse();
  }

  @Test
  void revokeToken_notAnOpaqueToken_isRecordedUntilTheRetentionEnds() {
    Revoker revoker = Revoker.builder().store(store).bus(bus).registry(registry).clock(clock)
        .recordRetention(Duration.ofMinutes(10)).build();
    revoker.revokeToken("a-jwt-jti");
    assertThat(RevocationKeys.isRevoked(store, "a-jwt-jti")).isTrue();
    assertThat(RevocationKeys.isRevoked(store, "another-jti")).isFalse();
    clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    assertThat(RevocationKeys.isRevoked(store, "a-jwt-jti")).isFalse();
  }

  @Test
  void revoke_storeDown_throws_closesNothing_publishesNothing() {
    connect("alice", "a1");
    Identity a2 = connect("alice", "a2");
    Revoker revoker = revoker();
    store.down(true);
    assertThatThrownBy(() -> revoker.revokeSubject("alice")).isInstanceOf(TokenStoreUnavailableException.class);
    assertThatThrownBy(() -> revoker.revokeToken(a2.tokenId().orElseThrow()))
        .isInstanceOf(TokenStoreUnavailableException.class);
    assertThatThrownBy(() -> revoker.revokeToken("a-jwt-jti")).isInstanceOf(TokenStoreUnavailableException.class);
    assertThat(closes).isEmpty();
    assertThat(published).isEmpty();
  }

  @Test
  void revokeSubject_recordsRevokedBeforeNow_forJwts() {
    Revoker revoker = revoker();
    clock.advance(Duration.ofSeconds(42));
    revoker.revokeSubject("alice");
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", clock.instant())).isTrue();
    assertThat(RevocationKeys.isSubjectRevoked(store, "alice", clock.instant().plusMillis(1))).isFalse();
    assertThat(RevocationKeys.isSubjectRevoked(store, "bob", clock.instant())).isFalse();
  }

  @Test
  void revokeSubject_recordWriteFails_throws_closesNothing_publishesNothing() {
    connect("alice", "a1");
    Revoker revoker = Revoker.builder().store(new io.github.wsauth.store.TokenStore() {
      @Override
      public boolean saveIfAbsent(io.github.wsauth.store.StoredToken token) {
        throw new TokenStoreUnavailableException("simulated outage");
      }

      @Override
      public io.github.wsauth.store.TokenLookup find(TokenHash hash) {
        return store.find(hash);
      }

      @Override
      public io.github.wsauth.store.TokenLookup consume(TokenHash hash) {
        return store.consume(hash);
      }

      @Override
      public boolean revoke(TokenHash hash) {
        return store.revoke(hash);
      }

      @Override
      public int revokeAll(String subject) {
        return store.revokeAll(subject);
      }

      @Override
      public int purgeExpired() {
        return store.purgeExpired();
      }
    }).bus(bus).registry(registry).clock(clock).build();
    bus.subscribe(published::add);
    assertThatThrownBy(() -> revoker.revokeSubject("alice")).isInstanceOf(TokenStoreUnavailableException.class);
    assertThat(closes).isEmpty();
    assertThat(published).isEmpty();
  }

  @Test
  void revocationFromAnotherNode_closesThisNodesMatchingConnections() {
    connect("alice", "a1");
    connect("bob", "b1");
    revoker();
    Revoker otherNode = Revoker.builder().store(store).bus(bus).registry(new ConnectionRegistry()).build();
    assertThat(otherNode.revokeSubject("alice")).as("none on the other node").isZero();
    assertThat(closes).containsExactly("a1 4410 authentication revoked");
  }

  @Test
  void closeCode_isConfigurable_andChecked() {
    connect("alice", "a1");
    Revoker revoker = Revoker.builder().store(store).bus(bus).registry(registry).closeCode(4001).build();
    revoker.revokeSubject("alice");
    assertThat(closes).containsExactly("a1 4001 authentication revoked");
    assertThatThrownBy(() -> Revoker.builder().closeCode(1000)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("revocation close code must be 1008 or 3000-4999: 1000");
  }

  @Test
  void closed_revokerStopsListening() {
    connect("alice", "a1");
    Revoker revoker = Revoker.builder().store(store).bus(bus).registry(registry).build();
    revoker.close();
    bus.publish(Revocation.subject("alice"));
    assertThat(closes).isEmpty();
  }

  @Test
  void revokeToken_sixtyFiveCharacters_isNotTheOpaqueTokenOfItsFirstSixtyFour() {
    Identity a1 = connect("alice", "a1");
    String id = a1.tokenId().orElseThrow();
    Revoker revoker = revoker();
    assertThat(revoker.revokeToken(id + "0")).isZero();
    assertThat(store.find(TokenHash.fromBytes(hex(id))).status())
        .isEqualTo(io.github.wsauth.store.TokenLookup.Status.VALID);
    assertThat(RevocationKeys.isRevoked(store, id + "0")).isTrue();
  }

  @Test
  void revokeToken_anUppercaseHexDigit_isNotAnOpaqueTokenId_evenInAnOddPlace() {
    Identity a1 = connect("alice", "a1");
    String id = a1.tokenId().orElseThrow();
    int odd = 1;
    while (Character.isDigit(id.charAt(odd))) {
      odd += 2;
    }
    String upper = id.substring(0, odd) + Character.toUpperCase(id.charAt(odd)) + id.substring(odd + 1);
    Revoker revoker = revoker();
    assertThat(revoker.revokeToken(upper)).isZero();
    assertThat(store.find(TokenHash.fromBytes(hex(id))).status())
        .isEqualTo(io.github.wsauth.store.TokenLookup.Status.VALID);
    assertThat(RevocationKeys.isRevoked(store, upper)).isTrue();
  }

  @Test
  void revokeToken_opaqueFormButNotOutstanding_isRecorded() {
    String id = "ab".repeat(32);
    revoker().revokeToken(id);
    assertThat(RevocationKeys.isRevoked(store, id)).as("a JWT jti that looks like an opaque id").isTrue();
  }

  @Test
  void revocations_reachThisProcesssListeners_beforeTheCallReturns() {
    List<Revocation> heard = new CopyOnWriteArrayList<>();
    java.util.function.Consumer<Revocation> listener = heard::add;
    RevocationKeys.onRevokedHere(listener);
    Revoker revoker = revoker();
    revoker.revokeSubject("alice");
    revoker.revokeToken("a-jwt-jti");
    assertThat(heard).containsExactly(Revocation.subject("alice"), Revocation.token("a-jwt-jti"));
    assertThat(listener).isNotNull(); // held until here
  }

  @Test
  void closeCode_boundaries() {
    for (int ok : new int[] {1008, 3000, 4999}) {
      assertThat(Revoker.builder().store(store).bus(bus).registry(registry).closeCode(ok).build().closeCode())
          .isEqualTo(ok);
    }
    assertThat(revoker().closeCode()).isEqualTo(Revoker.DEFAULT_CLOSE_CODE).isEqualTo(4410);
    for (int bad : new int[] {1007, 1009, 2999, 5000}) {
      assertThatThrownBy(() -> Revoker.builder().closeCode(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("revocation close code must be 1008 or 3000-4999: " + bad);
    }
  }

  @Test
  void recordRetention_mustBePositive() {
    assertThatThrownBy(() -> Revoker.builder().recordRetention(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("retention must be positive");
    assertThatThrownBy(() -> Revoker.builder().recordRetention(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("retention must be positive");
    assertThat(Revoker.builder().store(store).bus(bus).registry(registry).recordRetention(Duration.ofMillis(1))
        .build()).isNotNull();
  }

  @Test
  void build_withoutStoreBusOrRegistry_throws() {
    assertThatThrownBy(() -> Revoker.builder().bus(bus).registry(registry).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("store, bus and registry must be set");
    assertThatThrownBy(() -> Revoker.builder().store(store).registry(registry).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("store, bus and registry must be set");
    assertThatThrownBy(() -> Revoker.builder().store(store).bus(bus).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("store, bus and registry must be set");
  }

  @Test
  void revokeToken_anIdOfZeroDigits_isAnOpaqueTokenId() {
    TokenHash zeros = TokenHash.fromBytes(new byte[TokenHash.LENGTH]);
    store.saveIfAbsent(new io.github.wsauth.store.StoredToken(zeros, "alice", Map.of(),
        clock.instant().plusSeconds(60), false));
    revoker().revokeToken("0".repeat(2 * TokenHash.LENGTH));
    assertThat(store.find(zeros).status()).isEqualTo(io.github.wsauth.store.TokenLookup.Status.REVOKED);
    assertThat(RevocationKeys.isRevoked(store, "0".repeat(2 * TokenHash.LENGTH))).as("revoked in place").isFalse();
  }

  @Test
  void toString_showsTheCloseCodeAndRegistry() {
    assertThat(revoker()).hasToString("Revoker[closeCode=4410, ConnectionRegistry[size=0]]");
  }

  private static byte[] hex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }
}
