package io.github.wsauth.examples.demo;

import static io.github.wsauth.examples.demo.AuthMethod.BEARER;
import static io.github.wsauth.examples.demo.AuthMethod.FIRST_MESSAGE;
import static io.github.wsauth.examples.demo.AuthMethod.USER_INFO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.wsauth.examples.demo.RawClient.Frame;
import io.github.wsauth.examples.demo.RawClient.Response;
import io.github.wsauth.testkit.MutableClock;

/**
 * The vocabulary of {@link HostileInputTest}: the running demo and its clock, the secrets the cases send (all of
 * them are looked for in the logs afterwards), hand-written upgrade requests, and the exact answers the cases
 * expect. State is static because the case table is static data; {@link HostileInputTest} sets it up once.
 */
final class HostileWire {
  /**
   * The demo's pre-handshake timeout in this suite ({@link DemoConfig.Builder#handshakeTimeout}: the Netty guard's
   * {@code handshakeTimeout}, Tomcat's {@code connectionTimeout}).
   */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(1);
  /**
   * How long an idle connection (no request, or a partial one) may stay open: the timeout plus slack for a busy
   * machine. The idle sockets are opened together by the first idle case, so the waits overlap.
   */
  static final Duration PRE_HANDSHAKE_TIMEOUT_BOUND = HANDSHAKE_TIMEOUT.plusSeconds(2);
  /** A second loopback address (Linux routes all of 127/8 to lo): a client other than the one holding sockets. */
  static final java.net.InetAddress OTHER_LOOPBACK = loopback(127, 0, 0, 2);
  static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  static final String EVIL = "http://evil.example";
  static final MutableClock CLOCK = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  /** Every token and credential a case sent. */
  static final Set<String> SECRETS = Collections.synchronizedSet(new LinkedHashSet<>());
  /** Connections that never send a request, and connections that stop halfway through one (item 4). */
  static final Map<AuthMethod, RawClient> IDLE = new EnumMap<>(AuthMethod.class);
  static final Map<AuthMethod, RawClient> SLOW = new EnumMap<>(AuthMethod.class);
  static Demo demo;
  static long idleOpenedAt;

  private HostileWire() {}

  // Tokens and requests.

  static String secret(String s) {
    SECRETS.add(s);
    return s;
  }

  static String token(String user) {
    return secret(demo.tokens().issue(user, DemoTokens.Kind.OPAQUE).value());
  }

  static String jwt(String user) {
    return secret(demo.tokens().issue(user, DemoTokens.Kind.JWT).value());
  }

  /** An opaque-token shape that was never issued. */
  static String forged() {
    byte[] b = new byte[32];
    new java.security.SecureRandom().nextBytes(b);
    return secret(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  static String basic(String user, String token) {
    return secret(Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8)));
  }

  static String tokenMessage(String token) {
    return "{\"token\": \"" + token + "\"}";
  }

  /** A request under construction: request line parts and header lines, in order. */
  static final class Req {
    private String method = "GET";
    private String target = "/";
    private String version = "HTTP/1.1";
    private final List<String> lines = new ArrayList<>();

    Req h(String line) {
      lines.add(line);
      return this;
    }

    Req remove(String name) {
      lines.removeIf(l -> l.regionMatches(true, 0, name + ":", 0, name.length() + 1));
      return this;
    }

    Req removeOrigin() {
      return remove("Origin");
    }

    Req origin(String origin) {
      remove("Origin");
      return origin == null ? this : h("Origin: " + origin);
    }

    Req replace(String line, String with) {
      lines.replaceAll(l -> l.equals(line) ? with : l);
      return this;
    }

    Req method(String m) {
      method = m;
      return this;
    }

    Req target(String t) {
      target = t;
      return this;
    }

    Req version(String v) {
      version = v;
      return this;
    }

    String build() {
      StringBuilder b = new StringBuilder(method).append(' ').append(target).append(' ').append(version)
          .append("\r\n");
      for (String l : lines) {
        b.append(l).append("\r\n");
      }
      return b.append("\r\n").toString();
    }
  }

  /** A well-formed upgrade request to {@code m}'s server, without credential or Origin. */
  static Req ws(AuthMethod m) {
    return new Req().h("Host: localhost:" + demo.port(m)).h("Upgrade: websocket").h("Connection: Upgrade")
        .h("Sec-WebSocket-Key: " + KEY).h("Sec-WebSocket-Version: 13");
  }

