package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import io.github.wsauth.IssuedToken;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.scenarios.SwitchableTokenStore;
import io.github.wsauth.spring.app.TestApp;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/**
 * One real Spring Boot application (embedded Tomcat on an ephemeral port) shared by the test classes; with or without
 * Spring Security, by the surefire execution.
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "wsauth.credentials=authorization-bearer,authorization-basic,query-parameter,cookie,subprotocol",
        "wsauth.allowed-origins=https://app.example",
        "wsauth.subprotocols=chat",
        "wsauth.realm=test",
        "wsauth.stomp.paths=/stomp",
        "management.endpoints.web.exposure.include=metrics"})
abstract class AppTestBase {
  static final boolean SECURITY = Boolean.getBoolean("wsauth.test.security");

  @LocalServerPort
  int port;
  @Autowired
  TokenIssuer issuer;
  @Autowired
  SwitchableTokenStore store;
  @Autowired
  ApplicationContext context;

  String token(String subject) {
    IssuedToken t = issuer.issue(subject);
    return t.value();
  }

  URI ws(String pathAndQuery) {
    return URI.create("ws://127.0.0.1:" + port + pathAndQuery);
  }

  @Test
  void springSecurityIsOnTheClassPathExactlyInItsExecution() {
    boolean present;
    try {
      Class.forName("org.springframework.security.web.FilterChainProxy");
      present = true;
    } catch (ClassNotFoundException e) {
      present = false;
    }
    assertThat(present).isEqualTo(SECURITY);
    assertThat(context.containsBean("springSecurityFilterChain")).isEqualTo(SECURITY);
  }

  /** A JDK WebSocket client that collects the first text message. */
  static final class FirstText implements WebSocket.Listener {
    final CompletableFuture<String> text = new CompletableFuture<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final StringBuilder all = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      all.append(data);
      if (last) {
        text.complete(all.toString());
        all.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    String await() throws Exception {
      return text.get(10, TimeUnit.SECONDS);
    }
  }

  static HttpClient http() {
    return HttpClient.newHttpClient();
  }
}
