package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.store.TokenStore;
import jakarta.websocket.server.ServerEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/** The auto-configuration's beans, their replacement, and wrong wirings that fail the start-up with one message. */
class WiringTest {
  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(WsAuthAutoConfiguration.class));

  @Test
  void defaultsCreateEveryBeanWithSafePolicy() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(TokenPolicy.class)).isEqualTo(TokenPolicy.defaults());
      assertThat(context.getBean(TokenPolicy.class).singleUse()).isTrue();
      assertThat(context.getBean(HandshakeAuthenticator.class).originPolicy().allowsAnyOrigin()).isTrue();
      assertThat(context.getBean(HandshakeAuthenticator.class).realm()).isEqualTo("wsauth");
      assertThat(context.getBean(JakartaAuthConfig.class).handshake())
          .containsSame(context.getBean(HandshakeAuthenticator.class));
      assertThat(context).hasSingleBean(WsAuthWebSocket.class).hasSingleBean(TokenStore.class);
    });
  }

  @Test
  void propertiesConfigureThePolicyTheOriginsAndTheRealm() {
    runner.withPropertyValues("wsauth.token.lifetime=2m", "wsauth.token.single-use=false",
        "wsauth.allowed-origins=https://app.example", "wsauth.realm=chat", "wsauth.credentials=cookie")
        .run(context -> {
          TokenPolicy policy = context.getBean(TokenPolicy.class);
          assertThat(policy.lifetime()).hasMinutes(2);
          assertThat(policy.singleUse()).isFalse();
          HandshakeAuthenticator a = context.getBean(HandshakeAuthenticator.class);
          assertThat(a.realm()).isEqualTo("chat");
          assertThat(a.originPolicy().allowsAnyOrigin()).isFalse();
        });
  }

  @Test
  void cookiesWithoutAllowedOriginsFailTheStartUpNamingTheProperty() {
    runner.withPropertyValues("wsauth.credentials=cookie").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("wsauth.credentials includes cookie but wsauth.allowed-origins is empty");
    });
  }

  @Test
  void firstMessageIsNotAHandshakeLocation() {
    runner.withPropertyValues("wsauth.credentials=first-message").run(context ->
        assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("wsauth.credentials: first-message is not a handshake location"));
  }

  @Test
  void anEmptyCredentialListFailsTheStartUp() {
    runner.withPropertyValues("wsauth.credentials=").run(context ->
        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("wsauth.credentials is empty"));
  }

  @Test
  void theApplicationsOwnBeansReplaceTheAutoConfiguredOnes() {
    TokenStore store = TokenStore.inMemory(Clock.systemUTC());
    HandshakeAuthenticator mine = HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
        .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults())).originPolicy(OriginPolicy.anyOrigin())
        .realm("mine").build();
    runner.withBean(TokenStore.class, () -> store).withBean(HandshakeAuthenticator.class, () -> mine)
        .run(context -> {
          assertThat(context.getBean(TokenStore.class)).isSameAs(store);
          assertThat(context.getBean(HandshakeAuthenticator.class)).isSameAs(mine);
          assertThat(context.getBean(JakartaAuthConfig.class).handshake()).containsSame(mine);
        });
  }

  /** An endpoint configured for wsauth. */
  @ServerEndpoint(value = "/x", configurator = WsAuthSpringConfigurator.class)
  static class Endpoint {
  }

  /** The application's own exporter (registering nothing here: the mock servlet context has no container). */
  static class ApplicationExporter extends ServerEndpointExporter {
    @Override
    public void afterPropertiesSet() {
    }

    @Override
    protected void registerEndpoints() {
    }
  }

  @Test
  void anApplicationExporterNextToAWsAuthEndpointFailsTheStartUp() {
    runner.withBean(ServerEndpointExporter.class, ApplicationExporter::new)
        .withBean(Endpoint.class, Endpoint::new)
        .run(context -> assertThat(context.getStartupFailure())
            .hasMessageContaining("uses WsAuthSpringConfigurator but the application declares its own"
                + " ServerEndpointExporter"));
  }

  @Test
  void theUnboundConfiguratorRefusesEveryHandshake() {
    assertThat(new WsAuthSpringConfigurator().checkOrigin("https://app.example")).isFalse();
  }

  @Test
  void theLifetimeBeansAreAutoConfiguredAndReplaceable() {
    runner.run(context -> {
      JakartaAuthConfig config = context.getBean(JakartaAuthConfig.class);
      assertThat(config.closeOnExpiry()).as("off by default, as in the adapters").isFalse();
      assertThat(config.expiryCloseCode()).isEqualTo(1008);
      assertThat(config.lifetime().registry()).containsSame(context.getBean(ConnectionRegistry.class));
      assertThat(context).hasSingleBean(Revoker.class).hasSingleBean(RevocationBus.class);
    });
    ConnectionRegistry mine = new ConnectionRegistry();
    RevocationBus myBus = RevocationBus.inProcess();
    runner.withBean(ConnectionRegistry.class, () -> mine).withBean(RevocationBus.class, () -> myBus)
        .run(context -> {
          assertThat(context.getBean(JakartaAuthConfig.class).lifetime().registry()).containsSame(mine);
          assertThat(context.getBean(RevocationBus.class)).isSameAs(myBus);
          // the revoker closes the application's registry's connections, from the application's bus
          java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
          mine.register(io.github.wsauth.Identity.of("zoe", java.util.Map.of(), java.time.Instant.now().plusSeconds(60)),
              (code, reason) -> closed.set(code));
          myBus.publish(io.github.wsauth.lifetime.Revocation.subject("zoe"));
          assertThat(closed).hasValue(Revoker.DEFAULT_CLOSE_CODE);
        });
  }

  @Test
  void closeOnExpiryCanBeTurnedOnAndItsCodeSet() {
    runner.withPropertyValues("wsauth.lifetime.close-on-expiry=true", "wsauth.lifetime.expiry-close-code=4401")
        .run(context -> {
          assertThat(context.getBean(JakartaAuthConfig.class).closeOnExpiry()).isTrue();
          assertThat(context.getBean(JakartaAuthConfig.class).expiryCloseCode()).isEqualTo(4401);
        });
    runner.withPropertyValues("wsauth.lifetime.expiry-close-code=1011").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessageContaining("1011");
      assertThat(context.getStartupFailure()).hasStackTraceContaining("wsauth.lifetime.expiry-close-code");
    });
  }
}
