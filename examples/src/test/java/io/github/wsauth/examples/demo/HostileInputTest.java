package io.github.wsauth.examples.demo;

import static io.github.wsauth.examples.demo.AuthMethod.BEARER;
import static io.github.wsauth.examples.demo.AuthMethod.COOKIE;
import static io.github.wsauth.examples.demo.AuthMethod.FIRST_MESSAGE;
import static io.github.wsauth.examples.demo.AuthMethod.QUERY_PARAM;
import static io.github.wsauth.examples.demo.AuthMethod.SUBPROTOCOL;
import static io.github.wsauth.examples.demo.AuthMethod.USER_INFO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
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
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;

import io.github.wsauth.examples.demo.RawClient.Frame;
import io.github.wsauth.examples.demo.RawClient.Response;
import io.github.wsauth.testkit.MutableClock;

/**
 * The hostile-input suite of issue 13: the running demo (three Netty and three Tomcat servers, in this JVM, on
 * ephemeral ports) attacked over raw TCP sockets with hand-written bytes, one {@link Case} per row of {@link
 * #CASES}. Every case states the exact answer it expects (status line, {@code WWW-Authenticate} challenges, close
 * code and reason), refusals with a valid token check that the token still works afterwards, and positive
 * controls make sure the suite can fail. Afterwards, everything the process logged (java.util.logging at level
 * ALL, which Tomcat and Netty use, and System.out/err) must hold none of the tokens and credentials used.
 *
 * <p>Items of issue 13 are named in each case ({@code "item 2"} ...); {@code "control"} cases must upgrade,
 * {@code "own"} cases are further hostile input. Time is a {@link MutableClock}; nothing sleeps for expiry.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {
  /**
   * How long an idle connection (no request, or a partial one) may stay open. LEAD: the demo has no setting for
   * the pre-handshake timeout yet (issue 13 item 4); once {@link DemoConfig} has one, set it short here (e.g. 1 s)
   * and lower this bound. The idle sockets are opened in {@link #start()} so the wait overlaps the other cases.
   */
  private static final Duration PRE_HANDSHAKE_TIMEOUT_BOUND = Duration.ofSeconds(12);
  private static final Duration FIRST_MESSAGE_DEADLINE = Duration.ofMillis(500);
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private static final String EVIL = "http://evil.example";
  private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));

  private static Demo demo;
  private static final Set<String> SECRETS = Collections.synchronizedSet(new LinkedHashSet<>());
  private static final StringBuffer LOG = new StringBuffer();
  private static final Map<AuthMethod, RawClient> IDLE = new EnumMap<>(AuthMethod.class);
  private static final Map<AuthMethod, RawClient> SLOW = new EnumMap<>(AuthMethod.class);
  private static long idleOpenedAt;
  private static final List<String> PASSED = Collections.synchronizedList(new ArrayList<>());
  private static final List<String> FAILED = Collections.synchronizedList(new ArrayList<>());
  private static Handler capture;
  private static Level rootLevel;
  private static PrintStream out;
  private static PrintStream err;

  // ---------------------------------------------------------------------------------------------------------
  // The case table.

  /** One hostile input: which issue item it pins, which server it attacks, the exact answer it expects. */
  record Case(String item, AuthMethod server, String name, String expected, Body body) {
    @Override
    public String toString() {
      return "[" + item + "] " + server.id() + ": " + name + " -> " + expected;
    }
  }

  /** What a case does; throws {@link AssertionError} when the answer is not the expected one. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  private static final List<AuthMethod> HANDSHAKE_SERVERS = List.of(QUERY_PARAM, COOKIE, USER_INFO, SUBPROTOCOL, BEARER);
  private static final List<AuthMethod> NETTY_HANDSHAKE = List.of(COOKIE, SUBPROTOCOL);
  private static final List<AuthMethod> TOMCAT = List.of(QUERY_PARAM, USER_INFO, BEARER);

  private static final List<Case> CASES = cases();

  private static List<Case> cases() {
    List<Case> c = new ArrayList<>();

    // Positive controls: a valid token upgrades on every server, opaque and JWT.
    for (AuthMethod m : AuthMethod.values()) {
      c.add(new Case("control", m, "valid opaque token", "101, Hello alice!", () -> assertUpgrades(m, "alice",
          token("alice"))));
      c.add(new Case("control", m, "valid JWT", "101, Hello carol!", () -> assertUpgrades(m, "carol",
          jwt("carol"))));
    }
    c.add(new Case("control", BEARER, "lower-case header names and scheme", "101, Hello bob!", () -> {
      String t = token("bob");
      try (RawClient cl = RawClient.connect(demo.port(BEARER))) {
        cl.send("GET / HTTP/1.1\r\nhost: localhost\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
            + "sec-websocket-key: " + KEY + "\r\nsec-websocket-version: 13\r\nauthorization: bearer " + t + "\r\n\r\n");
        assertHello(cl, "bob");
      }
    }));
    c.add(new Case("control", SUBPROTOCOL, "odd-case header names", "101, Hello bob!", () -> {
      String t = token("bob");
      try (RawClient cl = RawClient.connect(demo.port(SUBPROTOCOL))) {
        cl.send("GET / HTTP/1.1\r\nHOST: localhost\r\nuPgRaDe: WebSocket\r\ncOnNeCtIoN: Upgrade\r\n"
            + "SEC-WEBSOCKET-KEY: " + KEY + "\r\nSec-Websocket-Version: 13\r\nORIGIN: " + demo.appOrigin()
            + "\r\nsec-websocket-PROTOCOL: hello, authorization.bearer." + t + "\r\n\r\n");
        assertHello(cl, "bob");
      }
    }));
    c.add(new Case("control", COOKIE, "cookie without Origin (not a browser)", "101, Hello bob!", () -> {
      String t = token("bob");
      try (RawClient cl = RawClient.connect(demo.port(COOKIE))) {
        cl.send(ws(COOKIE).h("Cookie: wsauth=" + t).build());
        assertHello(cl, "bob");
      }
    }));

    // Item 2: a refused or ignored request on a keep-alive connection authenticates nothing that follows.
    for (AuthMethod m : HANDSHAKE_SERVERS) {
      c.add(new Case("item 2", m, "version 99 with a valid token, then an unauthenticated foreign-Origin upgrade",
          "426 + Sec-WebSocket-Version: 13, then 403 (bearer: 401) or closed", () -> {
            String t = token("alice");
            try (RawClient cl = RawClient.connect(demo.port(m))) {
              cl.send(valid(m, "alice", t).replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 99").build());
              assert426(cl.readResponse());
              cl.send(ws(m).origin(EVIL).build());
              if (m == BEARER) { // any Origin: the missing credential decides
                assertRefusedOrClosed(cl, 401, List.of(challenge(m, Kind.MISSING)));
              } else {
                assertRefusedOrClosed(cl, 403, List.of());
              }
            }
          }));
    }
    for (AuthMethod m : NETTY_HANDSHAKE) {
      c.add(new Case("item 2", m, "version 99 with a valid token, then an upgrade with no credential",
          "426, then 401 + challenge (or closed)", () -> {
            String t = token("alice");
            try (RawClient cl = RawClient.connect(demo.port(m))) {
              cl.send(valid(m, "alice", t).replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 99").build());
              assert426(cl.readResponse());
              cl.send(ws(m).build());
              assertRefusedOrClosed(cl, 401, List.of(challenge(m, Kind.MISSING)));
            }
          }));
      c.add(new Case("item 2", m, "absolute-form target with a valid token, then a foreign-Origin upgrade on the "
          + "same connection", "101 + Hello alice! for the absolute-form request; the second is never answered as HTTP "
          + "(close 1002 or connection closed)", () -> {
            String t = token("alice");
            try (RawClient cl = RawClient.connect(demo.port(m))) {
              cl.send(valid(m, "alice", t).target("http://localhost:" + demo.port(m) + "/").build());
              assertHello(cl, "alice");
              cl.send(ws(m).origin(EVIL).build());
              assertCloseOrEnd(cl, 1002);
            }
          }));
      c.add(new Case("item 2", m, "POST upgrade with a valid token, then a foreign-Origin upgrade",
          "400/403/405, then 403 (or closed)", () -> {
            String t = token("alice");
            try (RawClient cl = RawClient.connect(demo.port(m))) {
              cl.send(valid(m, "alice", t).method("POST").h("Content-Length: 0").build());
              assertStatusIn(cl.readResponse(), 400, 403, 405);
              cl.send(ws(m).origin(EVIL).build());
              assertRefusedOrClosed(cl, 403, List.of());
            }
          }));
    }

    // Item 3: a request the framework could not decode is refused before any authentication.
    for (AuthMethod m : List.of(COOKIE, SUBPROTOCOL, FIRST_MESSAGE)) {
      c.add(new Case("item 3", m, "headers over 8 KiB hiding a foreign Origin", "431", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).removeOrigin().h("X-Pad: " + "a".repeat(9000)).h("Origin: " + EVIL).build());
          assertStatus(cl.readResponse(), 431);
        }
        assertUpgrades(m, "alice", t);
      }));
      c.add(new Case("item 3", m, "a NUL byte in a header before a foreign Origin", "400", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).removeOrigin().h("X-Bad: a\u0000b").h("Origin: " + EVIL).build());
          assertStatus(cl.readResponse(), 400);
        }
        assertUpgrades(m, "alice", t);
      }));
      c.add(new Case("item 3", m, "a header name with a space before a foreign Origin", "400", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).removeOrigin().h("Bad Header: x").h("Origin: " + EVIL).build());
          assertStatus(cl.readResponse(), 400);
        }
        assertUpgrades(m, "alice", t);
      }));
    }
    for (AuthMethod m : TOMCAT) {
      c.add(new Case("item 3", m, "headers over 8 KiB (Tomcat answers 400; 431 is better)", "400 or 431", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).h("X-Pad: " + "a".repeat(9000)).h("Origin: " + EVIL).build());
          assertStatusIn(cl.readResponse(), 400, 431);
        }
        assertUpgrades(m, "alice", t);
      }));
      c.add(new Case("item 3", m, "a NUL byte in a header", "400", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).h("X-Bad: a\u0000b").build());
          assertStatus(cl.readResponse(), 400);
        }
        assertUpgrades(m, "alice", t);
      }));
    }
    for (AuthMethod m : List.of(COOKIE, QUERY_PARAM)) {
      c.add(new Case("item 3", m, "request target over 8 KiB", "400 or 414", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).target("/?pad=" + "b".repeat(9000) + (m == QUERY_PARAM ? "&token=" + t : ""))
              .build());
          assertStatusIn(cl.readResponse(), 400, 414);
        }
        assertUpgrades(m, "alice", t);
      }));
    }

    // Item 4: unauthenticated connections are bounded in time (sockets opened in start()).
    for (AuthMethod m : AuthMethod.values()) {
      c.add(new Case("item 4", m, "idle connection that never sends a request",
          "closed by the server within " + PRE_HANDSHAKE_TIMEOUT_BOUND.toSeconds() + " s",
          () -> assertClosedByPreHandshakeTimeout(IDLE.get(m))));
      c.add(new Case("item 4", m, "slowloris: a request line and half a header, then silence",
          "closed by the server within " + PRE_HANDSHAKE_TIMEOUT_BOUND.toSeconds() + " s",
          () -> assertClosedByPreHandshakeTimeout(SLOW.get(m))));
    }
    c.add(new Case("item 4", COOKIE, "200 idle connections held, then a legitimate client", "101, Hello alice!",
        () -> {
          List<RawClient> held = new ArrayList<>();
          try {
            for (int i = 0; i < 200; i++) {
              held.add(RawClient.connect(demo.port(COOKIE)));
            }
            assertUpgrades(COOKIE, "alice", token("alice"));
          } finally {
            for (RawClient h : held) {
              h.close();
            }
          }
        }));

    // Item 6: a malformed query is refused 400 before verification, and the token still works.
    for (String bad : List.of("x=%ZZ", "x=%", "x=%1", "x=%%", "x=%C3%28", "x=%E2%82")) {
      c.add(new Case("item 6", QUERY_PARAM, "?token=<valid>&" + bad,
          "400 + " + challenge(QUERY_PARAM, Kind.MALFORMED) + ", token still works", () -> {
            String t = token("alice");
            try (RawClient cl = RawClient.connect(demo.port(QUERY_PARAM))) {
              cl.send(ws(QUERY_PARAM).origin(demo.appOrigin()).target("/?token=" + t + "&" + bad).build());
              assertStatus(cl.readResponse(), 400, challenge(QUERY_PARAM, Kind.MALFORMED));
            }
            assertUpgrades(QUERY_PARAM, "alice", t);
          }));
    }
    c.add(new Case("item 6", QUERY_PARAM, "?x=%ZZ&token=<valid> (malformed part first)",
        "400 + " + challenge(QUERY_PARAM, Kind.MALFORMED) + ", token still works", () -> {
          String t = token("alice");
          try (RawClient cl = RawClient.connect(demo.port(QUERY_PARAM))) {
            cl.send(ws(QUERY_PARAM).origin(demo.appOrigin()).target("/?x=%ZZ&token=" + t).build());
            assertStatus(cl.readResponse(), 400, challenge(QUERY_PARAM, Kind.MALFORMED));
          }
          assertUpgrades(QUERY_PARAM, "alice", t);
        }));
    for (AuthMethod m : List.of(USER_INFO, BEARER)) {
      c.add(new Case("item 6", m, "valid header credential with ?x=%ZZ", "400, token still works", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).target("/?x=%ZZ").build());
          assertStatus(cl.readResponse(), 400);
        }
        assertUpgrades(m, "alice", t);
      }));
    }

    // Item 7: handshakes the server refuses consume nothing.
    for (AuthMethod m : HANDSHAKE_SERVERS) {
      c.add(new Case("item 7", m, "no Sec-WebSocket-Key, valid token", "400, token still works", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).remove("Sec-WebSocket-Key").build());
          assertStatus(cl.readResponse(), 400);
        }
        assertUpgrades(m, "alice", t);
      }));
      c.add(new Case("item 7", m, "Sec-WebSocket-Version: 99, valid token",
          "426 + Sec-WebSocket-Version: 13, token still works", () -> {
            String t = token("alice");
            try (RawClient cl = RawClient.connect(demo.port(m))) {
              cl.send(valid(m, "alice", t).replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 99").build());
              assert426(cl.readResponse());
            }
            assertUpgrades(m, "alice", t);
          }));
      c.add(new Case("item 7", m, "POST upgrade, valid token", "400 (Tomcat) / 403 or 405 (Netty), token still works",
          () -> {
            String t = token("alice");
            try (RawClient cl = RawClient.connect(demo.port(m))) {
              cl.send(valid(m, "alice", t).method("POST").h("Content-Length: 0").build());
              assertStatusIn(cl.readResponse(), 400, 403, 405);
            }
            assertUpgrades(m, "alice", t);
          }));
      if (TOMCAT.contains(m)) { // the Netty demo servers match every path under "/" (checkStartsWith)
        c.add(new Case("item 7", m, "path that is not the endpoint, valid token", "400 or 404, token still works",
            () -> {
              String t = token("alice");
              try (RawClient cl = RawClient.connect(demo.port(m))) {
                Req r = valid(m, "alice", t);
                cl.send(r.target(m == QUERY_PARAM ? "/not-here?token=" + t : "/not-here").build());
                assertStatusIn(cl.readResponse(), 400, 404);
              }
              assertUpgrades(m, "alice", t);
            }));
      }
      c.add(new Case("item 7", m, "no Connection: Upgrade, valid token", "400, token still works", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).replace("Connection: Upgrade", "Connection: keep-alive").build());
          assertStatus(cl.readResponse(), 400);
        }
        assertUpgrades(m, "alice", t);
      }));
    }
    for (AuthMethod m : List.of(QUERY_PARAM, COOKIE)) {
      c.add(new Case("own", m, "HTTP/1.0 upgrade, valid token (RFC 6455 4.2.1 needs HTTP/1.1)",
          "400, token still works", () -> {
            String t = token("alice");
            try (RawClient cl = RawClient.connect(demo.port(m))) {
              cl.send(valid(m, "alice", t).version("HTTP/1.0").build());
              assertStatus(cl.readResponse(), 400);
            }
            assertUpgrades(m, "alice", t);
          }));
    }

    // Item 8: a frame pipelined with the handshake reaches the application only after acceptance.
    c.add(new Case("item 8", FIRST_MESSAGE, "token frame in the same write as the upgrade", "101, Hello alice!",
        () -> {
          String t = token("alice");
          try (RawClient cl = RawClient.connect(demo.port(FIRST_MESSAGE))) {
            cl.send(concat(ws(FIRST_MESSAGE).build(), RawClient.textFrame(tokenMessage(t))));
            assertHello(cl, "alice");
          }
        }));
    c.add(new Case("item 8", FIRST_MESSAGE, "token frame and goodbye in the same write as the upgrade",
        "101, Hello alice!, close 1000 bye", () -> {
          String t = token("alice");
          try (RawClient cl = RawClient.connect(demo.port(FIRST_MESSAGE))) {
            cl.send(concat(ws(FIRST_MESSAGE).build(), RawClient.textFrame(tokenMessage(t)),
                RawClient.textFrame(HelloProtocol.goodbye("alice"))));
            assertHello(cl, "alice");
            assertClose(cl.readFrame(), 1000, HelloProtocol.BYE);
          }
        }));
    c.add(new Case("item 8", FIRST_MESSAGE, "forged token frame in the same write as the upgrade",
        "101, close 1008 unknown token, no hello", () -> {
          try (RawClient cl = RawClient.connect(demo.port(FIRST_MESSAGE))) {
            cl.send(concat(ws(FIRST_MESSAGE).build(), RawClient.textFrame(tokenMessage(forged())),
                RawClient.textFrame(HelloProtocol.goodbye("alice"))));
            assertStatus(cl.readResponse(), 101);
            assertClose(cl.readFrame(), 1008, "unknown token");
          }
        }));
    c.add(new Case("item 8", FIRST_MESSAGE, "upgrade and half the token frame in one write, the rest later",
        "101, Hello alice!", () -> {
          String t = token("alice");
          byte[] frame = RawClient.textFrame(tokenMessage(t));
          try (RawClient cl = RawClient.connect(demo.port(FIRST_MESSAGE))) {
            cl.send(concat(ws(FIRST_MESSAGE).build(), java.util.Arrays.copyOf(frame, 9)));
            cl.send(java.util.Arrays.copyOfRange(frame, 9, frame.length));
            assertHello(cl, "alice");
          }
        }));
    for (AuthMethod m : HANDSHAKE_SERVERS) {
      c.add(new Case("item 8", m, "goodbye frame pipelined with a valid upgrade", "101, Hello alice!, close 1000 bye",
          () -> {
            String t = token("alice");
            try (RawClient cl = RawClient.connect(demo.port(m))) {
              cl.send(concat(valid(m, "alice", t).build(), RawClient.textFrame(HelloProtocol.goodbye("alice"))));
              assertHello(cl, "alice");
              assertClose(cl.readFrame(), 1000, HelloProtocol.BYE);
            }
          }));
      c.add(new Case("item 8", m, "frame pipelined with a forged credential",
          "401 + " + challenge(m, Kind.INVALID) + ", nothing else upgraded", () -> {
            try (RawClient cl = RawClient.connect(demo.port(m))) {
              cl.send(concat(valid(m, "alice", forged()).build(), RawClient.textFrame("Goodbye alice.")));
              assertStatus(cl.readResponse(), 401, challenge(m, Kind.INVALID));
              assertNoUpgradeAfter(cl);
            }
          }));
    }

    // Item 9: absolute-form request targets are answered (RFC 9112 3.2.2: a server MUST accept them).
    for (AuthMethod m : AuthMethod.values()) {
      c.add(new Case("item 9", m, "absolute-form target http://localhost:<port>/ with a valid token",
          "101, Hello alice!", () -> {
            String t = token("alice");
            try (RawClient cl = RawClient.connect(demo.port(m))) {
              String target = "http://localhost:" + demo.port(m) + "/" + (m == QUERY_PARAM ? "?token=" + t : "");
              cl.send(valid(m, "alice", t).target(target).build());
              if (m == FIRST_MESSAGE) {
                assertStatus(cl.readResponse(), 101);
                cl.sendText(tokenMessage(t));
                assertEquals(cl.readFrame().text(), HelloProtocol.hello("alice"));
              } else {
                assertHello(cl, "alice");
              }
            }
          }));
    }

    // Own cases: credentials.
    for (AuthMethod m : HANDSHAKE_SERVERS) {
      c.add(new Case("own", m, "no credential", "401 + " + challenge(m, Kind.MISSING), () -> {
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(ws(m).origin(m.browser() ? demo.appOrigin() : null).build());
          assertStatus(cl.readResponse(), 401, challenge(m, Kind.MISSING));
        }
      }));
      c.add(new Case("own", m, "forged token (right shape, never issued)", "401 + " + challenge(m, Kind.INVALID),
          () -> assertRefused(m, "alice", forged(), 401, challenge(m, Kind.INVALID))));
      c.add(new Case("own", m, "replayed token", "401 + " + challenge(m, Kind.INVALID), () -> {
        String t = token("alice");
        assertUpgrades(m, "alice", t);
        assertRefused(m, "alice", t, 401, challenge(m, Kind.INVALID));
      }));
      c.add(new Case("own", m, "expired token (clock +36 s)", "401 + " + challenge(m, Kind.INVALID), () -> {
        String t = token("alice");
        CLOCK.advance(Duration.ofSeconds(36));
        assertRefused(m, "alice", t, 401, challenge(m, Kind.INVALID));
      }));
      c.add(new Case("own", m, "JWT with a flipped signature byte", "401 + " + challenge(m, Kind.INVALID), () -> {
        String j = jwt("alice");
        char last = j.charAt(j.length() - 2);
        String bad = j.substring(0, j.length() - 2) + (last == 'A' ? 'B' : 'A') + j.charAt(j.length() - 1);
        secret(bad);
        assertRefused(m, "alice", bad, 401, challenge(m, Kind.INVALID));
      }));
      c.add(new Case("own", m, "token of 5000 characters", "400 + " + challenge(m, Kind.MALFORMED), () ->
          assertRefused(m, "alice", secret("A".repeat(5000)), 400, challenge(m, Kind.MALFORMED))));
    }
    for (AuthMethod m : List.of(QUERY_PARAM, COOKIE, SUBPROTOCOL)) {
      c.add(new Case("own", m, "foreign Origin, valid token", "403, token still works", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).origin(EVIL).build());
          assertStatus(cl.readResponse(), 403);
        }
        assertUpgrades(m, "alice", t);
      }));
      c.add(new Case("own", m, "Origin: null, valid token", "403, token still works", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).origin("null").build());
          assertStatus(cl.readResponse(), 403);
        }
        assertUpgrades(m, "alice", t);
      }));
      c.add(new Case("own", m, "two Origin headers (app, evil), valid token", "403, token still works", () -> {
        String t = token("alice");
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(valid(m, "alice", t).h("Origin: " + EVIL).build());
          assertStatus(cl.readResponse(), 403);
        }
        assertUpgrades(m, "alice", t);
      }));
    }
    c.add(new Case("own", COOKIE, "the app's origin on another port", "403", () ->
        assertStatus(send(COOKIE, valid(COOKIE, "alice", token("alice")).origin("http://localhost:1")), 403)));
    c.add(new Case("own", COOKIE, "two different wsauth cookies (cookie tossing)",
        "400 + " + challenge(COOKIE, Kind.MALFORMED) + ", token still works", () -> {
          String t = token("alice");
          assertStatus(send(COOKIE, ws(COOKIE).origin(demo.appOrigin()).h("Cookie: wsauth=" + forged() + "; wsauth=" + t)),
              400, challenge(COOKIE, Kind.MALFORMED));
          assertUpgrades(COOKIE, "alice", t);
        }));
    c.add(new Case("own", COOKIE, "control character in the cookie value", "400", () -> {
      String t = token("alice");
      assertStatus(send(COOKIE, ws(COOKIE).origin(demo.appOrigin()).h("Cookie: wsauth=" + t + "\u0001")), 400);
      assertUpgrades(COOKIE, "alice", t);
    }));
    c.add(new Case("own", QUERY_PARAM, "?token twice", "400 + " + challenge(QUERY_PARAM, Kind.MALFORMED), () -> {
      String t = token("alice");
      assertStatus(send(QUERY_PARAM, ws(QUERY_PARAM).origin(demo.appOrigin()).target("/?token=" + t + "&token=" + t)),
          400, challenge(QUERY_PARAM, Kind.MALFORMED));
      assertUpgrades(QUERY_PARAM, "alice", t);
    }));
    c.add(new Case("own", QUERY_PARAM, "percent-encoded control character in the token",
        "400 + " + challenge(QUERY_PARAM, Kind.MALFORMED), () -> {
          String t = token("alice");
          assertStatus(send(QUERY_PARAM, ws(QUERY_PARAM).origin(demo.appOrigin()).target("/?token=" + t + "%0A")),
              400, challenge(QUERY_PARAM, Kind.MALFORMED));
          assertUpgrades(QUERY_PARAM, "alice", t);
        }));
    c.add(new Case("own", QUERY_PARAM, "raw byte 0xFF in the request target", "400", () -> {
      String t = token("alice");
      assertStatus(send(QUERY_PARAM, ws(QUERY_PARAM).origin(demo.appOrigin()).target("/?token=" + t + "\u00ff")), 400);
      assertUpgrades(QUERY_PARAM, "alice", t);
    }));
    c.add(new Case("own", SUBPROTOCOL, "two token entries", "400 + " + challenge(SUBPROTOCOL, Kind.MALFORMED), () -> {
      String t = token("alice");
      assertStatus(send(SUBPROTOCOL, ws(SUBPROTOCOL).origin(demo.appOrigin()).h("Sec-WebSocket-Protocol: hello, "
          + "authorization.bearer." + t + ", authorization.bearer." + t)), 400, challenge(SUBPROTOCOL, Kind.MALFORMED));
      assertUpgrades(SUBPROTOCOL, "alice", t);
    }));
    c.add(new Case("own", SUBPROTOCOL, "token entry only, no application protocol",
        "101 without echoing the token entry, or a refusal", () -> {
          String t = token("alice");
          try (RawClient cl = RawClient.connect(demo.port(SUBPROTOCOL))) {
            cl.send(ws(SUBPROTOCOL).origin(demo.appOrigin()).h("Sec-WebSocket-Protocol: authorization.bearer." + t)
                .build());
            Response r = cl.readResponse();
            assertThat(r.toString()).doesNotContain(t);
          }
        }));
    c.add(new Case("own", BEARER, "two Authorization headers (same valid token)",
        "400 + " + challenge(BEARER, Kind.MALFORMED) + ", token still works", () -> {
          String t = token("alice");
          assertStatus(send(BEARER, ws(BEARER).h("Authorization: Bearer " + t).h("Authorization: Bearer " + t)), 400,
              challenge(BEARER, Kind.MALFORMED));
          assertUpgrades(BEARER, "alice", t);
        }));
    c.add(new Case("own", BEARER, "comma-folded Authorization: Bearer a, Bearer b",
        "400 + " + challenge(BEARER, Kind.MALFORMED) + ", token still works", () -> {
          String t = token("alice");
          assertStatus(send(BEARER, ws(BEARER).h("Authorization: Bearer " + t + ", Bearer " + t)), 400,
              challenge(BEARER, Kind.MALFORMED));
          assertUpgrades(BEARER, "alice", t);
        }));
    c.add(new Case("own", BEARER, "Bearer a b", "400 + " + challenge(BEARER, Kind.MALFORMED), () ->
        assertStatus(send(BEARER, ws(BEARER).h("Authorization: Bearer a b")), 400, challenge(BEARER, Kind.MALFORMED))));
    c.add(new Case("own", BEARER, "obs-fold continuation line in Authorization",
        "400 and the token still works, or the unfolded credential upgrades (RFC 9112 5.2 allows both)", () -> {
          String t = token("alice");
          try (RawClient cl = RawClient.connect(demo.port(BEARER))) {
            cl.send(ws(BEARER).h("Authorization: Bearer\r\n " + t).build());
            Response r = cl.readResponse();
            if (r.status() == 101) {
              assertEquals(cl.readFrame().toString(), "frame op=1 " + HelloProtocol.hello("alice"));
              return;
            }
            assertStatus(r, 400);
          }
          assertUpgrades(BEARER, "alice", t);
        }));
    c.add(new Case("own", BEARER, "control character after the token", "400", () -> {
      String t = token("alice");
      assertStatus(send(BEARER, ws(BEARER).h("Authorization: Bearer " + t + "\u0001")), 400);
      assertUpgrades(BEARER, "alice", t);
    }));
    c.add(new Case("own", BEARER, "Transfer-Encoding and Content-Length with a smuggled request",
        "400 and the token still works, or 101 + Hello alice! and the smuggled request never answered", () -> {
          String t = token("alice");
          String smuggled = "0\r\n\r\nGET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade"
              + "\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
          try (RawClient cl = RawClient.connect(demo.port(BEARER))) {
            cl.send(valid(BEARER, "alice", t).h("Transfer-Encoding: chunked").h("Content-Length: 5").build()
                + smuggled);
            Response r = cl.readResponse();
            if (r.status() == 101) { // the valid request itself was upgraded; the smuggled one must get no answer
              assertEquals(cl.readFrame().toString(), "frame op=1 " + HelloProtocol.hello("alice"));
              assertNoHttpAnswer(cl);
              return;
            }
            assertStatus(r, 400);
            assertNoUpgradeAfter(cl);
          }
          assertUpgrades(BEARER, "alice", t);
        }));
    c.add(new Case("own", COOKIE, "Transfer-Encoding and Content-Length with a smuggled request",
        "400 and the token still works, or 101 + Hello alice! and the smuggled request never answered", () -> {
          String t = token("alice");
          String smuggled = "0\r\n\r\nGET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade"
              + "\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\nOrigin: " + EVIL + "\r\n\r\n";
          try (RawClient cl = RawClient.connect(demo.port(COOKIE))) {
            cl.send(valid(COOKIE, "alice", t).h("Transfer-Encoding: chunked").h("Content-Length: 5").build()
                + smuggled);
            Response r = cl.readResponse();
            if (r.status() == 101) { // the valid request itself was upgraded; the smuggled one must get no answer
              assertEquals(cl.readFrame().toString(), "frame op=1 " + HelloProtocol.hello("alice"));
              assertNoHttpAnswer(cl);
              return;
            }
            assertStatus(r, 400);
            assertNoUpgradeAfter(cl);
          }
          assertUpgrades(COOKIE, "alice", t);
        }));
    c.add(new Case("own", BEARER, "no Host header (RFC 9112 3.2: 400)", "400, token still works", () -> {
      String t = token("alice");
      assertStatus(send(BEARER, valid(BEARER, "alice", t).remove("Host")), 400);
      assertUpgrades(BEARER, "alice", t);
    }));
    for (AuthMethod m : List.of(COOKIE, BEARER)) {
      c.add(new Case("own", m, "TLS ClientHello on the plain port", "400", () -> {
        try (RawClient cl = RawClient.connect(demo.port(m))) {
          cl.send(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03, '\r', '\n',
              '\r', '\n'});
          assertStatus(cl.readResponse(), 400);
        }
      }));
    }
    c.add(new Case("own", USER_INFO, "Basic with bad base64", "400 + " + challenge(USER_INFO, Kind.MALFORMED), () ->
        assertStatus(send(USER_INFO, ws(USER_INFO).h("Authorization: Basic %%%")), 400,
            challenge(USER_INFO, Kind.MALFORMED))));
    c.add(new Case("own", USER_INFO, "Basic credentials in ISO-8859-1 (invalid UTF-8)",
        "400 + " + challenge(USER_INFO, Kind.MALFORMED), () -> {
          String t = token("alice");
          String b = secret(Base64.getEncoder().encodeToString(("al\u00e9:" + t).getBytes(StandardCharsets.ISO_8859_1)));
          assertStatus(send(USER_INFO, ws(USER_INFO).h("Authorization: Basic " + b)), 400,
              challenge(USER_INFO, Kind.MALFORMED));
          assertUpgrades(USER_INFO, "alice", t);
        }));
    c.add(new Case("own", USER_INFO, "control character in the Basic user name",
        "400 + " + challenge(USER_INFO, Kind.MALFORMED), () -> {
          String t = token("alice");
          assertStatus(send(USER_INFO, ws(USER_INFO).h("Authorization: Basic " + basic("al\u0001ice", t))), 400,
              challenge(USER_INFO, Kind.MALFORMED));
          assertUpgrades(USER_INFO, "alice", t);
        }));
    c.add(new Case("own", USER_INFO, "Basic without a colon", "400 + " + challenge(USER_INFO, Kind.MALFORMED), () ->
        assertStatus(send(USER_INFO, ws(USER_INFO).h("Authorization: Basic "
            + secret(Base64.getEncoder().encodeToString("alice".getBytes(StandardCharsets.UTF_8))))), 400,
            challenge(USER_INFO, Kind.MALFORMED))));
    c.add(new Case("own", USER_INFO, "another user's token", "401 + " + challenge(USER_INFO, Kind.INVALID), () ->
        assertStatus(send(USER_INFO, ws(USER_INFO).h("Authorization: Basic " + basic("mallory", token("alice")))), 401,
            challenge(USER_INFO, Kind.INVALID))));
    c.add(new Case("own", USER_INFO, "Basic and Bearer together (two credentials)",
        "400 + " + challenge(USER_INFO, Kind.MALFORMED), () -> {
          String t = token("alice");
          assertStatus(send(USER_INFO, ws(USER_INFO).h("Authorization: Basic " + basic("alice", t))
              .h("Authorization: Bearer " + t)), 400, challenge(USER_INFO, Kind.MALFORMED));
          assertUpgrades(USER_INFO, "alice", t);
        }));

    // Own cases: the first message.
    c.add(new Case("own", FIRST_MESSAGE, "forged token", "close 1008 unknown token", () ->
        assertFirstMessageClose(RawClient.textFrame(tokenMessage(forged())), 1008, "unknown token")));
    c.add(new Case("own", FIRST_MESSAGE, "replayed token", "close 1008 token already used", () -> {
      String t = token("alice");
      assertUpgrades(FIRST_MESSAGE, "alice", t);
      assertFirstMessageClose(RawClient.textFrame(tokenMessage(t)), 1008, "token already used");
    }));
    c.add(new Case("own", FIRST_MESSAGE, "expired token", "close 1008 token expired", () -> {
      String t = token("alice");
      CLOCK.advance(Duration.ofSeconds(36));
      assertFirstMessageClose(RawClient.textFrame(tokenMessage(t)), 1008, "token expired");
    }));
    c.add(new Case("own", FIRST_MESSAGE, "not JSON", "close 1008 malformed authentication message", () ->
        assertFirstMessageClose(RawClient.textFrame("not json"), 1008, "malformed authentication message")));
    c.add(new Case("own", FIRST_MESSAGE, "JSON token that is a number", "close 1008 malformed authentication message",
        () -> assertFirstMessageClose(RawClient.textFrame("{\"token\": 42}"), 1008, "malformed authentication message")));
    c.add(new Case("own", FIRST_MESSAGE, "binary first message", "close 1008 authentication message must be text",
        () -> assertFirstMessageClose(RawClient.frame(true, 2, tokenMessage(token("alice"))
            .getBytes(StandardCharsets.UTF_8)), 1008, "authentication message must be text")));
    c.add(new Case("own", FIRST_MESSAGE, "fragmented first message", "close 1008 authentication message must be text",
        () -> {
          byte[] msg = tokenMessage(token("alice")).getBytes(StandardCharsets.UTF_8);
          assertFirstMessageClose(concat(RawClient.frame(false, 1, java.util.Arrays.copyOf(msg, 5)),
              RawClient.frame(true, 0, java.util.Arrays.copyOfRange(msg, 5, msg.length))), 1008,
              "authentication message must be text");
        }));
    c.add(new Case("own", FIRST_MESSAGE, "first message of 5000 bytes", "close 1009 authentication message too big",
        () -> assertFirstMessageClose(RawClient.textFrame("{\"token\": \"" + "A".repeat(5000) + "\"}"), 1009,
            "authentication message too big")));
    c.add(new Case("own", FIRST_MESSAGE, "first message of 70000 bytes (over the frame limit)", "close 1009",
        () -> assertFirstMessageClose(RawClient.textFrame("x".repeat(70000)), 1009, null)));
    c.add(new Case("own", FIRST_MESSAGE, "invalid UTF-8 in the first text frame", "close 1007", () ->
        assertFirstMessageClose(RawClient.frame(true, 1, new byte[] {'{', (byte) 0xc3, (byte) 0x28, '}'}), 1007, null)));
    c.add(new Case("own", FIRST_MESSAGE, "silence past the deadline", "close 1008 authentication timeout", () ->
        assertFirstMessageClose(new byte[0], 1008, "authentication timeout")));
    c.add(new Case("own", FIRST_MESSAGE, "a ping, then the token", "101, Hello alice!", () -> {
      String t = token("alice");
      try (RawClient cl = RawClient.connect(demo.port(FIRST_MESSAGE))) {
        cl.send(ws(FIRST_MESSAGE).build());
        assertStatus(cl.readResponse(), 101);
        cl.send(RawClient.frame(true, 9, new byte[] {1, 2}));
        cl.sendText(tokenMessage(t));
        Frame f = cl.readFrame();
        if (f.opcode() == 10) {
          f = cl.readFrame();
        }
        assertEquals(f.text(), HelloProtocol.hello("alice"));
      }
    }));
    c.add(new Case("own", FIRST_MESSAGE, "unmasked client frame", "close 1002", () -> {
      byte[] payload = tokenMessage(token("alice")).getBytes(StandardCharsets.UTF_8);
      byte[] frame = new byte[payload.length + 2];
      frame[0] = (byte) 0x81;
      frame[1] = (byte) payload.length;
      System.arraycopy(payload, 0, frame, 2, payload.length);
      assertFirstMessageClose(frame, 1002, null);
    }));
    return List.copyOf(c);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Running the table.

  @BeforeAll
  static void start() throws IOException {
    out = System.out;
    err = System.err;
    System.setOut(new PrintStream(new Tee(out), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(err), true, StandardCharsets.UTF_8));
    Logger root = Logger.getLogger("");
    rootLevel = root.getLevel();
    root.setLevel(Level.ALL);
    capture = new Handler() {
      private final SimpleFormatter formatter = new SimpleFormatter();

      @Override
      public void publish(LogRecord record) {
        if (isLoggable(record)) {
          LOG.append(formatter.format(record));
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    capture.setLevel(Level.ALL);
    // Added before the demo starts: the demo must install its redacting filter on every handler, this one too.
    root.addHandler(capture);
    demo = Demo.start(DemoConfig.builder().ephemeralPorts().clock(CLOCK)
        .firstMessageDeadline(FIRST_MESSAGE_DEADLINE).build());
    idleOpenedAt = System.nanoTime();
    for (AuthMethod m : AuthMethod.values()) {
      IDLE.put(m, RawClient.connect(demo.port(m)));
      String t = token("slow");
      SLOW.put(m, RawClient.connect(demo.port(m)).send("GET /?token=" + t + " HTTP/1.1\r\nHost: localhost\r\nX-A: "));
    }
  }

  @TestFactory
  @Order(1)
  Stream<DynamicTest> hostileCases() {
    // The idle-connection cases last, so their wait overlaps everything else.
    Stream<Case> ordered = Stream.concat(CASES.stream().filter(k -> !k.item().equals("item 4")),
        CASES.stream().filter(k -> k.item().equals("item 4")));
    return ordered.map(k -> DynamicTest.dynamicTest(k.toString(), () -> {
      try {
        k.body().run();
        PASSED.add(k.toString());
      } catch (Throwable t) {
        FAILED.add(k + "  FAILED: " + String.valueOf(t.getMessage()).lines().findFirst().orElse(""));
        throw t;
      }
    }));
  }

  @Test
  @Order(2)
  void caseTable_hasAtLeast100Cases_andCoversEveryWireItem() {
    assertThat(CASES).hasSizeGreaterThanOrEqualTo(100);
    assertThat(CASES.stream().map(Case::item).distinct())
        .contains("control", "item 2", "item 3", "item 4", "item 6", "item 7", "item 8", "item 9", "own");
    for (AuthMethod m : AuthMethod.values()) {
      assertThat(CASES.stream().filter(k -> k.server() == m && k.item().equals("control"))).as(m.id()).isNotEmpty();
    }
  }

  /** Item 5: nothing the process logged holds a token or a credential that the cases sent. */
  @Test
  @Order(3)
  void logs_holdNoTokenAndNoAuthorizationValue() {
    String all = LOG.toString() + "\n" + Tee.text();
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of("target", "hostile-input-logs.txt"), all);
    } catch (IOException e) {
      // Only a convenience for reading the logs afterwards.
    }
    assertThat(all).as("the capture saw Tomcat's log of an unparsable request")
        .contains("Error parsing HTTP request header");
    List<String> leaked = new ArrayList<>();
    synchronized (SECRETS) {
      for (String s : SECRETS) {
        int at = all.indexOf(s);
        if (at >= 0) {
          // Say where, without repeating the secret in the report.
          String around = all.substring(Math.max(0, at - 160), Math.min(all.length(), at + s.length() + 40));
          leaked.add(s.length() + "-char secret in: " + around.replace(s, "<SECRET>"));
        }
      }
    }
    assertThat(leaked).as("secrets found in the captured logs (" + SECRETS.size() + " scanned)").isEmpty();
    assertThat(all).doesNotContainPattern("(?i)authorization:\\s*(bearer|basic)\\s+[A-Za-z0-9._~+/-]{8,}");
  }

  @AfterAll
  static void stop() throws IOException {
    for (RawClient c : IDLE.values()) {
      c.close();
    }
    for (RawClient c : SLOW.values()) {
      c.close();
    }
    if (demo != null) {
      demo.close();
    }
    Logger root = Logger.getLogger("");
    root.removeHandler(capture);
    root.setLevel(rootLevel);
    System.setOut(out);
    System.setErr(err);
    System.out.println("hostile: " + CASES.size() + " cases, " + PASSED.size() + " passed");
    synchronized (FAILED) {
      FAILED.forEach(f -> System.out.println("  " + f));
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Tokens and requests.

  private static String secret(String s) {
    SECRETS.add(s);
    return s;
  }

  private static String token(String user) {
    return secret(demo.tokens().issue(user, DemoTokens.Kind.OPAQUE).value());
  }

  private static String jwt(String user) {
    return secret(demo.tokens().issue(user, DemoTokens.Kind.JWT).value());
  }

  /** An opaque-token shape that was never issued. */
  private static String forged() {
    byte[] b = new byte[32];
    new java.security.SecureRandom().nextBytes(b);
    return secret(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
  }

  private static String basic(String user, String token) {
    return secret(Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8)));
  }

  private static String tokenMessage(String token) {
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
  private static Req ws(AuthMethod m) {
    return new Req().h("Host: localhost:" + demo.port(m)).h("Upgrade: websocket").h("Connection: Upgrade")
        .h("Sec-WebSocket-Key: " + KEY).h("Sec-WebSocket-Version: 13");
  }

  /** The upgrade request that {@code m}'s server accepts with {@code token} (Origin: the app's, where it checks). */
  private static Req valid(AuthMethod m, String user, String token) {
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

  private static Response send(AuthMethod m, Req r) throws IOException {
    try (RawClient cl = RawClient.connect(demo.port(m))) {
      cl.send(r.build());
      return cl.readResponse();
    }
  }

  private static byte[] concat(Object... parts) {
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
  private static String challenge(AuthMethod m, Kind kind) {
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

  private static void assertStatus(Response r, int status, String... challenges) {
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
  private static String bodyStart(Response r) {
    String text = r.bodyText().replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
    return text.substring(0, Math.min(200, text.length()));
  }

  private static void assertStatusIn(Response r, int... statuses) {
    for (int s : statuses) {
      if (r.status() == s) {
        return;
      }
    }
    fail("expected HTTP " + java.util.Arrays.toString(statuses) + " but got: " + r);
  }

  private static void assert426(Response r) {
    assertStatus(r, 426);
    assertThat(r.all("Sec-WebSocket-Version")).as(r.toString()).containsExactly("13");
  }

  private static void assertEquals(String actual, String expected) {
    assertThat(actual).isEqualTo(expected);
  }

  /** The next answer on a kept-alive connection is {@code status}, or the server closed the connection. */
  private static void assertRefusedOrClosed(RawClient cl, int status, List<String> challenges) throws IOException {
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
  private static void assertNoUpgradeAfter(RawClient cl) throws IOException {
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
  private static void assertNoHttpAnswer(RawClient cl) throws IOException {
    byte[] rest = cl.readFor(Duration.ofMillis(500));
    assertThat(new String(rest, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.");
  }

  /** The server closes the WebSocket with {@code code}, or ends the connection; a hang fails. */
  private static void assertCloseOrEnd(RawClient cl, int code) throws IOException {
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

  private static void assertHello(RawClient cl, String user) throws IOException {
    assertStatus(cl.readResponse(), 101);
    Frame f = cl.readFrame();
    assertThat(f.toString()).isEqualTo("frame op=1 " + HelloProtocol.hello(user));
  }

  private static void assertClose(Frame f, int code, String reason) {
    assertThat(f.opcode()).as(f.toString()).isEqualTo(8);
    assertThat(f.closeCode()).as(f.toString()).isEqualTo(code);
    if (reason != null) {
      assertThat(f.closeReason()).isEqualTo(reason);
    }
  }

  /** {@code m}'s server upgrades a connection that presents {@code token} and greets {@code user}. */
  private static void assertUpgrades(AuthMethod m, String user, String token) throws IOException {
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

  private static void assertRefused(AuthMethod m, String user, String token, int status, String challenge)
      throws IOException {
    assertStatus(send(m, valid(m, user, token)), status, challenge);
  }

  /** Upgrades to the first-message server, sends {@code bytes}, expects a close frame and no greeting. */
  private static void assertFirstMessageClose(byte[] bytes, int code, String reason) throws IOException {
    try (RawClient cl = RawClient.connect(demo.port(FIRST_MESSAGE))) {
      cl.send(ws(FIRST_MESSAGE).build());
      assertStatus(cl.readResponse(), 101);
      if (bytes.length > 0) {
        cl.send(bytes);
      }
      assertClose(cl.readFrame(), code, reason);
    }
  }

  private static void assertClosedByPreHandshakeTimeout(RawClient cl) throws IOException {
    long waited = System.nanoTime() - idleOpenedAt;
    Duration left = PRE_HANDSHAKE_TIMEOUT_BOUND.minusNanos(waited);
    boolean closed = cl.closedWithin(left.isNegative() ? Duration.ofMillis(1) : left);
    assertThat(closed).as("closed by the server within " + PRE_HANDSHAKE_TIMEOUT_BOUND).isTrue();
  }

  /** Copies System.out/err to the real stream and keeps the text for the log scan. */
  private static final class Tee extends OutputStream {
    private static final ByteArrayOutputStream COPY = new ByteArrayOutputStream();
    private final OutputStream target;

    Tee(OutputStream target) {
      this.target = target;
    }

    static String text() {
      synchronized (COPY) {
        return COPY.toString(StandardCharsets.UTF_8);
      }
    }

    @Override
    public void write(int b) throws IOException {
      synchronized (COPY) {
        COPY.write(b);
      }
      target.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      synchronized (COPY) {
        COPY.write(b, off, len);
      }
      target.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      target.flush();
    }
  }
}
