package io.github.wsauth;

import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenStoreUnavailableException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpaqueTokenVerifierTest {
  private final TestClock clock = TestClock.atStart();
  private final TokenStore store = TokenStore.inMemory(clock);
  private final TokenPolicy singleUse = TokenPolicy.defaults();
  private final TokenPolicy reusable = TokenPolicy.builder().reusable().build();
  private final TokenIssuer issuer = TokenIssuer.opaque(store, singleUse, clock);
  private final TokenVerifier verifier = TokenVerifier.opaque(store, singleUse);

  private static RejectionReason reason(Verification v) {
    assertThat(v).isInstanceOf(Verification.Rejected.class);
    return ((Verification.Rejected) v).reason();
  }

  @Test
  void verify_issuedToken_givesIdentityWithSubjectAttributesAndExpiry() {
    IssuedToken t = issuer.issue("alice", Map.of("tenant", "t1"));
    Verification v = verifier.verify(t.value());
    assertThat(v.isVerified()).isTrue();
    Identity id = v.verifiedIdentity().orElseThrow();
    assertThat(id.subject()).isEqualTo("alice");
    assertThat(id.attribute("tenant")).contains("t1");
    assertThat(id.expiresAt()).isEqualTo(t.expiresAt());
    assertThat(id.source()).isEmpty();
  }

  @Test
  void verify_justBeforeExpiry_isAccepted() {
    IssuedToken t = issuer.issue("alice");
    clock.set(t.expiresAt().minusNanos(1));
    assertThat(verifier.verify(t.value()).isVerified()).isTrue();
  }

  @Test
  void verify_withinSkewAfterExpiry_isAccepted() {
    IssuedToken t = issuer.issue("alice");
    clock.set(t.expiresAt().plus(singleUse.clockSkew()));
    assertThat(verifier.verify(t.value()).isVerified()).isTrue();
  }

  @Test
  void verify_afterExpiryPlusSkew_isExpired() {
    IssuedToken t = issuer.issue("alice");
    clock.set(t.expiresAt().plus(singleUse.clockSkew()).plusNanos(1));
    assertThat(reason(verifier.verify(t.value()))).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void verify_zeroSkew_rejectsRightAfterExpiry() {
    TokenPolicy strict = TokenPolicy.builder().clockSkew(Duration.ZERO).build();
    IssuedToken t = TokenIssuer.opaque(store, strict, clock).issue("alice");
    clock.set(t.expiresAt().plusMillis(1));
    assertThat(reason(TokenVerifier.opaque(store, strict).verify(t.value()))).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void verify_singleUseTwice_isAlreadyUsed() {
    IssuedToken t = issuer.issue("alice");
    assertThat(verifier.verify(t.value()).isVerified()).isTrue();
    assertThat(reason(verifier.verify(t.value()))).isEqualTo(RejectionReason.ALREADY_USED);
    assertThat(reason(verifier.verify(t.value()))).isEqualTo(RejectionReason.ALREADY_USED);
  }

  @Test
  void verify_reusable_worksUntilItExpires() {
    IssuedToken t = TokenIssuer.opaque(store, reusable, clock).issue("bob");
    TokenVerifier v = TokenVerifier.opaque(store, reusable);
    for (int i = 0; i < 5; i++) {
      assertThat(v.verify(t.value()).isVerified()).isTrue();
      clock.advance(Duration.ofSeconds(5));
    }
    clock.set(t.expiresAt().plus(reusable.clockSkew()));
    assertThat(v.verify(t.value()).isVerified()).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(reason(v.verify(t.value()))).isEqualTo(RejectionReason.EXPIRED);
  }

  @Test
  void verify_revoked_isRevoked() {
    IssuedToken t = issuer.issue("alice");
    assertThat(store.revoke(TokenHash.of(t.value()))).isTrue();
    assertThat(reason(verifier.verify(t.value()))).isEqualTo(RejectionReason.REVOKED);
  }

  @Test
  void verify_revokedReusable_isRevoked() {
    IssuedToken t = TokenIssuer.opaque(store, reusable, clock).issue("bob");
    assertThat(store.revokeAll("bob")).isEqualTo(1);
    assertThat(reason(TokenVerifier.opaque(store, reusable).verify(t.value()))).isEqualTo(RejectionReason.REVOKED);
  }

  @Test
  void verify_unknown_isUnknown() {
    assertThat(reason(verifier.verify("A".repeat(43)))).isEqualTo(RejectionReason.UNKNOWN);
  }

  static Stream<String> malformedShapes() {
    String good = "A".repeat(42) + "E"; // 'E' = 4: low two bits zero, canonical
    return Stream.of(
        "", "A".repeat(42), "A".repeat(44), good.substring(0, 42) + "B", good.substring(0, 42) + "_",
        good.substring(0, 42) + "/", "A".repeat(41) + "+E", "A".repeat(41) + "=E", "A".repeat(41) + ".E",
        "A".repeat(41) + " E", "A".repeat(41) + "\u00c9E", "A".repeat(42) + "=", "a".repeat(10_000),
        // The table lookup's guard at and past the end of ASCII.
        "A".repeat(42) + "\u007f", "A".repeat(42) + "\u0080", "\u0080" + "A".repeat(42), "A".repeat(42) + "\u0100");
  }

  @ParameterizedTest
  @MethodSource("malformedShapes")
  void verify_wrongShape_isMalformedAndNeverReachesTheStore(String token) {
    FailingTokenStore failing = new FailingTokenStore(store);
    failing.failing = true;
    assertThat(reason(TokenVerifier.opaque(failing, singleUse).verify(token))).isEqualTo(RejectionReason.MALFORMED);
    assertThat(failing.calls()).isEmpty();
  }

  @Test
  void verify_null_isMalformed() {
    assertThat(reason(verifier.verify(null))).isEqualTo(RejectionReason.MALFORMED);
  }

  @Test
  void isOpaqueShape_acceptsEveryCanonicalLastCharacter() {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int canonical = 0;
    for (int i = 0; i < alphabet.length(); i++) {
      if (OpaqueTokenVerifier.isOpaqueShape("A".repeat(42) + alphabet.charAt(i))) {
        assertThat(i % 4).isZero();
        canonical++;
      }
    }
    assertThat(canonical).isEqualTo(16);
  }

  @Test
  void verify_storeUnavailable_throwsAndConsumesNothing() {
    IssuedToken t = issuer.issue("alice");
    FailingTokenStore failing = new FailingTokenStore(store);
    failing.failing = true;
    assertThatThrownBy(() -> TokenVerifier.opaque(failing, singleUse).verify(t.value()))
        .isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessageNotContaining(t.value());
    assertThat(verifier.verify(t.value()).isVerified()).isTrue();
  }

  @Test
  @Timeout(30)
  void verify_replayRace_exactlyOneSuccessPerToken() throws Exception {
    int tokens = 1000;
    int threads = 16;
    List<String> values = new ArrayList<>(tokens);
    for (int i = 0; i < tokens; i++) {
      values.add(issuer.issue("user" + i).value());
    }
    AtomicIntegerArray successes = new AtomicIntegerArray(tokens);
    AtomicIntegerArray alreadyUsed = new AtomicIntegerArray(tokens);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          // Every thread walks the tokens in the same order so all 16 contend for each token.
          for (int i = 0; i < tokens; i++) {
            Verification v = verifier.verify(values.get(i));
            if (v.isVerified()) {
              assertThat(v.verifiedIdentity().orElseThrow().subject()).isEqualTo("user" + i);
              successes.incrementAndGet(i);
            } else if (((Verification.Rejected) v).reason() == RejectionReason.ALREADY_USED) {
              alreadyUsed.incrementAndGet(i);
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    int total = 0;
    for (int i = 0; i < tokens; i++) {
      assertThat(successes.get(i)).as("successes for token %d", i).isEqualTo(1);
      assertThat(alreadyUsed.get(i)).as("already-used for token %d", i).isEqualTo(threads - 1);
      total += successes.get(i);
    }
    assertThat(total).isEqualTo(tokens);
  }

  @Test
  void factory_rejectsNulls() {
    assertThatThrownBy(() -> TokenVerifier.opaque(null, singleUse)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> TokenVerifier.opaque(store, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toString_showsThePolicyOnly() {
    assertThat(verifier.toString()).isEqualTo("OpaqueTokenVerifier[" + TokenPolicy.defaults() + "]");
  }
}
