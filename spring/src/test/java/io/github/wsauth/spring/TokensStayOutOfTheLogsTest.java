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
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;

/**
 * "Logs belong to the whole server": with Spring's web, WebSocket and messaging logging at TRACE (less the
 * loggers docs/SPRING.md says to keep below it: the handshake handler's and the STOMP codec's header dumps) and
 * wsauth's at TRACE, a token in any location (query, Bearer, subprotocol, cookie, STOMP {@code CONNECT}) never
 * reaches the application's log. Before, the query token was in Spring's request line (DispatcherServlet, TRACE), in every
 * session's {@code toString()} ({@code LoggingWebSocketHandlerDecorator}, DEBUG), and Spring's handshake handler
 * dumped the {@code Authorization} header at TRACE under a wsauth logger name.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestPropertySource(properties = {
    "logging.level.org.springframework.web=TRACE",
    "logging.level.org.springframework.web.socket.server.support=DEBUG",
    "logging.level.org.springframework.messaging=TRACE",
    "logging.level.org.springframework.messaging.simp.stomp=DEBUG",
    "logging.level.org.springframework.web.SimpLogging=DEBUG",
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
    String stompBearer = token("stella");
    String stompToken = token("stu");
    for (String[] header : List.of(new String[] {"Authorization", "Bearer " + stompBearer},
        new String[] {WsAuthStompInterceptor.TOKEN_HEADER, stompToken})) {
      WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient());
      client.setMessageConverter(new StringMessageConverter());
      StompHeaders connect = new StompHeaders();
      connect.add(header[0], header[1]);
      StompSession session = client.connectAsync(ws("/stomp").toString(), new WebSocketHttpHeaders(), connect,
          new StompSessionHandlerAdapter() { }).get(10, TimeUnit.SECONDS);
      session.send("/app/whoami", "hi");
      session.disconnect();
    }
    String log = output.getAll();
    for (String token : List.of(query, queryEndpoint, bearer, subprotocol, cookie, stompBearer, stompToken)) {
      assertThat(log.lines().filter(line -> line.contains(token)).toList()).as("lines holding a token").isEmpty();
    }
    assertThat(log).as("the logging under test is on: Spring's request line and session lines, masked")
        .contains("GET \"/hs/annotated?room=r1&token=***\"").contains("/hs/annotated?room=r1&token=***]")
        .contains("LoggingWebSocketHandlerDecorator");
  }
}
