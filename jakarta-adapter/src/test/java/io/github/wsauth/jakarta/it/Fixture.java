package io.github.wsauth.jakarta.it;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.ExpiryWarningListener;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.jakarta.WsAuthEndpoint;
import io.github.wsauth.jakarta.WsAuthFilter;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.scenarios.ManualWakeUps;
import io.github.wsauth.scenarios.SwitchableTokenStore;
import io.github.wsauth.scenarios.UpgradeScenarios;
import io.github.wsauth.testkit.MutableClock;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;

/** Everything a container test deploys: one store, clock, issuer, and the wsauth configurations. */
public final class Fixture {
  public static final String ORIGIN = UpgradeScenarios.ORIGIN;
  public static final String COOKIE = "wsauth";
  public static final String PROTOCOL = UpgradeScenarios.PROTOCOL;
  static final Duration DEADLINE = Duration.ofSeconds(1); // the positive paths beat it on a loaded CI machine
  static final int MAX_FIRST_MESSAGE = 256;

  private static volatile Fixture current;

  final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  final SwitchableTokenStore store = new SwitchableTokenStore(TokenStore.inMemory(clock));
  final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
  final ManualScheduler manual = new ManualScheduler(clock);
  final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-scheduler");
    t.setDaemon(true);
    return t;
  });
  /** The shared scenario table's authenticator: every credential location, ORIGIN only, PROTOCOL, realm test. */
  final HandshakeAuthenticator handshake =
      UpgradeScenarios.authenticator(TokenVerifier.opaque(store, TokenPolicy.defaults()));
  /** Connection lifetime (issue 15): the registry, timers woken by hand, the application's records. */
  final ManualWakeUps wakeUps = new ManualWakeUps();
  final ConnectionRegistry registry = new ConnectionRegistry();
  final Revoker revoker = Revoker.builder().store(store).bus(RevocationBus.inProcess()).registry(registry)
      .clock(clock).build();
  final List<String> warnings = new CopyOnWriteArrayList<>();
  final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final TaskScheduler wakeUpScheduler = wakeUps;
  private final ExpiryWarningListener warningRecorder = (session, identity, remaining) ->
      warnings.add(identity.subject() + " " + remaining.toSeconds());
  /**
   * The handshake configuration of the /hs endpoints (shared with their filter): with the lifetime, closing on
   * expiry by the fixture's clock; its timers wake only when a lifetime scenario runs them.
   */
  final JakartaAuthConfig handshakeConfig = JakartaAuthConfig.builder().handshake(handshake)
      .clock(clock).closeOnExpiry(true).scheduler(wakeUpScheduler)
      .lifetime(ConnectionLifetime.builder().registry(registry)
          .reauthenticationVerifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
          .expiryWarning(Duration.ofSeconds(10)).build())
      .expiryWarningListener(warningRecorder).build();
  /** The first-message lifetime endpoint: JSON format, so a later {"token"} message re-authenticates. */
  final JakartaAuthConfig firstMessageLifetimeConfig = JakartaAuthConfig.builder()
      .firstMessage(FirstMessageAuthenticator.builder()
          .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
          .format(FirstMessageAuthenticator.Format.JSON)
          .build())
      .clock(clock).closeOnExpiry(true).scheduler(wakeUpScheduler)
      .lifetime(ConnectionLifetime.builder().registry(registry).expiryWarning(Duration.ofSeconds(10)).build())
      .expiryWarningListener(warningRecorder).build();
  final JakartaAuthConfig expiryConfig = JakartaAuthConfig.builder().handshake(handshake)
      .closeOnExpiry(true).clock(clock).scheduler(manual).build();
  final JakartaAuthConfig firstMessageConfig = JakartaAuthConfig.builder()
      .firstMessage(FirstMessageAuthenticator.builder()
          .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
          .deadline(DEADLINE)
          .maxMessageBytes(MAX_FIRST_MESSAGE)
          .build())
      .scheduler(TaskScheduler.of(executor))
      .build();

  /** The cookie bridge servlet containers serve: the app origin may frame it, the cookie is for /hs. */
  final io.github.wsauth.CookieBridge cookieBridge = io.github.wsauth.CookieBridge.builder()
      .parentOrigin(ORIGIN).cookieName(COOKIE).cookiePath("/hs").maxCookieAge(Duration.ofMinutes(2)).build();

  /** A second bridge, in CHIPS mode, served at {@code /chips/*} next to the first (issue 16). */
  public static final io.github.wsauth.CookieBridge CHIPS_BRIDGE = io.github.wsauth.CookieBridge.builder()
      .path("/chips").parentOrigin(ORIGIN).cookieName(COOKIE).cookiePath("/hs").partitionedCookie(true).build();

  private Fixture() {}

  /** Creates the fixture of this JVM (one container per surefire execution). */
  public static synchronized Fixture create() {
    if (current == null) {
      current = new Fixture();
    }
    return current;
  }

  /** The fixture, for configurator classes that the container instantiates. */
  static Fixture current() {
    Fixture f = current;
    if (f == null) {
      throw new IllegalStateException("no fixture");
    }
    return f;
  }

  /** What every container deploys. */
  public Deployment deployment() {
    List<ServerEndpointConfig> endpoints = List.of(
        WsAuthEndpoint.builder("/fm/programmatic", firstMessageConfig, AppEndpoint::new).build(),
        WsAuthEndpoint.annotated("/fm/annotated", firstMessageConfig, AnnotatedApp.class, AnnotatedApp::new).build(),
        WsAuthEndpoint.builder("/exp/programmatic", expiryConfig, AppEndpoint::new).build(),
        WsAuthEndpoint.builder("/hs/lifetime", handshakeConfig, LifetimeApp::new).build(),
        WsAuthEndpoint.builder("/fm/lifetime", firstMessageLifetimeConfig, LifetimeApp::new).build(),
        // Not behind a filter: standalone Tyrus lets the configurator decide alone; Tomcat and Jetty refuse (403).
        WsAuthEndpoint.builder("/bare/programmatic", handshakeConfig, AppEndpoint::new).build());
    // The filter decides under handshakeConfig only: the /exp endpoint's configurator (expiryConfig, another
    // configuration) has its own filter on servlet containers, and would refuse a decision made under another one.
    // configuration) would refuse a decision made under it, so that endpoint authenticates in its configurator.
    return new Deployment(endpoints, List.of(HelloEndpoint.class), new WsAuthFilter(handshakeConfig),
        List.of("/hs/*"), new WsAuthFilter(expiryConfig, "/exp/programmatic"), cookieBridge);
  }

  /**
   * What a container needs to run the suite.
   *
   * @param endpoints programmatic endpoint configurations
   * @param annotated {@code @ServerEndpoint} classes
   * @param filter the filter servlet containers put in front of the upgrade
   * @param filterPatterns where the filter is mapped
   * @param expiryFilter the filter of the expiry endpoint's configuration, mapped to its path
   * @param cookieBridge what servlet containers serve with {@code WsAuthCookieBridgeServlet.install}
   */
  public record Deployment(List<ServerEndpointConfig> endpoints, List<Class<?>> annotated, WsAuthFilter filter,
      List<String> filterPatterns, WsAuthFilter expiryFilter, io.github.wsauth.CookieBridge cookieBridge) {}
}
