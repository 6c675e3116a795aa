package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.github.wsauth.jakarta.jetty.ExtendedConnectClient;
import io.github.wsauth.jakarta.jetty.ExtendedConnectClient.Exchange;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.Revoker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The test application on Spring Boot's Jetty 12 (ee11) with {@code server.http2.enabled} (h2c), where Spring
 * upgrades a WebSocket over HTTP/2 (RFC 8441): an extended {@code CONNECT} with {@code :protocol websocket} and no
 * {@code Upgrade} header, as Firefox and Chrome send it when Jetty allows it (its default). Driven by Jetty's HTTP/2
 * client writing exactly those frames ({@link ExtendedConnectClient}, from wsauth-jakarta's tests). wsauth's filter
 * authenticates such a handshake (the {@code :protocol} read from Jetty's ee11 request) and the handshake
 * interceptor hands its decision to the Spring session: the WebSocketHandler style opens with the identity as the
 * principal and the attribute, 401 and 403 come before the upgrade, and the sessions of both styles are registered
 * for their lifetime (revocation closes them); STOMP over HTTP/2 authenticates its {@code CONNECT} frame. Runs in the surefire execution {@code jetty}
 * (Tomcat and Spring Security off the class path).
 */
@TestPropertySource(properties = "server.http2.enabled=true")
class WebSocketOverHttp2JettyTest extends AppTestBase {
  private static final String ORIGIN = "https://app.example";

  @Autowired
  ConnectionRegistry registry;
  @Autowired
  Revoker revoker;
  private ExtendedConnectClient h2;

  @BeforeEach
  void client() throws Exception {
    h2 = new ExtendedConnectClient();
  }

  @AfterEach
  void stop() throws Exception {
    h2.close();
  }

  @Test
  void theApplicationRunsOnJetty() {
    assertThat(((WebServerApplicationContext) context).getWebServer()).isInstanceOf(JettyWebServer.class);
  }

  @ParameterizedTest(name = "{0}, the token in the {1}")
  @CsvSource({
      "/hs/annotated, header, principal=alice identity=true attribute=true",
      "/hs/annotated, query, principal=alice identity=true attribute=true",
      "/endpoint, header, principal=alice identity=alice autowired=true"})
  void aValidToken_opensWith200_andTheSessionHasTheIdentity(String path, String where, String greeting)
      throws Exception {
    String token = token("alice");
    Exchange exchange = where.equals("query") ? connect(path + "?token=" + token, Map.of())
        : connect(path, Map.of("Authorization", "Bearer " + token));

    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.nextText()).isEqualTo(greeting);
  }

  @Test
  void handlerStyle_noToken_is401WithTheChallenge() throws Exception {
    Exchange exchange = connect("/hs/annotated", Map.of());

    assertThat(exchange.status()).isEqualTo(401);
    assertThat(exchange.headerValues("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"test\"", "Basic realm=\"test\", charset=\"UTF-8\"");
  }

  @Test
  void handlerStyle_aSpentToken_is401() throws Exception {
    String token = token("carol");
    assertThat(connect("/hs/annotated", Map.of("Authorization", "Bearer " + token)).status()).isEqualTo(200);

    Exchange replay = connect("/hs/annotated", Map.of("Authorization", "Bearer " + token));

    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.body()).isEqualTo("token already used\n");
  }

  @Test
  void handlerStyle_aForeignOrigin_is403_andTheTokenStillOpens() throws Exception {
    String token = token("dave");
    Exchange foreign = connect("/hs/annotated", Map.of("Authorization", "Bearer " + token,
        "Origin", "https://evil.example"));

    assertThat(foreign.status()).isEqualTo(403);
    Exchange exchange = connect("/hs/annotated", Map.of("Authorization", "Bearer " + token));
    assertThat(exchange.status()).isEqualTo(200);
    assertThat(exchange.nextText()).isEqualTo("principal=dave identity=true attribute=true");
  }

  @Test
  void sessionsOpenedOverHttp2_areRegistered_andRevokingTheirSubjectClosesThemWith4410() throws Exception {
    Exchange handler = connect("/hs/annotated", Map.of("Authorization", "Bearer " + token("frank")));
    Exchange endpoint = connect("/endpoint", Map.of("Authorization", "Bearer " + token("frank")));
    assertThat(handler.nextText()).startsWith("principal=frank ");
    assertThat(endpoint.nextText()).startsWith("principal=frank ");
    assertThat(registry.bySubject("frank")).hasSize(2);

    assertThat(revoker.revokeSubject("frank")).isEqualTo(2);

    assertThat(handler.nextCloseCode()).isEqualTo(Revoker.DEFAULT_CLOSE_CODE);
    assertThat(endpoint.nextCloseCode()).isEqualTo(Revoker.DEFAULT_CLOSE_CODE);
  }

  @Test
  void stompOverHttp2_aValidTokenInConnect_isTheSendersPrincipal() throws Exception {
    Exchange stomp = stomp();
    assertThat(stomp.status()).isEqualTo(200);

    stomp.sendText("CONNECT\naccept-version:1.2\nhost:localhost\ntoken:" + token("heidi") + "\n\n\0");
    assertThat(stomp.nextText()).startsWith("CONNECTED\n");
    stomp.sendText("SUBSCRIBE\nid:0\ndestination:/topic/whoami\n\n\0");
    stomp.sendText("SEND\ndestination:/app/whoami\n\nhi\0");

    assertThat(stomp.nextText()).startsWith("MESSAGE\n").endsWith("\n\nprincipal=heidi identity=true body=hi\0");
  }

  @Test
  void stompOverHttp2_anUnknownTokenInConnect_isAnErrorFrame_thenTheClose() throws Exception {
    Exchange stomp = stomp();
    assertThat(stomp.status()).isEqualTo(200);

    stomp.sendText("CONNECT\naccept-version:1.2\nhost:localhost\ntoken:" + EndpointAndStompTest.unknownToken()
        + "\n\n\0");

    assertThat(stomp.nextText()).startsWith("ERROR\n").contains("message:unknown token");
    assertThat(stomp.nextCloseCode()).isEqualTo(1002);
  }

  /**
   * An extended CONNECT to the STOMP endpoint without an {@code Origin} (the test application's STOMP endpoint keeps
   * Spring's same-origin default, which is not wsauth's to decide; {@code EndpointAndStompTest}'s JDK client sends
   * none either).
   */
  private Exchange stomp() throws Exception {
    return h2.open(port, "/stomp", "websocket", Map.of("Sec-WebSocket-Protocol", "v12.stomp"));
  }

  /** An extended CONNECT of {@code websocket} from {@link #ORIGIN} unless {@code headers} says otherwise. */
  private Exchange connect(String pathAndQuery, Map<String, String> headers) throws Exception {
    Map<String, String> all = new java.util.LinkedHashMap<>(Map.of("Origin", ORIGIN));
    all.putAll(headers);
    return h2.open(port, pathAndQuery, "websocket", all);
  }
}
