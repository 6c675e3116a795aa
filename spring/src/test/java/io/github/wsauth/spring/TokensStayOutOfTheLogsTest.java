package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.wsauth.scenarios.UpgradeScenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;

/**
 * "Logs belong to the whole server": with Spring's web and WebSocket logging at TRACE (less the one logger
 * docs/SPRING.md says to keep below it) and wsauth's at TRACE, a token in any location never reaches the
 * application's log. Before, the query token was in Spring's request line (DispatcherServlet, TRACE), in every
 * session's {@code toString()} ({@code LoggingWebSocketHandlerDecorator}, DEBUG), and Spring's handshake handler
 * dumped the {@code Authorization} header at TRACE under a wsauth logger name.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
    "logging.level.org.springframework.web=TRACE",
    "logging.level.org.springframework.web.socket.server.support=DEBUG",
    "logging.level.org.springframework.messaging=TRACE",
    "logging.level.io.github.wsauth=TRACE"})
class TokensStayOutOfTheLogsTest extends AppTestBase {

  private void connect(String pathAndQuery, Consumer<WebSocket.Builder> credential) throws Exception {
    FirstText listener = new FirstText();
    WebSocket.Builder b = http().newWebSocketBuilder();
    credential.accept(b);
    WebSocket ws = b.buildAsync(ws(pathAndQuery), listener).get(10, TimeUnit.SECONDS);
    assertThat(listener.await()).startsWith("principal=");
    ws.sendClose(1000, "").get(5, TimeUnit.SECONDS);
  }

  @Test
  void noTokenInAnyLocation_reachesTheLog_withSpringsWebLoggingAtTrace(CapturedOutput output) throws Exception {
    String query = token("quinn");
    String queryEndpoint = token("quentin");
    String bearer = token("bea");
    String subprotocol = token("sue");
    String cookie = token("cody");
    connect(UpgradeScenarios.PATH + "?room=r1&token=" + query, b -> { });
    FirstText endpoint = new FirstText();
    http().newWebSocketBuilder().buildAsync(ws("/endpoint?token=" + queryEndpoint), endpoint)
        .get(10, TimeUnit.SECONDS).sendClose(1000, "");
    endpoint.await();
    connect(UpgradeScenarios.PATH, b -> b.header("Authorization", "Bearer " + bearer));
    connect(UpgradeScenarios.PATH, b -> b.subprotocols("chat", "authorization.bearer." + subprotocol));
    connect(UpgradeScenarios.PATH,
        b -> b.header("Cookie", "wsauth=" + cookie).header("Origin", "https://app.example"));
    String log = output.getAll();
    for (String token : List.of(query, queryEndpoint, bearer, subprotocol, cookie)) {
      assertThat(log.lines().filter(line -> line.contains(token)).toList()).as("lines holding a token").isEmpty();
    }
    assertThat(log).as("the logging under test is on: Spring's request line and session lines, masked")
        .contains("GET \"/hs/annotated?room=r1&token=***\"").contains("/hs/annotated?room=r1&token=***]")
        .contains("LoggingWebSocketHandlerDecorator");
  }
}
