package io.github.wsauth.netty;

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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        .handshakeAuthenticator(tokens.handshake().build())
        .clock(tokens.clock).build();
    server = TestServer.start(config, TestServer.Mode.UPGRADE);
  }

  @AfterAll
  void stop() throws InterruptedException {
    server.close();
  }

  /** {@code %s} is the token. */
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"token=%s&x=%%ZZ", "token=%s&x=%%", "token=%s&x=%%1", "token=%s&x=%%%%", "token=%s&%%%%",
      "x=%%ZZ&token=%s", "x=%%&token=%s", "x=%%1&token=%s", "x=%%%%&token=%s", "token=%s&x=%%FF"})
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

  /** One upgrade request over a fresh socket; the answer's head and its body, or the application's greeting. */
  private Response upgrade(String target) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + server.port() + "\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + "Origin: " + TestTokens.APP_ORIGIN + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = readHead(in);
      Response r = new Response(head, "");
      if (r.status() == 101) {
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
