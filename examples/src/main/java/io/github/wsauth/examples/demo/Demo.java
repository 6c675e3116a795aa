package io.github.wsauth.examples.demo;

import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The running demo: the HTTP app and one WebSocket server per {@link AuthMethod}, all in this JVM so that they
 * share one in-memory token store. Start with {@link #start(DemoConfig)}; {@link #close()} stops every server and
 * releases every port.
 *
 * <pre>{@code
 * try (Demo demo = Demo.start(DemoConfig.builder().ephemeralPorts().build())) {
 *   URI page = demo.appUri();
 *   URI ws = demo.serverUri(AuthMethod.BEARER);
 * }
 * }</pre>
 *
 * Starting installs {@link io.github.wsauth.RedactingLogFilter} on every log handler of the process (and routes
 * Netty's logging to java.util.logging), so no token reaches the logs through Tomcat or Netty either.
 *
 * <p>Thread-safe.
 */
public final class Demo implements AutoCloseable {
  private final DemoConfig config;
  private final WebApp app;
  private final Map<AuthMethod, DemoServer> servers;
  private final DemoTokens tokens;
  private final AuthLog log;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Demo(DemoConfig config, WebApp app, Map<AuthMethod, DemoServer> servers, DemoTokens tokens, AuthLog log) {
    this.config = config;
    this.app = app;
    this.servers = servers;
    this.tokens = tokens;
    this.log = log;
  }

  /**
   * Starts the app and every server; on any failure stops what was started and rethrows.
   *
   * @throws java.io.UncheckedIOException if a port cannot be bound
   */
  public static Demo start(DemoConfig config) {
    Objects.requireNonNull(config, "config must not be null");
    DemoLogging.install();
    WebApp app = WebApp.bind(config.appPort(), config.host());
    Map<AuthMethod, DemoServer> servers = new EnumMap<>(AuthMethod.class);
    try {
      DemoTokens tokens = new DemoTokens(config.clock(), config.tokenPolicy(), app.origin());
      AuthLog log = new AuthLog();
      DemoServers.startAll(config, tokens, log, app.origin(), servers);
      Demo demo = new Demo(config, app, Map.copyOf(servers), tokens, log);
      app.start(tokens, log, demo.configJson());
      return demo;
    } catch (RuntimeException | Error e) {
      servers.values().forEach(DemoServer::close);
      app.close();
      throw e;
    }
  }

  /** {@code http://localhost:<port>/}: the page to open in a browser. */
  public URI appUri() {
    return URI.create(app.origin() + "/");
  }

  /** The app's origin, {@code http://localhost:<port>}: the one origin the cookie server accepts. */
  public String appOrigin() {
    return app.origin();
  }

  /** {@code ws://localhost:<port>/} of a method's server. */
  public URI serverUri(AuthMethod method) {
    return URI.create("ws://" + config.host() + ":" + server(method).port() + "/");
  }

  /** The bound port of a method's server. */
  public int port(AuthMethod method) {
    return server(method).port();
  }

  /** Every bound port: the app's first, then the servers'. */
  public List<Integer> ports() {
    List<Integer> ports = new ArrayList<>();
    ports.add(app.port());
    for (AuthMethod m : AuthMethod.values()) {
      ports.add(port(m));
    }
    return ports;
  }

  /** The recent authentication outcomes of each server. */
  public AuthLog authLog() {
    return log;
  }

  /** The token state (tests issue tokens directly with it). */
  public DemoTokens tokens() {
    return tokens;
  }

  private DemoServer server(AuthMethod method) {
    DemoServer s = servers.get(method);
    if (s == null) {
      throw new IllegalStateException("no server for " + method.id());
    }
    return s;
  }

  /** What the page learns from {@code /config.json}. */
  String configJson() {
    StringJoiner urls = new StringJoiner(", ", "{", "}");
    StringJoiner frameworks = new StringJoiner(", ", "{", "}");
    StringJoiner browser = new StringJoiner(", ", "[", "]");
    for (AuthMethod m : AuthMethod.values()) {
      DemoServer s = server(m);
      urls.add(Json.string(m.id()) + ": " + Json.string(serverUri(m).toString()));
      frameworks.add(Json.string(m.id()) + ": " + Json.string(s.framework()));
      if (m.browser()) {
        browser.add(Json.string(m.id()));
      }
    }
    String cookieOrigin = "http://" + config.host() + ":" + port(AuthMethod.COOKIE);
    return "{\"tokenLifetimeSeconds\": " + tokens.policy().lifetime().toSeconds()
        + ", \"clockSkewSeconds\": " + tokens.policy().clockSkew().toSeconds()
        + ", \"singleUse\": " + tokens.policy().singleUse()
        + ", \"servers\": " + urls
        + ", \"frameworks\": " + frameworks
        + ", \"browserMethods\": " + browser
        + ", \"cookieBridge\": {\"origin\": " + Json.string(cookieOrigin) + ", \"url\": "
        + Json.string(cookieOrigin + DemoServers.COOKIE_BRIDGE_PATH) + "}"
        + ", \"longSessionSeconds\": " + config.longSession().toSeconds()
        + ", \"closeCodes\": {\"expired\": " + DemoServers.EXPIRY_CLOSE_CODE + ", \"rejected\": "
        + DemoServers.REJECTED_CLOSE_CODE + ", \"revoked\": " + DemoServers.REVOKED_CLOSE_CODE + "}}";
  }

  /** Stops the app and every server, releasing their ports; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    app.close();
    for (DemoServer s : servers.values()) {
      s.close();
    }
    tokens.close();
  }
}
