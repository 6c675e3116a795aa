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

  @Test
  void theUpgradeFilter_isRegisteredForEveryPath_beforeSpringSecurity_asyncCapable() {
    runner.run(context -> {
      @SuppressWarnings("unchecked")
      org.springframework.boot.web.servlet.FilterRegistrationBean<WsAuthUpgradeFilter> registration =
          context.getBean("wsauthUpgradeFilter", org.springframework.boot.web.servlet.FilterRegistrationBean.class);
      assertThat(registration.getFilter()).isInstanceOf(WsAuthUpgradeFilter.class);
      assertThat(registration.getFilterName()).isEqualTo("wsauth");
      assertThat(registration.getOrder()).isEqualTo(WsAuthAutoConfiguration.FILTER_ORDER).isLessThan(-100);
      assertThat(registration.isAsyncSupported()).as("Spring's default, kept").isTrue();
      assertThat(registration.getUrlPatterns()).containsExactly("/*");
    });
  }

  @Test
  void theIssuerAndTheVerifier_shareTheStoreAndThePolicy() {
    runner.withPropertyValues("wsauth.token.clock-skew=7s").run(context -> {
      assertThat(context.getBean(TokenPolicy.class).clockSkew()).hasSeconds(7);
      String token = context.getBean(io.github.wsauth.TokenIssuer.class).issue("ann").value();
      io.github.wsauth.Verification v = context.getBean(TokenVerifier.class).verify(token);
      assertThat(v).isInstanceOf(io.github.wsauth.Verification.Verified.class);
      assertThat(context.getBean(TokenVerifier.class).verify(token)).as("single use by default")
          .isInstanceOf(io.github.wsauth.Verification.Rejected.class);
    });
  }

  @Test
  void theRevoker_revokesTheStoresTokens_andClosesTheRegistrysConnections() {
    runner.run(context -> {
      Revoker revoker = context.getBean(Revoker.class);
      assertThat(revoker).isNotNull();
      String token = context.getBean(io.github.wsauth.TokenIssuer.class).issue("bea").value();
      java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
      context.getBean(ConnectionRegistry.class).register(io.github.wsauth.Identity.of("bea", java.util.Map.of(),
          java.time.Instant.now().plusSeconds(60)), (code, reason) -> closed.set(code));
      revoker.revokeSubject("bea");
      assertThat(closed).hasValue(Revoker.DEFAULT_CLOSE_CODE);
      assertThat(context.getBean(TokenVerifier.class).verify(token))
          .isInstanceOf(io.github.wsauth.Verification.Rejected.class);
    });
  }

  @Test
  void aCredentialLocationNamedTwice_failsTheStartUp() {
    runner.withPropertyValues("wsauth.credentials=query-parameter,authorization-bearer,query-parameter")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("wsauth.credentials names a location twice"));
  }

  @Test
  void theSubprotocolsProperty_reachesTheAuthenticator() {
    runner.withPropertyValues("wsauth.subprotocols=chat,chat.v2").run(context ->
        assertThat(context.getBean(HandshakeAuthenticator.class).subprotocols()).containsExactly("chat", "chat.v2"));
  }

  @Test
  void theStompPaths_areLeftToWsAuth_andTheHandlerRegistrarIsThere() {
    runner.withPropertyValues("wsauth.stomp.paths=/stomp").run(context -> {
      ProtectedPaths paths = context.getBean(ProtectedPaths.class);
      assertThat(paths.covers(new org.springframework.mock.web.MockHttpServletRequest("GET", "/stomp"))).isTrue();
      assertThat(paths.authenticatesHandshake(new org.springframework.mock.web.MockHttpServletRequest("GET",
          "/stomp"))).as("STOMP authenticates its CONNECT frame").isFalse();
      assertThat(context.getBean(WsAuthWebSocket.class)).isNotNull();
      assertThat(context.getBean(ServerEndpointExporter.class)).isInstanceOf(WsAuthEndpointExporter.class);
    });
  }

  @Test
  void stomp_theInterceptorComesFirst_andStartsTheLifetimeOfWhatItAccepts() {
    runner.run(context -> {
      org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer configurer =
          context.getBean("wsauthStompConfigurer",
              org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer.class);
      assertThat(((org.springframework.core.Ordered) configurer).getOrder())
          .isEqualTo(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
      WsAuthStompInterceptor interceptor = context.getBean(WsAuthStompInterceptor.class);
      org.springframework.web.socket.WebSocketSession session =
          org.mockito.Mockito.mock(org.springframework.web.socket.WebSocketSession.class);
      java.util.Map<String, Object> attributes = new java.util.HashMap<>();
      org.mockito.Mockito.when(session.getId()).thenReturn("w1");
      org.mockito.Mockito.when(session.getAttributes()).thenReturn(attributes);
      interceptor.opened(session);
      org.springframework.messaging.simp.stomp.StompHeaderAccessor connect =
          org.springframework.messaging.simp.stomp.StompHeaderAccessor.create(
              org.springframework.messaging.simp.stomp.StompCommand.CONNECT);
      connect.setSessionId("w1");
      connect.addNativeHeader("token", context.getBean(io.github.wsauth.TokenIssuer.class).issue("cy").value());
      connect.setLeaveMutable(true);
      interceptor.preSend(org.springframework.messaging.support.MessageBuilder.createMessage(new byte[0],
          connect.getMessageHeaders()), null);
      assertThat(SpringSessionLifetime.of(session)).as("registered, closed on expiry").isPresent();
      assertThat(context.getBean(ConnectionRegistry.class).size()).isEqualTo(1);
    });
  }

  @Test
  void stomp_canBeTurnedOff() {
    runner.withPropertyValues("wsauth.stomp.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(WsAuthStompInterceptor.class);
      assertThat(context.getBean(WsAuthProperties.class).getStomp().isEnabled()).isFalse();
    });
    runner.run(context -> assertThat(context.getBean(WsAuthProperties.class).getStomp().isEnabled()).isTrue());
  }

  @Test
  void springSecurity_isToldToLeaveTheWsAuthPathsAlone() {
    boolean security = classPresent(
        "org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer");
    assertThat(security).as("Spring Security on the class path exactly in its execution")
        .isEqualTo(AppTestBase.SECURITY);
    runner.run(context -> {
      if (security) {
        assertThat(context.getBean("wsauthWebSecurityCustomizer")).isInstanceOf(Class.forName(
            "org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer"));
      } else {
        assertThat(context).doesNotHaveBean("wsauthWebSecurityCustomizer");
      }
    });
  }

  @Test
  void withAMeterRegistry_decisionsAreCounted_verificationsTimed_andLiveConnectionsGauged() {
    io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    runner.withBean(io.micrometer.core.instrument.MeterRegistry.class, () -> meters).run(context -> {
      assertThat(context.getBean(MicrometerAuthListener.class)).isNotNull();
      TokenVerifier verifier = context.getBean(TokenVerifier.class);
      assertThat(verifier).isInstanceOf(TimedTokenVerifier.class);
      assertThat(verifier.toString()).startsWith("TimedTokenVerifier[").doesNotContain("TimedTokenVerifier[Timed");
      verifier.verify(context.getBean(io.github.wsauth.TokenIssuer.class).issue("di").value());
      assertThat(meters.find(MicrometerAuthListener.VERIFICATION).tag("outcome", "verified").timer().count())
          .isEqualTo(1);
      context.getBean(ConnectionRegistry.class).register(io.github.wsauth.Identity.of("di", java.util.Map.of(),
          java.time.Instant.now().plusSeconds(60)), (code, reason) -> { });
      assertThat(meters.find(MicrometerAuthListener.LIVE_CONNECTIONS).gauge().value()).isEqualTo(1.0);
    });
  }

  @Test
  void withoutAMeterRegistry_nothingIsGauged_andVerificationStillWorks() {
    runner.run(context -> {
      TokenVerifier verifier = context.getBean(TokenVerifier.class);
      assertThat(verifier.verify(context.getBean(io.github.wsauth.TokenIssuer.class).issue("ed").value()))
          .isInstanceOf(io.github.wsauth.Verification.Verified.class);
    });
  }

  @Test
  void theListenersOfTheContext_areNamedInTheAuthenticatorsListener() {
    io.github.wsauth.AuthListener mine = new io.github.wsauth.AuthListener() {
      @Override
      public void onAccepted(io.github.wsauth.AuthEvent event) {}

      @Override
      public void onRejected(io.github.wsauth.AuthEvent event) {}

      @Override
      public String toString() {
        return "MyListener";
      }
    };
    runner.withBean(io.github.wsauth.AuthListener.class, () -> mine).run(context -> {
      WsAuthAutoConfiguration.Listeners listeners = new WsAuthAutoConfiguration.Listeners(
          context.getBeanProvider(io.github.wsauth.AuthListener.class));
      assertThat(listeners.toString()).startsWith("Listeners[").contains("MyListener").endsWith("]");
    });
  }

  private static boolean classPresent(String name) {
    try {
      Class.forName(name);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  @Test
  void everyListenerOfTheContext_hearsAcceptedAndRejectedDecisions() {
    java.util.List<String> heard = new java.util.ArrayList<>();
    io.github.wsauth.AuthListener first = new io.github.wsauth.AuthListener() {
      @Override
      public void onAccepted(io.github.wsauth.AuthEvent event) {
        heard.add("first accepted " + event.subject().orElse("?"));
      }

      @Override
      public void onRejected(io.github.wsauth.AuthEvent event) {
        heard.add("first rejected " + event.reason());
      }
    };
    io.github.wsauth.AuthListener second = new io.github.wsauth.AuthListener() {
      @Override
      public void onAccepted(io.github.wsauth.AuthEvent event) {
        heard.add("second accepted");
      }

      @Override
      public void onRejected(io.github.wsauth.AuthEvent event) {
        heard.add("second rejected");
      }
    };
    runner.withBean("first", io.github.wsauth.AuthListener.class, () -> first)
        .withBean("second", io.github.wsauth.AuthListener.class, () -> second).run(context -> {
          WsAuthAutoConfiguration.Listeners listeners = new WsAuthAutoConfiguration.Listeners(
              context.getBeanProvider(io.github.wsauth.AuthListener.class));
          listeners.onAccepted(new io.github.wsauth.AuthEvent(io.github.wsauth.AuthEvent.Stage.HANDSHAKE, true, null,
              "ann", "accepted", 101, null));
          listeners.onRejected(new io.github.wsauth.AuthEvent(io.github.wsauth.AuthEvent.Stage.HANDSHAKE, false,
              null, null, "invalid token", 401, null));
          assertThat(heard).containsExactlyInAnyOrder("first accepted ann", "second accepted",
              "first rejected invalid token", "second rejected");
        });
  }
}
