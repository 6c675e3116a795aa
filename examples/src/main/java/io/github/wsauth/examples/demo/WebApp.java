package io.github.wsauth.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.IssuedToken;
import io.github.wsauth.store.TokenStoreUnavailableException;

/**
 * The HTTP app on port 8000, standing for the web app the user is already logged in to: the username form
 * ({@code GET /}), the test page ({@code GET /demo?user=...}) and its script, the page's configuration ({@code GET
 * /config.json}: where each method's server is), the token endpoint ({@code POST /api/token}), "log out
 * everywhere" ({@code POST /api/logout}) and the last outcome of each server ({@code GET /api/events?method=...}).
 *
 * <p>A real app issues tokens for the user of its session; the demo trusts the {@code user} form field, since
 * logging in is not what it is about. The token and logout endpoints refuse requests whose {@code Origin} is another
 * site's.
 */
final class WebApp implements AutoCloseable {
  private static final String WEB = "/io/github/wsauth/examples/demo/web/";
  private static final int MAX_FORM_BYTES = 4096;
  private static final int MAX_USER_LENGTH = 64;

  private final HttpServer server;
  private final ExecutorService executor;
  private final String origin;

  private WebApp(HttpServer server, ExecutorService executor, String host) {
    this.server = server;
    this.executor = executor;
    this.origin = "http://" + host + ":" + server.getAddress().getPort();
  }

