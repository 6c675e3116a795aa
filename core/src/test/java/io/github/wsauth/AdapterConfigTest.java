package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.store.TokenStore;

class AdapterConfigTest {
  /** The smallest adapter: a config with only the shared settings. */
  private static final class TestConfig extends AdapterConfig {
    TestConfig(TestBuilder b) {
      super(b);
    }
  }

  private static final class TestBuilder extends AdapterConfig.BaseBuilder<TestBuilder> {
    @Override
    protected TestBuilder self() {
      return this;
    }

    /** As an adapter that authenticates one way builds (Jakarta). */
    TestConfig build() {
      requireOneAuthenticator();
      return new TestConfig(this);
    }

    boolean authenticatorSet() {
      return hasAuthenticator();
    }
  }

  private final TokenVerifier verifier = TokenVerifier.opaque(TokenStore.inMemory(Clock.systemUTC()),
      TokenPolicy.defaults());
  private final HandshakeAuthenticator handshake = HandshakeAuthenticator.builder()
      .extractor(CredentialExtractor.bearerHeader()).verifier(verifier).originPolicy(OriginPolicy.anyOrigin()).build();
  private final FirstMessageAuthenticator firstMessage = FirstMessageAuthenticator.builder().verifier(verifier)
      .build();

  @Test
  void authenticators_exactlyOne_isTheOneGiven() {
    TestConfig h = new TestBuilder().handshake(handshake).build();
    assertThat(h.handshake()).containsSame(handshake);
    assertThat(h.firstMessage()).isEmpty();
    assertThat(h.requireHandshake()).isSameAs(handshake);
    TestConfig f = new TestBuilder().firstMessage(firstMessage).build();
    assertThat(f.firstMessage()).containsSame(firstMessage);
    assertThat(f.handshake()).isEmpty();
  }

  @Test
  void build_withoutAuthenticator_isRefused() {
    assertThatIllegalStateException().isThrownBy(() -> new TestBuilder().build())
        .withMessage("set a handshake or a first-message authenticator");
  }

  @Test
  void build_withBothAuthenticators_isRefused() {
    assertThatIllegalStateException().isThrownBy(() -> new TestBuilder().handshake(handshake)
        .firstMessage(firstMessage).build())
        .withMessage("set either a handshake or a first-message authenticator, not both (use two configurations)");
  }

  @Test
  void hasAuthenticator_isTrueWithEitherOrBoth() {
    assertThat(new TestBuilder().authenticatorSet()).isFalse();
    assertThat(new TestBuilder().handshake(handshake).authenticatorSet()).isTrue();
    assertThat(new TestBuilder().firstMessage(firstMessage).authenticatorSet()).isTrue();
    assertThat(new TestBuilder().handshake(handshake).firstMessage(firstMessage).authenticatorSet()).isTrue();
  }

  @Test
  void requireHandshake_onAFirstMessageConfig_saysSo() {
    TestConfig f = new TestBuilder().firstMessage(firstMessage).build();
    assertThatIllegalStateException().isThrownBy(f::requireHandshake)
        .withMessage("this configuration has no handshake authenticator");
  }

  @Test
  void lifetime_defaultsToNone_andIsTheOneGiven() {
    ConnectionLifetime none = new TestBuilder().handshake(handshake).build().lifetime();
    assertThat(none.registry()).isEmpty();
    assertThat(none.expiryWarning()).isEmpty();
    assertThat(none.reauthenticationVerifier()).isEmpty();
    ConnectionLifetime lifetime = ConnectionLifetime.builder().registry(new ConnectionRegistry()).build();
    TestBuilder b = new TestBuilder().handshake(handshake);
    assertThat(b.lifetime(lifetime)).isSameAs(b);
    assertThat(b.build().lifetime()).isSameAs(lifetime);
  }

  @Test
  void authenticatorAndLifetimeSetters_refuseNull_andReturnTheAdaptersBuilder() {
    TestBuilder b = new TestBuilder();
    assertThat(b.handshake(handshake)).isSameAs(b);
    assertThat(b.firstMessage(firstMessage)).isSameAs(b);
    assertThatNullPointerException().isThrownBy(() -> b.handshake(null))
        .withMessage("handshake authenticator must not be null");
    assertThatNullPointerException().isThrownBy(() -> b.firstMessage(null))
        .withMessage("first-message authenticator must not be null");
    assertThatNullPointerException().isThrownBy(() -> b.lifetime(null)).withMessage("lifetime must not be null");
  }

  @Test
  void defaults_noCloseOnExpiry_1008_systemUtc() {
    TestConfig config = new TestConfig(new TestBuilder());
    assertThat(config.closeOnExpiry()).isFalse();
    assertThat(config.expiryCloseCode()).isEqualTo(1008);
    assertThat(config.clock()).isEqualTo(Clock.systemUTC());
  }

  @Test
  void settersAreCopiedAndReturnTheAdaptersBuilder() {
    Clock fixed = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    TestBuilder b = new TestBuilder();
    assertThat(b.closeOnExpiry(true).expiryCloseCode(4001).clock(fixed)).isSameAs(b);
    TestConfig config = new TestConfig(b);
    assertThat(config.closeOnExpiry()).isTrue();
    assertThat(config.expiryCloseCode()).isEqualTo(4001);
    assertThat(config.clock()).isSameAs(fixed);
  }

  @Test
  void expiryCloseCode_outsideTheAllowedCodes_isRefused() {
    TestBuilder b = new TestBuilder();
    for (int ok : new int[] {1000, 1001, 1008, 3000, 4999}) {
      assertThat(new TestConfig(b.expiryCloseCode(ok)).expiryCloseCode()).isEqualTo(ok);
    }
    for (int bad : new int[] {999, 1002, 1007, 1009, 1011, 2999, 5000}) {
      assertThatIllegalArgumentException().isThrownBy(() -> b.expiryCloseCode(bad))
          .withMessage("expiry close code must be 1000, 1001, 1008 or 3000-4999: " + bad);
    }
    assertThatNullPointerException().isThrownBy(() -> b.clock(null)).withMessage("clock must not be null");
  }

  @Test
  void liveSessionSettings_takeTheConfigsLifetimeClockAndExpirySettings() {
    io.github.wsauth.lifetime.ConnectionLifetime lifetime = io.github.wsauth.lifetime.ConnectionLifetime.builder()
        .build();
    Clock clock = Clock.fixed(java.time.Instant.EPOCH, java.time.ZoneOffset.UTC);
    TaskScheduler scheduler = (task, delay) -> () -> { };
    TestConfig config = new TestBuilder().firstMessage(firstMessage).lifetime(lifetime).clock(clock)
        .closeOnExpiry(true).expiryCloseCode(4001).build();
    assertThat(io.github.wsauth.internal.LiveSession.Settings.of(config, verifier, scheduler)).isEqualTo(
        new io.github.wsauth.internal.LiveSession.Settings(lifetime, verifier, clock, true, 4001, scheduler));
  }
}
