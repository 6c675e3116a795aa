package io.github.wsauth.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.io.TempDir;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.store.TokenStore;

/**
 * What the browser tests against a server with HTTP/2 over TLS share: the page, the scripts that open WebSockets
 * from it, a self-signed certificate, the token store and issuer, the handshakes the server answered, and the four
 * handshakes each server is put through.
 */
abstract class Http2Pages {
  /** The page the browsers load (over HTTP/2) before they open WebSockets. */
  static final String PAGE = "<!doctype html><html><head><meta charset=utf-8><title>wsauth h2</title>"
      + "<link rel=icon href=data:,></head><body><p>wsauth over HTTP/2</p></body></html>";
  /** Opens a WebSocket to args[0] and resolves to its first message, or to how it closed. */
  static final String OPEN = String.join("\n",
      "const ws = new WebSocket(args[0]);",
      "window.sockets = (window.sockets || []).concat([ws]);",
      "return await new Promise(resolve => {",
      "  ws.onmessage = e => resolve('message: ' + e.data);",
      "  ws.onclose = e => resolve('closed: ' + e.code);",
      "  setTimeout(() => resolve('timeout'), 10000);",
      "});");
  /** As {@link #OPEN}, and sends {@code {"token": args[1]}} as the first message once open. */
  static final String OPEN_AND_SEND = String.join("\n",
      "const ws = new WebSocket(args[0]);",
      "ws.onopen = () => ws.send(JSON.stringify({token: args[1]}));",
      "return await new Promise(resolve => {",
      "  ws.onmessage = e => resolve('message: ' + e.data);",
      "  ws.onclose = e => resolve('closed: ' + e.code);",
      "  setTimeout(() => resolve('timeout'), 10000);",
      "});");

  @TempDir
  Path dir;

  final Clock clock = Clock.systemUTC();
  final TokenStore store = TokenStore.inMemory(clock);
  final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
  /** Each request for a WebSocket path as the server answered it. */
  final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
  /** The server's port. */
  int port;

  /** A request for a WebSocket path as the server answered it: method, protocol and path; status; connection. */
  record Handshake(String request, int status, String connection) {}

  /**
   * The handshake configuration of the {@code /chat} endpoints: a single-use opaque token of {@code store} in the
   * query parameter {@code token}, from {@code origin} only.
   */
  static JakartaAuthConfig queryTokenConfig(TokenStore store, String origin) {
    return JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.queryParameter("token"))
        .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
        .originPolicy(OriginPolicy.allowOnly(origin))
        .build()).build();
  }

  /** Opens {@code origin}'s page and checks that it came over HTTP/2. */
  static void openThePageOverHttp2(HeadlessBrowser browser, String origin) throws IOException {
    browser.open(origin + "/");
    assertThat(browser.call("return performance.getEntriesByType('navigation')[0].nextHopProtocol;"))
        .as("the page came over HTTP/2").isEqualTo("h2");
  }

  /**
   * Opens the page of the server at {@link #port} over HTTP/2, then {@link #fourHandshakes} to its {@code /chat};
   * a failure shows the handshakes {@code server} answered so far.
   */
  void pageThenFourHandshakes(HeadlessBrowser browser, String server) throws IOException {
    openThePageOverHttp2(browser, "https://localhost:" + port);
    fourHandshakes(browser, "wss://localhost:" + port + "/chat", issuer,
        () -> server + "'s answers so far: " + handshakes);
  }

  /**
   * Checks the four handshakes {@code server} recorded for {@link #pageThenFourHandshakes}: each made as {@code how}
   * (method and protocol), answered {@code upgraded}, 401, 401, {@code upgraded}; records them in the browser matrix
   * and returns them.
   */
  List<Handshake> fourHandshakesWere(HeadlessBrowser browser, String server, String how, int upgraded)
      throws IOException {
    List<Handshake> chat = List.copyOf(handshakes);
    assertThat(chat).extracting(Handshake::request).as("how " + browser.kind() + " opens a WebSocket")
        .containsOnly(how + " /chat");
    assertThat(chat).extracting(Handshake::status).containsExactlyInAnyOrder(upgraded, 401, 401, upgraded);
    long connections = chat.stream().map(Handshake::connection).distinct().count();
    BrowserMatrix.recordLine(browser, "page over HTTP/2 from " + server + " with TLS, then 4 WebSockets",
        "each opened as " + how + " /chat" + (how.startsWith("CONNECT") ? " (RFC 8441)" : "") + ", on "
            + connections + " connection(s): " + upgraded + ", 401 (no token), 401 (spent token), " + upgraded);
    return chat;
  }

  /**
   * From the open page, four WebSockets to {@code chat} (a handshake-authenticated endpoint greeting its user): a
   * valid token in the query (opens), no token and the spent token (refused: the browser sees 1006), a fresh token
   * (opens), with the first WebSocket still open throughout.
   */
  static void fourHandshakes(HeadlessBrowser browser, String chat, TokenIssuer issuer, Supplier<String> answers)
      throws IOException {
    String alice = issuer.issue("alice").value();
    assertThat(browser.call(OPEN, chat + "?token=" + alice)).as(answers)
        .isEqualTo("message: " + HelloProtocol.hello("alice"));
    // Alice's WebSocket stays open while the next handshakes are judged on their own.
    assertThat(browser.call(OPEN, chat)).as(answers).isEqualTo("closed: 1006");
    assertThat(browser.call(OPEN, chat + "?token=" + alice)).as(answers).isEqualTo("closed: 1006");
    assertThat(browser.call(OPEN, chat + "?token=" + issuer.issue("bob").value())).as(answers)
        .isEqualTo("message: " + HelloProtocol.hello("bob"));
    assertThat(browser.call("return window.sockets.map(s => s.readyState).join(',');"))
        .as("alice's and bob's WebSockets open, the refused ones closed").isEqualTo("1,3,3,1");
  }

  /** A PKCS#12 key store (password {@code changeit}) with a self-signed EC certificate for localhost, by keytool. */
  static Path selfSignedKeyStore(Path dir) throws IOException, InterruptedException {
    Path keyStore = dir.resolve("localhost.p12");
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "localhost", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", "changeit")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !Files.exists(keyStore)) {
      throw new IOException("keytool failed: " + output);
    }
    return keyStore;
  }
}
