package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.wsauth.scenarios.RawUpgrade;
import io.github.wsauth.scenarios.RawUpgrade.Response;

/**
 * Issue 13, item 6 on a real Netty server (4.2, and 4.1 in the netty41 execution) over a raw socket: a query that
 * does not decode, before or after a valid unused token, is refused with 400 {@code invalid_request} before the
 * token is verified, nothing reaches the application, and the same token works afterwards.
 */
@ExtendWith(LeakDetection.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedQuerySocketTest {
  private final TestTokens tokens = new TestTokens();
  private TestServer server;

  @BeforeAll
  void start() throws InterruptedException {
    WsAuthConfig config = WsAuthConfig.builder().websocketPath("/ws")
        .handshake(tokens.handshake().build())
        .clock(tokens.clock).build();
    server = TestServer.start(config, TestServer.Mode.UPGRADE);
  }

  @AfterAll
  void stop() throws InterruptedException {
    server.close();
  }

  /** {@code %s} is the token. */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("io.github.wsauth.scenarios.RawUpgrade#malformedQueries")
  void malformedQueryAroundValidToken_is400InvalidRequest_nothingConsumed(String template) throws Exception {
    String token = tokens.issue("mallory");

    Response refused = upgrade("/ws?" + String.format(Locale.ROOT, template, token));
    assertThat(refused.status()).as(refused.head()).isEqualTo(400);
    assertThat(refused.headers("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"wsauth\", error=\"invalid_request\"");
    assertThat(refused.body()).isEqualTo("malformed query string\n");
    assertThat(tokens.store.isUnused(token)).as("nothing consumed").isTrue();

    // The same token, in a well-formed query, is accepted: the application greets its subject.
    Response accepted = upgrade("/ws?token=" + token + "&x=1");
    assertThat(accepted.status()).as(accepted.head()).isEqualTo(101);
    assertThat(accepted.body()).isEqualTo("hello mallory QUERY_PARAMETER -");
    assertThat(server.appFrames).isEmpty();
  }

  private Response upgrade(String target) throws IOException {
    return RawUpgrade.upgrade(server.port(), "127.0.0.1:" + server.port(), target, TestTokens.APP_ORIGIN);
  }
}