  /** Binds the app to the loopback address (not started yet: the servers need its origin first). */
  static WebApp bind(int port, String host) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
      AtomicInteger n = new AtomicInteger();
      ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "demo-app-" + n.incrementAndGet());
        t.setDaemon(true);
        return t;
      });
      server.setExecutor(executor);
      return new WebApp(server, executor, host);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the demo app to port " + port + ": " + e.getMessage(), e);
    }
  }

  /** {@code http://localhost:<port>}: the origin the WebSocket servers allow. */
  String origin() {
    return origin;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Adds the routes and starts serving. */
  void start(DemoTokens tokens, AuthLog log, String configJson) {
    server.createContext("/", exchange -> handle(exchange, () -> root(exchange)));
    server.createContext("/config.json", exchange -> handle(exchange, () -> {
      requireGet(exchange);
      send(exchange, 200, "application/json", configJson);
    }));
    server.createContext("/api/token", exchange -> handle(exchange, () -> token(exchange, tokens)));
    server.createContext("/api/logout", exchange -> handle(exchange, () -> logout(exchange, tokens)));
    server.createContext("/api/events", exchange -> handle(exchange, () -> events(exchange, log)));
    server.start();
  }

  private void root(HttpExchange exchange) throws IOException {
    requireGet(exchange);
    String path = exchange.getRequestURI().getRawPath();
    switch (path) {
      case "/":
        sendResource(exchange, "index.html", "text/html; charset=utf-8");
        break;
      case "/demo":
        sendResource(exchange, "demo.html", "text/html; charset=utf-8");
        break;
      case "/demo.js":
        sendResource(exchange, "demo.js", "text/javascript; charset=utf-8");
        break;
      case "/demo.css":
        sendResource(exchange, "demo.css", "text/css; charset=utf-8");
        break;
      case "/wsauth/wsauth.js":
        // wsauth's browser helper, shipped in wsauth-core under META-INF/resources/ (servlet containers serve
        // that folder of a jar as is; this plain HTTP server serves the one file the page needs).
        sendResource(exchange, "/META-INF/resources/wsauth/wsauth.js", "text/javascript; charset=utf-8");
        break;
      default:
        throw new HttpError(404, "not found");
    }
  }

  private void token(HttpExchange exchange, DemoTokens tokens) throws IOException {
    Map<String, String> form = userForm(exchange);
    String user = form.get("user");
    DemoTokens.Kind kind = DemoTokens.Kind.parse(form.get("kind"))
        .orElseThrow(() -> new HttpError(400, "kind must be opaque or jwt"));
    IssuedToken token;
    try {
      token = tokens.issue(user, kind);
    } catch (TokenStoreUnavailableException e) {
      throw new HttpError(503, "token store unavailable");
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, 200, "application/json", "{\"token\": " + Json.string(token.value()) + ", \"expires_in\": "
        + token.expiresInSeconds(tokens.clock()) + "}");
  }

  /**
   * {@code POST /api/logout}, {@code user=<name>}: log out everywhere. Revokes the user's outstanding tokens and
   * closes every live connection of the user on every demo server (4410 "authentication revoked"); answers {@code
   * {"closed": <n>}}. Protected as the token endpoint is: POST, a form, a valid user, no foreign {@code Origin} (a
   * page of another site must not log our user out).
   */
  private void logout(HttpExchange exchange, DemoTokens tokens) throws IOException {
    String user = userForm(exchange).get("user");
    int closed;
    try {
      closed = tokens.logOut(user);
    } catch (TokenStoreUnavailableException e) {
      throw new HttpError(503, "token store unavailable");
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, 200, "application/json", "{\"closed\": " + closed + "}");
  }

  /**
   * The checks of every endpoint that acts for a user ({@code /api/token}, {@code /api/logout}): POST, not from
   * another site's page (its {@code Origin}), a form whose {@code user} field is valid. Returns the form.
   */
  private Map<String, String> userForm(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      throw new HttpError(405, "use POST");
    }
    // A page of another site may POST a form here; it must not act for our user.
    List<String> origins = exchange.getRequestHeaders().getOrDefault("Origin", List.of());
    if (!origins.isEmpty() && !(origins.size() == 1 && origin.equals(origins.get(0)))) {
      throw new HttpError(403, "foreign origin");
    }
    Map<String, String> form = form(exchange);
    String user = form.get("user");
    if (user == null || user.isEmpty() || user.codePointCount(0, user.length()) > MAX_USER_LENGTH || !printable(user)
        || user.indexOf(':') >= 0) {
      throw new HttpError(400, "user must be 1 to " + MAX_USER_LENGTH
          + " printable characters without a colon (RFC 7617 user-ids have none)");
    }
    return form;
  }

  private void events(HttpExchange exchange, AuthLog log) throws IOException {
    requireGet(exchange);
    String query = exchange.getRequestURI().getRawQuery();
    Map<String, String> params = parseForm(query == null ? "" : query);
    AuthMethod method = AuthMethod.byId(params.getOrDefault("method", ""))
        .orElseThrow(() -> new HttpError(400, "unknown method"));
    Optional<AuthEvent> last = log.last(method);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, 200, "application/json", last.map(WebApp::eventJson).orElse("{}"));
  }

  static String eventJson(AuthEvent e) {
    return "{\"stage\": " + Json.string(e.stage().name()) + ", \"accepted\": " + e.accepted() + ", \"code\": "
        + e.code() + ", \"reason\": " + Json.string(e.reason()) + ", \"source\": "
        + Json.string(e.source().map(Enum::name).orElse("")) + "}";
  }

  private static Map<String, String> form(HttpExchange exchange) throws IOException {
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      throw new HttpError(415, "send application/x-www-form-urlencoded");
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_FORM_BYTES + 1);
    }
    if (body.length > MAX_FORM_BYTES) {
      throw new HttpError(413, "form too large");
    }
    String text = utf8(body);
    return parseForm(text);
  }

  /** Parses {@code a=1&b=2}; a repeated field is an error rather than a guess. */
  private static Map<String, String> parseForm(String text) {
    Map<String, String> out = new HashMap<>();
    if (text.isEmpty()) {
      return out;
    }
    for (String pair : text.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (out.put(name, value) != null) {
        throw new HttpError(400, "repeated form field");
      }
    }
    return out;
  }

  /** Form decoding ({@code +} is a space), strict: a bad escape or bytes that are not UTF-8 are an error. */
  private static String decode(String s) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (hi < 0 || lo < 0) {
          throw new HttpError(400, "bad percent-encoding");
        }
        bytes.write(hi << 4 | lo);
        i += 2;
      } else {
        int end = i;
        while (end < s.length() && s.charAt(end) != '%' && s.charAt(end) != '+') {
          end++;
        }
        bytes.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
      }
    }
    return utf8(bytes.toByteArray());
  }

  private static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new HttpError(400, "form is not UTF-8");
    }
  }

  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        return false;
      }
    }
    return !s.isBlank();
  }

  private static void requireGet(HttpExchange exchange) {
    String m = exchange.getRequestMethod();
    if (!"GET".equals(m) && !"HEAD".equals(m)) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      throw new HttpError(405, "use GET");
    }
  }

  private static void sendResource(HttpExchange exchange, String name, String type) throws IOException {
    try (InputStream in = WebApp.class.getResourceAsStream(name.startsWith("/") ? name : WEB + name)) {
      if (in == null) {
        throw new HttpError(404, "not found");
      }
      send(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @FunctionalInterface
  private interface Action {
    void run() throws IOException;
  }

  /** Runs a route; client errors become their status, anything else a 500 without details. */
  private static void handle(HttpExchange exchange, Action action) {
    try (exchange) {
      try {
        action.run();
      } catch (HttpError e) {
        send(exchange, e.status, "application/json", "{\"error\": " + Json.string(e.getMessage()) + "}");
      } catch (RuntimeException e) {
        System.getLogger(WebApp.class.getName()).log(System.Logger.Level.ERROR,
            "demo app failed: " + e.getClass().getName());
        send(exchange, 500, "application/json", "{\"error\": \"internal error\"}");
      }
    } catch (IOException e) {
      // The client went away; nothing to answer.
    }
  }

  /** An HTTP error answer with a short public message. */
  private static final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
