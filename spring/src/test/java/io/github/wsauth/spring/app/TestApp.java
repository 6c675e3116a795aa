package io.github.wsauth.spring.app;

import java.io.IOException;
import java.security.Principal;
import java.time.Clock;

import io.github.wsauth.Identity;
import io.github.wsauth.jakarta.JakartaWsAuth;
import io.github.wsauth.scenarios.SwitchableTokenStore;
import io.github.wsauth.spring.WsAuthWebSocket;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.testkit.MutableClock;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Controller;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The application under test: the three styles at once (a WebSocketHandler at the scenario table's path, a
 * {@code @ServerEndpoint} bean, STOMP), configured by application properties (see {@link #PROPERTIES}); the token
 * store is the application's own bean (a store that can be taken down).
 */
@SpringBootApplication
public class TestApp {
  /** The properties the tests boot with. */
  public static final String[] PROPERTIES = {
      "wsauth.credentials=authorization-bearer,authorization-basic,query-parameter,cookie,subprotocol",
      "wsauth.allowed-origins=https://app.example",
      "wsauth.subprotocols=chat",
      "wsauth.realm=test",
      "wsauth.stomp.paths=/stomp",
      "management.endpoints.web.exposure.include=metrics",
  };

  /** The store: the application's bean replaces the auto-configured one. */
  @Bean
  public SwitchableTokenStore store(MutableClock clock) {
    return new SwitchableTokenStore(TokenStore.inMemory(clock));
  }

  /** Answers the principal and the identity attribute on open, echoes text. */
  static final class WhoAmI extends TextWebSocketHandler {
    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
      Principal p = session.getPrincipal();
      Object attr = session.getAttributes().get(JakartaWsAuth.IDENTITY_KEY);
      session.sendMessage(new TextMessage("principal=" + (p == null ? null : p.getName())
          + " identity=" + (p instanceof Identity) + " attribute=" + (attr == p)));
    }
  }

  /** The WebSocketHandler style: one call. */
  @Configuration
  @EnableWebSocket
  static class Handlers implements WebSocketConfigurer {
    @Autowired
    WsAuthWebSocket wsauth;

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
      wsauth.register(registry, new WhoAmI(), "/hs/annotated");
    }
  }

  /** The {@code @ServerEndpoint} style: one annotation attribute. */
  @Component
  @ServerEndpoint(value = "/endpoint", configurator = io.github.wsauth.spring.WsAuthSpringConfigurator.class)
  public static class WhoAmIEndpoint {
    @Autowired
    Clock clock;

    /** Answers the principal on open, and whether it was autowired. */
    @OnOpen
    public void onOpen(Session session) throws IOException {
      Principal p = session.getUserPrincipal();
      session.getBasicRemote().sendText("principal=" + (p == null ? null : p.getName())
          + " identity=" + JakartaWsAuth.identity(session).map(Identity::subject).orElse(null)
          + " autowired=" + (clock != null));
    }
  }

  /** The application's clock (tests move it; the auto-configuration uses it): also autowired into the endpoint. */
  @Bean
  public MutableClock clock() {
    return MutableClock.at(java.time.Instant.now());
  }

  /** The STOMP style: nothing wsauth-specific. */
  @Configuration
  @EnableWebSocketMessageBroker
  static class Stomp implements WebSocketMessageBrokerConfigurer {
    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
      registry.addEndpoint("/stomp");
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
      registry.setApplicationDestinationPrefixes("/app");
      registry.enableSimpleBroker("/topic");
    }
  }

  /** Answers who sent a STOMP message; counts what reached it. */
  @Controller
  public static class WhoAmIController {
    /** Messages that reached the mapping. */
    public static final java.util.concurrent.atomic.AtomicInteger REACHED = new java.util.concurrent.atomic.AtomicInteger();

    /** The sender's name. */
    @MessageMapping("/whoami")
    @SendTo("/topic/whoami")
    public String whoami(Principal principal, String body) {
      REACHED.incrementAndGet();
      return "principal=" + (principal == null ? null : principal.getName()) + " identity="
          + (principal instanceof Identity) + " body=" + body;
    }
  }
}
