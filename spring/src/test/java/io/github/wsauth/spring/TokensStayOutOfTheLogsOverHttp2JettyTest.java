package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.github.wsauth.jakarta.jetty.ExtendedConnectClient;
import io.github.wsauth.jakarta.jetty.ExtendedConnectClient.Exchange;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * {@link TokensStayOutOfTheLogsTest} over HTTP/2 on Spring Boot's Jetty 12: with Spring's web logging at TRACE and
 * wsauth's at TRACE, WebSockets opened with an extended {@code CONNECT} (RFC 8441) with the token in the query and
 * in {@code Authorization}, then reset by the client (Spring logs the session, its URI included, on open and on close), leave
 * no token in the application's log; the session's URI is logged with the query token masked. Over HTTP/2 the
 * request Spring sees is the filter's wrapper as over HTTP/1.1, and this pins it.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
    "server.http2.enabled=true",
    "logging.level.org.springframework.web=TRACE",
    "logging.level.org.springframework.web.socket.server.support=DEBUG",
    "logging.level.io.github.wsauth=TRACE"})
class TokensStayOutOfTheLogsOverHttp2JettyTest extends AppTestBase {

  @Test
  void noTokenReachesTheLog_whenWebSocketsOverHttp2_openAndAreReset(CapturedOutput output) throws Exception {
    String query = token("quinn");
    String queryEndpoint = token("quentin");
    String bearer = token("bea");
    try (ExtendedConnectClient h2 = new ExtendedConnectClient()) {
      for (Exchange exchange : List.of(
          h2.open(port, "/hs/annotated?room=r1&token=" + query, "websocket", Map.of("Origin", "https://app.example")),
          h2.open(port, "/endpoint?token=" + queryEndpoint, "websocket", Map.of("Origin", "https://app.example")),
          h2.open(port, "/hs/annotated", "websocket", Map.of("Origin", "https://app.example",
              "Authorization", "Bearer " + bearer)))) {
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.nextText()).startsWith("principal=");
      }
    } // the client stops: every stream is reset under its open WebSocket
    Awaitility.await().until(() -> output.getAll().split("\\] closed with CloseStatus", -1).length > 2);

    String log = output.getAll();
    for (String token : List.of(query, queryEndpoint, bearer)) {
      assertThat(log.lines().filter(line -> line.contains(token)).toList()).as("lines holding a token").isEmpty();
    }
    assertThat(log).as("the logging under test is on: Spring's request line and session lines, the query masked")
        .contains("CONNECT \"/hs/annotated?room=r1&token=***\"")
        .contains("JettyWebSocketSession[").contains("/hs/annotated?room=r1&token=***] closed with CloseStatus");
  }
}