  /** The upgrade request that {@code m}'s server accepts with {@code token} (Origin: the app's, where it checks). */
  static Req valid(AuthMethod m, String user, String token) {
    Req r = ws(m);
    if (m.browser()) {
      r.origin(demo.appOrigin());
    }
    switch (m) {
      case QUERY_PARAM:
        return r.target("/?token=" + token);
      case COOKIE:
        return r.h("Cookie: wsauth=" + token);
      case USER_INFO:
        return r.h("Authorization: Basic " + basic(user, token));
      case SUBPROTOCOL:
        return r.h("Sec-WebSocket-Protocol: hello, authorization.bearer." + token);
      case BEARER:
        return r.h("Authorization: Bearer " + token);
      default:
        return r; // FIRST_MESSAGE: the token is the first message
    }
  }

  static Response send(AuthMethod m, Req r) throws IOException {
    try (RawClient cl = RawClient.connect(demo.port(m))) {
      cl.send(r.build());
      return cl.readResponse();
    }
  }

  static byte[] concat(Object... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Object p : parts) {
      b.writeBytes(p instanceof String s ? s.getBytes(StandardCharsets.ISO_8859_1) : (byte[]) p);
    }
    return b.toByteArray();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Expectations.

  enum Kind { MISSING, INVALID, MALFORMED }

  /** The exact {@code WWW-Authenticate} challenge of a demo server (realm "wsauth-demo" on the Tomcat headers). */
  static String challenge(AuthMethod m, Kind kind) {
    if (m == USER_INFO) {
      return "Basic realm=\"wsauth-demo\", charset=\"UTF-8\"";
    }
    String realm = m == BEARER ? "wsauth-demo" : "wsauth";
    switch (kind) {
      case MISSING:
        return "Bearer realm=\"" + realm + "\"";
      case INVALID:
        return "Bearer realm=\"" + realm + "\", error=\"invalid_token\"";
      default:
        return "Bearer realm=\"" + realm + "\", error=\"invalid_request\"";
    }
  }

  static void assertStatus(Response r, int status, String... challenges) {
    if (r.status() != status) {
      fail("expected HTTP " + status + " but got: " + r + " " + bodyStart(r));
    }
    if (status != 101 && challenges.length > 0) {
      assertThat(r.all("WWW-Authenticate")).as("WWW-Authenticate of " + r + " " + bodyStart(r))
          .containsExactly(challenges);
    }
    if (status == 403) {
      assertThat(r.all("WWW-Authenticate")).as("a 403 has no challenge: " + r).isEmpty();
    }
  }

  /** The start of a response body, markup removed, for failure messages. */
  static String bodyStart(Response r) {
    String text = r.bodyText().replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
    return text.substring(0, Math.min(200, text.length()));
  }

  static void assertStatusIn(Response r, int... statuses) {
    for (int s : statuses) {
      if (r.status() == s) {
        return;
      }
    }
    fail("expected HTTP " + java.util.Arrays.toString(statuses) + " but got: " + r);
  }

  static void assert426(Response r) {
    assertStatus(r, 426);
    assertThat(r.all("Sec-WebSocket-Version")).as(r.toString()).containsExactly("13");
  }

  static void assertEquals(String actual, String expected) {
    assertThat(actual).isEqualTo(expected);
  }

  /** The next answer on a kept-alive connection is {@code status}, or the server closed the connection. */
  static void assertRefusedOrClosed(RawClient cl, int status, List<String> challenges) throws IOException {
    Response r;
    try {
      r = cl.readResponse();
    } catch (java.net.SocketTimeoutException hang) {
      throw new AssertionError("no answer and no close within " + RawClient.READ_TIMEOUT, hang);
    } catch (IOException closed) {
      return;
    }
    assertStatus(r, status, challenges.toArray(String[]::new));
  }

  /** After a refusal, the connection never turns into a WebSocket: no 101 and no frame follow. */
  static void assertNoUpgradeAfter(RawClient cl) throws IOException {
    while (true) {
      Response next;
      try {
        next = cl.readResponse();
      } catch (java.net.SocketTimeoutException hang) {
        throw new AssertionError("no answer and no close within " + RawClient.READ_TIMEOUT, hang);
      } catch (IOException closed) {
        return;
      }
      if (next.status() == 101 || next.status() < 0) {
        fail("after a refusal the connection went on with: " + next);
      }
    }
  }

