package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import io.github.wsauth.scenarios.UpgradeScenarios;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Micrometer counters and timer from a real upgrade; Spring Security next to wsauth. */
class MetricsAndSecurityTest extends AppTestBase {
  @Autowired
  MeterRegistry registry;

  private double decisions(String outcome, String reason, String source) {
    Counter c = registry.find(MicrometerAuthListener.DECISIONS).tag("stage", "handshake").tag("outcome", outcome)
        .tag("reason", reason).tag("source", source).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void decisionsAreCountedByOutcomeReasonAndSourceAndNoTagHoldsATokenOrSubject() throws Exception {
    String subject = "metrics-subject-" + System.nanoTime();
    String token = issuer.issue(subject).value();
    double accepted = decisions("accepted", "accepted", "authorization_bearer");
    double unknown = decisions("rejected", "unknown token", "query_parameter");
    double missing = decisions("rejected", "credentials required", "none");
    long timed = timerCount("verified");

    FirstText listener = new FirstText();
    http().newWebSocketBuilder().header("Authorization", "Bearer " + token)
        .buildAsync(ws(UpgradeScenarios.PATH), listener).get(10, TimeUnit.SECONDS);
    listener.await();
    assertThatThrownBy(() -> http().newWebSocketBuilder().buildAsync(
        ws(UpgradeScenarios.PATH + "?token=" + EndpointAndStompTest.unknownToken()), new FirstText())
        .get(10, TimeUnit.SECONDS));
    assertThatThrownBy(() -> http().newWebSocketBuilder().buildAsync(ws(UpgradeScenarios.PATH), new FirstText())
        .get(10, TimeUnit.SECONDS));

    assertThat(decisions("accepted", "accepted", "authorization_bearer")).isEqualTo(accepted + 1);
    assertThat(decisions("rejected", "unknown token", "query_parameter")).isEqualTo(unknown + 1);
    assertThat(decisions("rejected", "credentials required", "none")).isEqualTo(missing + 1);
    assertThat(timerCount("verified")).isEqualTo(timed + 1);
    for (Meter m : registry.getMeters()) {
      if (m.getId().getName().startsWith("wsauth.")) {
        for (Tag t : m.getId().getTags()) {
          assertThat(t.getValue()).as(m.getId().toString()).doesNotContain(token).doesNotContain(subject);
        }
      }
    }
  }

  @Test
  void aStompConnectIsCountedAsAFirstMessageDecision() throws Exception {
    Counter before = registry.find(MicrometerAuthListener.DECISIONS).tag("stage", "first_message")
        .tag("outcome", "accepted").tag("source", "first_message").counter();
    double count = before == null ? 0 : before.count();
    var client = new org.springframework.web.socket.messaging.WebSocketStompClient(
        new org.springframework.web.socket.client.standard.StandardWebSocketClient());
    var connect = new org.springframework.messaging.simp.stomp.StompHeaders();
    connect.add("Authorization", "Bearer " + token("peggy"));
    var session = client.connectAsync(ws("/stomp").toString(), new org.springframework.web.socket.WebSocketHttpHeaders(),
        connect, new org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter() { })
        .get(10, TimeUnit.SECONDS);
    assertThat(registry.find(MicrometerAuthListener.DECISIONS).tag("stage", "first_message")
        .tag("outcome", "accepted").tag("source", "first_message").counter().count()).isEqualTo(count + 1);
    session.disconnect();
  }

  private long timerCount(String outcome) {
    Timer t = registry.find(MicrometerAuthListener.VERIFICATION).tag("outcome", outcome).timer();
    return t == null ? 0 : t.count();
  }

  @Test
  void theCounterIsVisibleAtActuatorMetrics() throws Exception {
    FirstText listener = new FirstText();
    http().newWebSocketBuilder().header("Authorization", "Bearer " + token("oscar"))
        .buildAsync(ws(UpgradeScenarios.PATH), listener).get(10, TimeUnit.SECONDS);
    listener.await();
    HttpResponse<String> response = http().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/actuator/metrics/" + MicrometerAuthListener.DECISIONS)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (SECURITY) {
      // Spring Security's default chain protects the actuator: wsauth does not open it.
      assertThat(response.statusCode()).isEqualTo(401);
    } else {
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("\"name\":\"wsauth.auth.decisions\"").contains("\"outcome\"");
    }
  }

  @Test
  void springSecurityStillGuardsTheRestOfTheApplicationButNotTheWebSocketPaths() throws Exception {
    HttpResponse<String> other = http().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/something-else")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(SECURITY ? 401 : 404);
    // The upgrade: neither blocked nor authenticated twice (Security's Basic filter would refuse these
    // credentials), and the principal is wsauth's identity in both set-ups.
    String basic = java.util.Base64.getEncoder().encodeToString(("alice:" + token("alice"))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    FirstText listener = new FirstText();
    http().newWebSocketBuilder().header("Authorization", "Basic " + basic)
        .buildAsync(ws(UpgradeScenarios.PATH), listener).get(10, TimeUnit.SECONDS);
    assertThat(listener.await()).isEqualTo("principal=alice identity=true attribute=true");
  }
}
