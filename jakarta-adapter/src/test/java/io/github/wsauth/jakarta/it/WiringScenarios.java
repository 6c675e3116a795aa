package io.github.wsauth.jakarta.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.scenarios.SwitchableTokenStore;
import io.github.wsauth.jakarta.WsAuthConfigurator;
import io.github.wsauth.jakarta.WsAuthFilter;
import io.github.wsauth.testkit.MutableClock;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * How wsauth is wired into a servlet container, right and wrong (issue 13 items 1, 7 and 11), over raw sockets:
 * two configurations (ordinary users on {@code /chat}, admins with their own token store on {@code /admin}), and
 * for each wiring mistake: valid, replayed, missing and garbage tokens are all refused, and the one log line that
 * says why is written once. Subclasses start Tomcat or Jetty; each test starts its own server.
 */
public abstract class WiringScenarios {
  protected static final String CHAT = "/chat";
  protected static final String ADMIN = "/admin";
  protected static final String PLAIN = "/plain";
  static final String FOREIGN_LINE = "accepted it under another configuration";
  protected static final String BEHIND_LINE = "did not run before the container's upgrade";
  static final String NO_FILTER_LINE = "no WsAuthFilter ran in front of the container's upgrade";
  static final String UNCLAIMED_LINE = "but no WsAuthConfigurator of the same configuration ran";
  static final String UNCHECKED_LINE = "was upgraded with no wsauth check at all";

  protected final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  protected final SwitchableTokenStore userStore = new SwitchableTokenStore(TokenStore.inMemory(clock));
  protected final SwitchableTokenStore adminStore = new SwitchableTokenStore(TokenStore.inMemory(clock));
  protected final TokenIssuer users = TokenIssuer.opaque(userStore, TokenPolicy.defaults(), clock);
  protected final TokenIssuer admins = TokenIssuer.opaque(adminStore, TokenPolicy.defaults(), clock);
  protected final JakartaAuthConfig user = config(userStore, "users");
  protected final JakartaAuthConfig admin = config(adminStore, "admins");
  protected int port;
  private JulCapture logs;

