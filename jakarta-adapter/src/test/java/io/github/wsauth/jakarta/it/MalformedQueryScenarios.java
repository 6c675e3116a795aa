package io.github.wsauth.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.wsauth.scenarios.RawUpgrade;
import io.github.wsauth.scenarios.RawUpgrade.Response;

/**
 * Issue 13, item 6, on a real container over a raw socket (the JDK clients refuse to send {@code %ZZ}): a query
 * that does not decode, before or after a valid unused token, is refused with 400 {@code invalid_request} before
 * the token is verified; the endpoint never runs, the store is never asked, and the same token works afterwards.
 * Subclasses only say how to start their container and what body it writes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class MalformedQueryScenarios {
  private Fixture fixture;
  private ServerHarness harness;
  private int port;

  /** The container under test. */
  protected abstract ServerHarness harness();

  /**
   * The body of the 400 on this container: the filter writes the public reason; standalone Tyrus answers from the
   * configurator with no body.
   */
  protected abstract String expectedBody();

  @BeforeAll
  void startServer() throws Exception {
    fixture = Fixture.create();
    harness = harness();
    port = harness.start(fixture.deployment());
  }

  @AfterAll
  void stopServer() throws Exception {
    harness.stop();
  }

  @BeforeEach
  void reset() {
    Recorder.reset();
    fixture.store.down(false);
  }

  /** {@code %s} is the token. */
  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("io.github.wsauth.scenarios.RawUpgrade#malformedQueries")
  void malformedQueryAroundValidToken_is400InvalidRequest_nothingConsumed(String template) throws Exception {
    String token = fixture.issuer.issue("mallory").value();
    int consumesBefore = fixture.store.consumes();

    Response refused = upgrade("/hs/annotated?" + String.format(Locale.ROOT, template, token));
    assertThat(refused.status()).as(refused.head()).isEqualTo(400);
    assertThat(refused.headers("WWW-Authenticate")).containsExactly("Bearer realm=\"test\", error=\"invalid_request\"");
    assertThat(refused.body()).isEqualTo(expectedBody());
    assertThat(Recorder.opens()).as("the endpoint never runs").isZero();
    assertThat(fixture.store.consumes()).as("the store is never asked").isEqualTo(consumesBefore);

    // The token was not used up: the same token, in a well-formed query, opens the endpoint.
    Response accepted = upgrade("/hs/annotated?token=" + token + "&x=1");
    assertThat(accepted.status()).as(accepted.head()).isEqualTo(101);
    assertThat(accepted.body()).isEqualTo("hello subject=mallory source=QUERY_PARAMETER protocol=-");
    assertThat(fixture.store.consumes()).isGreaterThan(consumesBefore);
  }

  private Response upgrade(String target) throws IOException {
    return RawUpgrade.upgrade(port, "localhost:" + port, target, Fixture.ORIGIN);
  }
}
