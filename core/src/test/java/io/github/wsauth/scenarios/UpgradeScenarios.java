package io.github.wsauth.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenVerifier;
import org.junit.jupiter.api.DynamicTest;

/**
 * The one scenario table every adapter runs (issue 14): the requests of {@code upgrade-scenarios.txt} (data, not
 * code) sent over a real socket to a real server, and the status, headers and body it answers compared with the
 * table. Same input, same answer, on Netty 4.1/4.2, Tomcat and Jetty alike. The table's format is described at
 * its top.
 *
 * <p>Each adapter's test starts its server with {@link #authenticator(TokenVerifier)} at {@link #PATH} and
 * returns {@link #tests(Server)} from a {@code @TestFactory}.
 */
public final class UpgradeScenarios {
  /** The endpoint path every server under test serves. */
  public static final String PATH = "/hs/annotated";
  /** The one allowed origin. */
  public static final String ORIGIN = "https://app.example";
  /** The application subprotocol. */
  public static final String PROTOCOL = "chat";
  /** A syntactically valid {@code Sec-WebSocket-Key} (RFC 6455 §1.3). */
  static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  /** Headers a server adds by itself, or that only frame the body: never compared. */
  private static final Set<String> IGNORED = Set.of("date", "server", "content-length", "transfer-encoding");

  private UpgradeScenarios() {}

  /** What the table needs from the server under test. */
  public interface Server {
    /** The server's port on 127.0.0.1. */
    int port();

    /** A fresh, valid, unused token of {@code subject} from the server's store. */
    String issue(String subject);

    /** Takes the server's token store down (every call throws) or brings it back. */
    void storeDown(boolean down);
  }

  /** A {@link Server} from its parts. */
  public static Server server(IntSupplier port, UnaryOperator<String> issue, Consumer<Boolean> storeDown) {
    return new Server() {
      @Override
      public int port() {
        return port.getAsInt();
      }

      @Override
      public String issue(String subject) {
        return issue.apply(subject);
      }

      @Override
      public void storeDown(boolean down) {
        storeDown.accept(down);
      }
    };
  }

  /**
   * The handshake authenticator every server under test uses: every credential location, {@link #ORIGIN} only,
   * subprotocol {@link #PROTOCOL}, realm {@code test}.
   */
  public static HandshakeAuthenticator authenticator(TokenVerifier verifier) {
    return HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(), CredentialExtractor.basicHeader(),
            CredentialExtractor.queryParameter("token"), CredentialExtractor.cookie("wsauth"),
            CredentialExtractor.subprotocol()))
        .verifier(verifier)
        .originPolicy(OriginPolicy.allowOnly(ORIGIN))
        .subprotocols(List.of(PROTOCOL))
        .realm("test")
        .build();
  }

  /** One dynamic test per scenario of the table, against {@code server}. */
  public static Stream<DynamicTest> tests(Server server) {
    return load().stream().map(s -> DynamicTest.dynamicTest(s.name, () -> run(server, s)));
  }

  /** The table's scenarios. */
  static List<Scenario> load() {
    String text;
    try (InputStream in = UpgradeScenarios.class.getResourceAsStream("upgrade-scenarios.txt")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Scenario> all = new ArrayList<>();
    Scenario current = null;
    for (String raw : text.split("\n", -1)) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.indexOf(':');
      String key = line.substring(0, colon);
      String value = line.substring(colon + 1).strip();
      if (key.equals("scenario")) {
        current = new Scenario(value);
        all.add(current);
        continue;
      }
      switch (key) {
        case "request" -> current.requestLine = value;
        case "set" -> current.set.add(value);
        case "add" -> current.add.add(value);
        case "omit" -> current.omit.add(value.toLowerCase(Locale.ROOT));
        case "store" -> current.storeDown = value.equals("down");
        case "status" -> current.status = Integer.parseInt(value);
        case "header" -> current.headers.add(value);
        case "body" -> current.body = value.replace("\\n", "\n");
        default -> throw new IllegalStateException("unknown key in the scenario table: " + key);
      }
    }
    return all;
  }

  /** A row of the table. */
  static final class Scenario {
    final String name;
    String requestLine;
    final List<String> set = new ArrayList<>();
    final List<String> add = new ArrayList<>();
    final List<String> omit = new ArrayList<>();
    boolean storeDown;
    int status;
    final List<String> headers = new ArrayList<>();
    String body = "";

    Scenario(String name) {
      this.name = name;
    }
  }

  private static void run(Server server, Scenario s) throws IOException {
    String token = server.issue("alice");
    String unknown = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes());
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"Host", "127.0.0.1:" + server.port()});
    headers.add(new String[] {"Upgrade", "websocket"});
    headers.add(new String[] {"Connection", "Upgrade"});
    headers.add(new String[] {"Sec-WebSocket-Key", KEY});
    headers.add(new String[] {"Sec-WebSocket-Version", "13"});
    headers.add(new String[] {"Origin", ORIGIN});
    for (String line : s.set) {
      String[] h = split(line);
      headers.removeIf(e -> e[0].equalsIgnoreCase(h[0]));
      headers.add(h);
    }
    for (String line : s.add) {
      headers.add(split(line));
    }
    headers.removeIf(e -> s.omit.contains(e[0].toLowerCase(Locale.ROOT)));
    StringBuilder request = new StringBuilder(s.requestLine).append(" HTTP/1.1\r\n");
    for (String[] h : headers) {
      request.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    String wire = request.append("\r\n").toString().replace("{token}", token).replace("{unknown}", unknown);
    Response response;
    server.storeDown(s.storeDown);
    try {
      response = exchange(server.port(), wire);
    } finally {
      server.storeDown(false);
    }
    assertThat(response.status).as("%s: status", s.name).isEqualTo(s.status);
    if (s.status == 101) {
      // An accepted upgrade: the table names what must be there; the framework adds its own (e.g. the accept).
      for (String expected : s.headers) {
        assertThat(response.headers).as("%s: headers", s.name).contains(normalize(expected));
      }
      return;
    }
    assertThat(response.headers).as("%s: headers (all of them, but %s)", s.name, IGNORED)
        .containsExactlyElementsOf(sorted(s.headers.stream().map(UpgradeScenarios::normalize).toList()));
    assertThat(response.body).as("%s: body", s.name).isEqualTo(s.body);
    assertThat(response.body).as("%s: no secret in the body", s.name).doesNotContain(token);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static String[] split(String line) {
    int colon = line.indexOf(':');
    return new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()};
  }

  /** {@code name: value} with the name lowercased (names are case-insensitive, RFC 9110 §5.1). */
  private static String normalize(String line) {
    String[] h = split(line);
    return h[0].toLowerCase(Locale.ROOT) + ": " + h[1];
  }

  /** Sorted by name; the order of the values of one name (e.g. two challenges) is kept. */
  private static List<String> sorted(List<String> headers) {
    return headers.stream().sorted(Comparator.comparing((String h) -> h.substring(0, h.indexOf(':')))).toList();
  }

  private record Response(int status, List<String> headers, String body) {}

  private static Response exchange(int port, String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = readLine(in);
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      List<String> headers = new ArrayList<>();
      int length = -1;
      for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
        String h = normalize(line);
        if (h.startsWith("content-length:")) {
          length = Integer.parseInt(h.substring(15).strip());
        }
        if (!IGNORED.contains(h.substring(0, h.indexOf(':')))) {
          headers.add(h);
        }
      }
      if (status == 101) {
        return new Response(status, headers, "");
      }
      byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
      return new Response(status, sorted(headers), new String(body, StandardCharsets.UTF_8));
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed in the response head");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