  private static JakartaAuthConfig config(TokenStore store, String realm) {
    return JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(),
            CredentialExtractor.queryParameter("token")))
        .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
        .originPolicy(OriginPolicy.anyOrigin())
        .realm(realm)
        .build()).build();
  }

  /** Starts the container with {@code endpoints}; {@code wsauth} runs once its WebSocket support is initialised. */
  protected abstract int start(List<ServerEndpointConfig> endpoints, Consumer<ServletContext> wsauth) throws Exception;

  /** Starts the container with {@code filter} added the ordinary way that puts it behind the container's upgrade. */
  protected abstract int startWithFilterBehindTheUpgrade(List<ServerEndpointConfig> endpoints, WsAuthFilter filter,
      String pattern) throws Exception;

  protected abstract void stop() throws Exception;

  /**
   * The status a handshake gets when no filter is in front of the upgrade: the configurator refuses it in {@code
   * checkOrigin}, which Tomcat and Jetty answer with a clean 403 before anything is verified.
   */
  protected int noFilterStatus() {
    return 403;
  }

  @BeforeEach
  void captureLogs() {
    Recorder.reset();
    logs = new JulCapture();
  }

  @AfterEach
  void stopServer() throws Exception {
    try {
      stop();
    } finally {
      logs.close();
    }
  }

  /** How many consumes reached the users' store. */
  protected int userConsumes() {
    return userStore.consumes();
  }

  protected List<ServerEndpointConfig> endpoints() {
    List<ServerEndpointConfig> list = new ArrayList<>();
    list.add(ServerEndpointConfig.Builder.create(WelcomeEndpoint.class, CHAT).configurator(new WsAuthConfigurator(user))
        .build());
    list.add(ServerEndpointConfig.Builder.create(WelcomeEndpoint.class, ADMIN)
        .configurator(new WsAuthConfigurator(admin)).build());
    // The mistake of item 11 (b): a second endpoint of the application, deployed without the configurator.
    list.add(ServerEndpointConfig.Builder.create(WelcomeEndpoint.class, PLAIN).build());
    return list;
  }

  /** A filter added through the servlet API in front of the container's upgrade, mapped to {@code patterns}. */
  protected static void addInFront(ServletContext sc, WsAuthFilter filter, String... patterns) {
    FilterRegistration.Dynamic reg = sc.addFilter("wsauth-" + System.identityHashCode(filter), filter);
    reg.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, patterns);
  }

  protected RawClient.Response upgrade(String target) throws Exception {
    try (RawClient c = RawClient.connect(port)) {
      c.write(RawClient.upgrade(target));
      return c.readResponse();
    }
  }

  /** Upgrades and returns the endpoint's greeting. */
  protected String open(String target) throws Exception {
    try (RawClient c = RawClient.connect(port)) {
      c.write(RawClient.upgrade(target));
      RawClient.Response r = c.readResponse();
      assertThat(r.status()).as("upgrade of %s (%s)", target.replaceAll("token=[^&]*", "token=…"), r.body())
          .isEqualTo(101);
      return c.readFrame().text();
    }
  }

  private String replayed(TokenIssuer issuer) {
    String t = issuer.issue("replayed").value();
    // Used once, by the verifier the endpoints use: the store now knows it as used.
    assertThat(TokenVerifier.opaque(issuer == users ? userStore : adminStore, TokenPolicy.defaults()).verify(t))
        .isNotNull();
    return t;
  }

  private static final String GARBAGE = "garbage-token-0123456789abcdefABCDEF0123456";

  /**
   * Valid, replayed, missing and garbage tokens on {@code path}, twice over: every one refused with {@code status}
   * and no upgrade header, nothing consumed, the endpoint never run, no SEVERE record and no stack trace in the
   * logs, and exactly one wsauth ERROR line (all within one minute, the rate limit's window).
   */
  private void allRefused(String path, int status) throws Exception {
    String valid = users.issue("valid").value();
    String replayed = replayed(users);
    int before = userStore.consumes();
    for (int round = 0; round < 2; round++) {
      for (String query : List.of("?token=" + valid, "?token=" + replayed, "", "?token=" + GARBAGE)) {
        RawClient.Response r = upgrade(path + query);
        String what = query.isEmpty() ? "no token" : "a token";
        assertThat(r.status()).as("status for %s", what).isEqualTo(status);
        assertThat(r.header("Upgrade")).as("Upgrade header for %s", what).isNull();
        assertThat(r.header("Sec-WebSocket-Accept")).as("Sec-WebSocket-Accept for %s", what).isNull();
      }
    }
    assertThat(Recorder.opens()).as("the endpoint must never run").isZero();
    assertThat(userStore.consumes()).as("tokens consumed by refused handshakes").isEqualTo(before);
    assertThat(logs.text()).doesNotContain(valid).doesNotContain(replayed).doesNotContain(GARBAGE)
        .doesNotContain("Exception").doesNotContain("\tat ");
    // wsauth's one line is an ERROR (JUL: SEVERE) of the configurator; the container logs nothing at SEVERE.
    List<String> severe = logs.lines().stream().filter(l -> l.contains("SEVERE")).toList();
    assertThat(severe).as("SEVERE records").singleElement().asString()
        .contains("SEVERE: wsauth refused a WebSocket handshake with 403");
    assertThat(logs.count("wsauth refused")).as("wsauth's log lines").isEqualTo(1);
  }

  // ---- item 1: a decision is bound to the configuration that made it ----

  @Test
  void filterWithoutPathsOnEverything_userTokenOnAdminEndpoint_is403_loggedOnce() throws Exception {
    port = start(endpoints(), sc -> addInFront(sc, new WsAuthFilter(user), "/*"));
    for (int i = 0; i < 3; i++) {
      RawClient.Response r = upgrade(ADMIN + "?token=" + users.issue("alice").value());
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body()).isEqualTo("not authenticated for this endpoint\n");
      assertThat(r.header("Sec-WebSocket-Accept")).isNull();
    }
    assertThat(Recorder.opens()).isZero();
    assertThat(logs.count(FOREIGN_LINE)).isEqualTo(1);
    assertThat(open(CHAT + "?token=" + users.issue("alice").value())).isEqualTo("welcome alice");
  }

  @Test
  void filterWithItsEndpointPathOnEverything_adminEndpointKeepsItsOwnConfiguration() throws Exception {
    port = start(endpoints(), sc -> addInFront(sc, new WsAuthFilter(user, CHAT), "/*"));
    RawClient.Response r = upgrade(ADMIN + "?token=" + users.issue("alice").value());
    // The admin configurator decided (the filter only stood guard) and its refusal is a clean 401.
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).contains("realm=\"admins\"");
    assertThat(r.header("Sec-WebSocket-Accept")).isNull();
    assertThat(Recorder.opens()).isZero();
    assertThat(open(ADMIN + "?token=" + admins.issue("root").value())).isEqualTo("welcome root");
    assertThat(open(CHAT + "?token=" + users.issue("alice").value())).isEqualTo("welcome alice");
    assertThat(logs.count(FOREIGN_LINE)).isZero();
  }

  @Test
  void installHelper_oneFilterPerConfiguration_eachEndpointItsOwnTokens() throws Exception {
    port = start(endpoints(), sc -> {
      WsAuthFilter.install(sc, user, CHAT);
      WsAuthFilter.install(sc, admin, ADMIN);
    });
    RawClient.Response r = upgrade(ADMIN + "?token=" + users.issue("alice").value());
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).contains("realm=\"admins\"");
    RawClient.Response s = upgrade(CHAT + "?token=" + admins.issue("root").value());
    assertThat(s.status()).isEqualTo(401);
    assertThat(s.header("WWW-Authenticate")).contains("realm=\"users\"");
    assertThat(Recorder.opens()).isZero();
    assertThat(open(ADMIN + "?token=" + admins.issue("root").value())).isEqualTo("welcome root");
    assertThat(open(CHAT + "?token=" + users.issue("alice").value())).isEqualTo("welcome alice");
  }

  // ---- item 7: a token is consumed only by a request that will be upgraded ----

  @Test
  void invalidHandshakes_withAValidUnusedToken_areRefusedWithNothingConsumed() throws Exception {
    port = start(endpoints(), sc -> addInFront(sc, new WsAuthFilter(user, CHAT), "/*"));
    String t = users.issue("alice").value();
    int before = userStore.consumes();
    String target = CHAT + "?token=" + t;
    assertRefused(RawClient.request("GET", target, "HTTP/1.1", false, true), 400,
        "not a WebSocket handshake: invalid Sec-WebSocket-Key\n");
    RawClient.Response v99 = assertRefused(RawClient.request("GET", target, "HTTP/1.1", true, false), 426,
        "unsupported WebSocket version\n");
    assertThat(v99.header("Sec-WebSocket-Version")).isEqualTo("13");
    assertRefused(RawClient.request("POST", target, "HTTP/1.1", true, true), 405,
        "not a WebSocket handshake: method must be GET\n");
    assertRefused(RawClient.request("GET", target, "HTTP/1.0", true, true), 400,
        "not a WebSocket handshake: HTTP/1.1 required\n");
    // Paths no endpoint serves: the filter stands guard only, nothing verifies the token.
    for (String path : List.of("/nothing-here", CHAT + "/more", CHAT + "x")) {
      assertThat(upgrade(path + "?token=" + t).status()).as(path).isNotEqualTo(101);
    }
    assertThat(userStore.consumes()).isEqualTo(before);
    assertThat(Recorder.opens()).isZero();
    assertThat(open(target)).isEqualTo("welcome alice");
  }

  private RawClient.Response assertRefused(String request, int status, String body) throws Exception {
    try (RawClient c = RawClient.connect(port)) {
      c.write(request);
      RawClient.Response r = c.readResponse();
      assertThat(r.status()).as(request.lines().findFirst().orElse("")).isEqualTo(status);
      assertThat(r.body()).isEqualTo(body);
      return r;
    }
  }

  // ---- item 11: wiring mistakes fail closed and say why, once ----

  @Test
  void filterBehindTheUpgrade_everyTokenRefused_loggedOnce() throws Exception {
    port = startWithFilterBehindTheUpgrade(endpoints(), new WsAuthFilter(user, CHAT), CHAT);
    allRefused(CHAT, noFilterStatus());
    assertThat(logs.count(BEHIND_LINE)).isEqualTo(1);
    assertThat(logs.count(NO_FILTER_LINE)).isZero();
  }

  @Test
  void noFilter_everyTokenRefused403_loggedOnce() throws Exception {
    port = start(endpoints(), sc -> { });
    allRefused(CHAT, noFilterStatus());
    assertThat(logs.count(NO_FILTER_LINE)).isEqualTo(1);
    assertThat(logs.count(BEHIND_LINE)).isZero();
  }

  @Test
  void guardedEndpoint_configuratorsOriginCheckStillApplies() throws Exception {
    SwitchableTokenStore strictStore = new SwitchableTokenStore(TokenStore.inMemory(clock));
    JakartaAuthConfig strict = JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.queryParameter("token"))
        .verifier(TokenVerifier.opaque(strictStore, TokenPolicy.defaults()))
        .originPolicy(OriginPolicy.allowOnly("https://app.example"))
        .build()).build();
    TokenIssuer issuer = TokenIssuer.opaque(strictStore, TokenPolicy.defaults(), clock);
    List<ServerEndpointConfig> list = new ArrayList<>(endpoints());
    list.add(ServerEndpointConfig.Builder.create(WelcomeEndpoint.class, "/strict")
        .configurator(new WsAuthConfigurator(strict)).build());
    // The users' filter on /* stands guard for /strict: a filter is in front, so checkOrigin applies the policy.
    port = start(list, sc -> addInFront(sc, new WsAuthFilter(user, CHAT), "/*"));
    String target = "/strict?token=" + issuer.issue("sam").value();
    try (RawClient c = RawClient.connect(port)) {
      c.write(RawClient.upgrade(target, "Origin: https://evil.example"));
      RawClient.Response r = c.readResponse();
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("Sec-WebSocket-Accept")).isNull();
      // The container's answer to a false checkOrigin (Tomcat's error page, Jetty's "Origin mismatch"), not the
      // guarding filter's answer to a refusal in modifyHandshake (body "origin not allowed").
      assertThat(r.body()).doesNotContain("origin not allowed");
    }
    assertThat(strictStore.consumes()).as("refused by checkOrigin, before any verification").isZero();
    assertThat(Recorder.opens()).isZero();
    try (RawClient c = RawClient.connect(port)) {
      c.write(RawClient.upgrade(target, "Origin: https://app.example"));
      assertThat(c.readResponse().status()).isEqualTo(101);
      assertThat(c.readFrame().text()).isEqualTo("welcome sam");
    }
    assertThat(logs.count("wsauth refused")).isZero();
  }

  @Test
  void endpointWithoutConfigurator_namedInTheFilter_loggedOnce() throws Exception {
    port = start(endpoints(), sc -> WsAuthFilter.install(sc, user, CHAT, PLAIN));
    for (String query : List.of("?token=" + replayed(users), "", "?token=" + GARBAGE)) {
      assertThat(upgrade(PLAIN + query).status()).isEqualTo(401);
    }
    assertThat(Recorder.opens()).isZero();
    unclaimedUpgrade(PLAIN + "?token=" + users.issue("alice").value(), "welcome alice");
    unclaimedUpgrade(PLAIN + "?token=" + users.issue("alice").value(), "welcome alice");
    assertThat(logs.count(UNCLAIMED_LINE)).isEqualTo(1);
  }

  @Test
  void endpointWithoutConfigurator_guardedByTheFilter_loggedOnce() throws Exception {
    port = start(endpoints(), sc -> addInFront(sc, new WsAuthFilter(user, CHAT), "/*"));
    unclaimedUpgrade(PLAIN, "welcome anonymous");
    unclaimedUpgrade(PLAIN, "welcome anonymous");
    assertThat(logs.count(UNCHECKED_LINE)).isEqualTo(1);
  }

  /**
   * An endpoint without wsauth's configurator is upgraded: the Jakarta and Servlet APIs give a filter no way to stop
   * an upgrade once the container decided it, nor to reach the session. Through the filter (its endpoint) the
   * token was verified and the identity is the request's principal; as a guard the filter saw no check at all.
   */
  private void unclaimedUpgrade(String target, String greeting) throws Exception {
    assertThat(open(target)).isEqualTo(greeting);
  }
}
