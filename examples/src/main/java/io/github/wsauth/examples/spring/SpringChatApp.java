package io.github.wsauth.examples.spring;

import java.io.IOException;
import java.security.Principal;

import io.github.wsauth.TokenIssuer;
import io.github.wsauth.spring.WsAuthSpringConfigurator;
import io.github.wsauth.spring.WsAuthWebSocket;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.MessageMapping;
import org.springframework.messaging.handler.annotation.SendTo;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
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
 * The Spring Boot sample: wsauth-spring with its three styles on one application, configured by
 * {@code application.properties}-style arguments (see {@link #main}). {@code /chat} is a {@code WebSocketHandler},
 * {@code /echo} a {@code @ServerEndpoint} bean, {@code /stomp} a STOMP endpoint; {@code POST /token?user=...}
 * issues a token (a stand-in for the application's own logged-in HTTP endpoint: in a real application the user
 * comes from its login, never from a parameter).
 *
 * <p>Run: {@code mvn -pl examples -am -DskipTests package && java -cp ... SpringChatApp}, or from an IDE.
 */
@SpringBootApplication
public class SpringChatApp {
  /** The sample's settings, as an application.properties would hold them. */
  static final String[] DEFAULTS = {
      "--wsauth.credentials=authorization-bearer,subprotocol,query-parameter",
      "--wsauth.token.lifetime=30s",
      "--spring.main.banner-mode=off",
  };

  /** Starts the sample (port 8080 unless {@code --server.port=...}). */
  public static void main(String[] args) {
    String[] all = new String[DEFAULTS.length + args.length];
    System.arraycopy(DEFAULTS, 0, all, 0, DEFAULTS.length);
    System.arraycopy(args, 0, all, DEFAULTS.length, args.length);
    SpringApplication.run(SpringChatApp.class, all);
  }

  /** Greets the session's principal: wsauth's identity. */
  static final class ChatHandler extends TextWebSocketHandler {
    @Override
    public void afterConnectionEstablished(WebSocketSession session) throws IOException {
      session.sendMessage(new TextMessage("hello " + session.getPrincipal().getName()));
    }
  }

  /** Style 1, a WebSocketHandler: one call. */
  @Configuration
  @EnableWebSocket
  static class Sockets implements WebSocketConfigurer {
    @Autowired
    WsAuthWebSocket wsauth;

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
      wsauth.register(registry, new ChatHandler(), "/chat");
    }
  }

  /** Style 2, a {@code @ServerEndpoint} bean: one annotation attribute. */
  @Component
  @ServerEndpoint(value = "/echo", configurator = WsAuthSpringConfigurator.class)
  public static class EchoEndpoint {
    /** Greets the session's principal. */
    @OnOpen
    public void onOpen(Session session) throws IOException {
      session.getBasicRemote().sendText("hello " + session.getUserPrincipal().getName());
    }
  }

  /** Style 3, STOMP: nothing wsauth-specific (the CONNECT frame carries {@code Authorization: Bearer ...}). */
  @Configuration
  @EnableWebSocketMessageBroker
  static class Stomp implements WebSocketMessageBrokerConfigurer {
    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
      registry.addEndpoint("/stomp");
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
      registry.setApplicationDestinationPrefixes("/app").enableSimpleBroker("/topic");
    }
  }

  /** Answers STOMP messages with the sender's name. */
  @Controller
  public static class Greeter {
    /** The greeting for the authenticated sender. */
    @MessageMapping("/hello")
    @SendTo("/topic/hello")
    public String hello(Principal user) {
      return "hello " + user.getName();
    }
  }

  /** The demo's token endpoint (see the class comment). */
  @RestController
  public static class Tokens {
    @Autowired
    TokenIssuer issuer;

    /** A fresh single-use token for {@code user}. */
    @PostMapping("/token")
    public String token(@RequestParam("user") String user) {
      return issuer.issue(user).value();
    }
  }
}