  /** Nothing that looks like an HTTP response arrives within half a second (a close, an end or silence do). */
  static void assertNoHttpAnswer(RawClient cl) throws IOException {
    byte[] rest = cl.readFor(Duration.ofMillis(500));
    assertThat(new String(rest, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.");
  }

  /** The server closes the WebSocket with {@code code}, or ends the connection; a hang fails. */
  static void assertCloseOrEnd(RawClient cl, int code) throws IOException {
    Frame f;
    try {
      f = cl.readFrame();
    } catch (java.net.SocketTimeoutException hang) {
      throw new AssertionError("no close within " + RawClient.READ_TIMEOUT, hang);
    } catch (IOException closed) {
      return;
    }
    assertClose(f, code, null);
  }

  static void assertHello(RawClient cl, String user) throws IOException {
    assertStatus(cl.readResponse(), 101);
    Frame f = cl.readFrame();
    assertThat(f.toString()).isEqualTo("frame op=1 " + HelloProtocol.hello(user));
  }

  static void assertClose(Frame f, int code, String reason) {
    assertThat(f.opcode()).as(f.toString()).isEqualTo(8);
    assertThat(f.closeCode()).as(f.toString()).isEqualTo(code);
    if (reason != null) {
      assertThat(f.closeReason()).isEqualTo(reason);
    }
  }

  /** {@code m}'s server upgrades a connection that presents {@code token} and greets {@code user}. */
  static void assertUpgrades(AuthMethod m, String user, String token) throws IOException {
    try (RawClient cl = RawClient.connect(demo.port(m))) {
      cl.send(valid(m, user, token).build());
      if (m == FIRST_MESSAGE) {
        assertStatus(cl.readResponse(), 101);
        cl.sendText(tokenMessage(token));
        assertEquals(cl.readFrame().toString(), "frame op=1 " + HelloProtocol.hello(user));
      } else {
        assertHello(cl, user);
      }
    }
  }

  /** As {@link #assertUpgrades}, from the local address {@code from}. */
  static void assertUpgradesFrom(java.net.InetAddress from, AuthMethod m, String user, String token)
      throws IOException {
    try (RawClient cl = RawClient.connect(from, demo.port(m))) {
      cl.send(valid(m, user, token).build());
      if (m == FIRST_MESSAGE) {
        assertStatus(cl.readResponse(), 101);
        cl.sendText(tokenMessage(token));
        assertEquals(cl.readFrame().toString(), "frame op=1 " + HelloProtocol.hello(user));
      } else {
        assertHello(cl, user);
      }
    }
  }

  private static java.net.InetAddress loopback(int... parts) {
    try {
      return java.net.InetAddress.getByAddress(new byte[] {(byte) parts[0], (byte) parts[1], (byte) parts[2],
          (byte) parts[3]});
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertRefused(AuthMethod m, String user, String token, int status, String challenge)
      throws IOException {
    assertStatus(send(m, valid(m, user, token)), status, challenge);
  }

  /** Upgrades to the first-message server, sends {@code bytes}, expects a close frame and no greeting. */
  static void assertFirstMessageClose(byte[] bytes, int code, String reason) throws IOException {
    try (RawClient cl = RawClient.connect(demo.port(FIRST_MESSAGE))) {
      cl.send(ws(FIRST_MESSAGE).build());
      assertStatus(cl.readResponse(), 101);
      if (bytes.length > 0) {
        cl.send(bytes);
      }
      assertClose(cl.readFrame(), code, reason);
    }
  }

  /**
   * Opens the idle and the slowloris connection to every server, once, and notes when: the first idle case calls
   * it, so that the other cases never share an address's unauthenticated-connection cap with them.
   */
  static synchronized void openIdleConnections() throws IOException {
    if (!IDLE.isEmpty()) {
      return;
    }
    idleOpenedAt = System.nanoTime();
    for (AuthMethod m : AuthMethod.values()) {
      IDLE.put(m, RawClient.connect(demo.port(m)));
      SLOW.put(m, RawClient.connect(demo.port(m)).send("GET /?token=" + token("slow")
          + " HTTP/1.1\r\nHost: localhost\r\nX-A: "));
    }
  }

  static void assertClosedByPreHandshakeTimeout(AuthMethod m, boolean slow) throws IOException {
    openIdleConnections();
    RawClient cl = (slow ? SLOW : IDLE).get(m);
    long waited = System.nanoTime() - idleOpenedAt;
    Duration left = PRE_HANDSHAKE_TIMEOUT_BOUND.minusNanos(waited);
    boolean closed = cl.closedWithin(left.isNegative() ? Duration.ofMillis(1) : left);
    assertThat(closed).as("closed by the server within " + PRE_HANDSHAKE_TIMEOUT_BOUND).isTrue();
  }
}
