package io.github.wsauth.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
  @ValueSource(strings = {"token=%s&x=%%ZZ", "token=%s&x=%%", "token=%s&x=%%1", "token=%s&x=%%%%", "token=%s&%%%%",
      "x=%%ZZ&token=%s", "x=%%&token=%s", "x=%%1&token=%s", "x=%%%%&token=%s", "token=%s&x=%%FF"})
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

  /** One upgrade request over a fresh socket; the answer's head and its body, or the endpoint's greeting. */
  private Response upgrade(String target) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Origin: " + Fixture.ORIGIN + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      Response r = new Response(head, "");
      if (r.status() == 101) {
        // The endpoint's greeting (one short unmasked text frame), so its onOpen has run before the next case.
        int opcode = in.read();
        int length = in.read();
        if (opcode != 0x81 || length < 0 || length > 125) {
          return new Response(head, "no greeting (opcode " + opcode + ", length " + length + ")");
        }
        return new Response(head, new String(in.readNBytes(length), StandardCharsets.UTF_8));
      }
      List<String> length = r.headers("Content-Length");
      byte[] body = length.isEmpty() ? in.readAllBytes() : in.readNBytes(Integer.parseInt(length.get(0).strip()));
      return new Response(head, new String(body, StandardCharsets.UTF_8));
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before the end of the head: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** An HTTP answer. */
  private record Response(String head, String body) {
    int status() {
      return Integer.parseInt(head.substring(9, 12));
    }

    List<String> headers(String name) {
      List<String> values = new ArrayList<>();
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          values.add(line.substring(colon + 1).strip());
        }
      }
      return values;
    }
  }
}
