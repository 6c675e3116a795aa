package io.github.wsauth.examples.demo;

import static io.github.wsauth.examples.demo.AuthMethod.BEARER;
import static io.github.wsauth.examples.demo.AuthMethod.COOKIE;
import static io.github.wsauth.examples.demo.AuthMethod.FIRST_MESSAGE;
import static io.github.wsauth.examples.demo.AuthMethod.QUERY_PARAM;
import static io.github.wsauth.examples.demo.AuthMethod.SUBPROTOCOL;
import static io.github.wsauth.examples.demo.AuthMethod.USER_INFO;
import static io.github.wsauth.examples.demo.HostileWire.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.github.wsauth.examples.demo.RawClient.Frame;
import io.github.wsauth.examples.demo.RawClient.Response;

/**
 * The hostile-input table of issue 13: one {@link Case} per hostile input, each naming the issue item it pins
 * ({@code "item 2"} ...; {@code "control"} cases must upgrade so the suite can fail; {@code "own"} cases are further
 * hostile input), the server it attacks, and the exact answer it expects (status line, {@code WWW-Authenticate}
 * challenges, close code and reason). Refusals of a request carrying a valid token check that the token still
 * works afterwards. Run by {@link HostileInputTest}.
 */
final class HostileCases {
  private HostileCases() {}

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
  private static final List<AuthMethod> NETTY = List.of(FIRST_MESSAGE, COOKIE, SUBPROTOCOL);

  /** The whole table, in a fixed order. */
  static final List<Case> ALL = build();

  private static List<Case> build() {
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

    // Item 4: unauthenticated connections are bounded in time (the sockets are opened by the first of these cases)
    // and in number per address.
    for (AuthMethod m : AuthMethod.values()) {
      c.add(new Case("item 4", m, "idle connection that never sends a request",
          "closed by the server within " + PRE_HANDSHAKE_TIMEOUT_BOUND.toSeconds() + " s",
          () -> assertClosedByPreHandshakeTimeout(m, false)));
      c.add(new Case("item 4", m, "slowloris: a request line and half a header, then silence",
          "closed by the server within " + PRE_HANDSHAKE_TIMEOUT_BOUND.toSeconds() + " s",
          () -> assertClosedByPreHandshakeTimeout(m, true)));
    }
    for (AuthMethod m : NETTY) {
      c.add(new Case("item 4", m, "100 idle connections from 127.0.0.1, a 101st, then a client from 127.0.0.2",
          "the 101st closed at accept, the 100 held stay open, the other client gets 101, Hello alice!", () -> {
            List<RawClient> held = new ArrayList<>();
            try {
              long start = System.nanoTime();
              for (int i = 0; i < 100; i++) {
                held.add(RawClient.connect(demo.port(m)));
              }
              RawClient excess = RawClient.connect(demo.port(m));
              held.add(excess);
              assertThat(excess.closedWithin(Duration.ofMillis(500))).as("the 101st closed at accept").isTrue();
              assertThat(held.get(99).closedWithin(Duration.ofMillis(1))).as("the 100th still open").isFalse();
              assertThat(Duration.ofNanos(System.nanoTime() - start)).as("all within the handshake timeout, so "
                  + "the cap, not the timeout, decided").isLessThan(HANDSHAKE_TIMEOUT);
              assertUpgradesFrom(OTHER_LOOPBACK, m, "alice", token("alice"));
            } finally {
              for (RawClient h : held) {
                h.close();
              }
            }
          }));
    }

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
            cl.send(concat(ws(FIRST_MESSAGE).build(), Arrays.copyOf(frame, 9)));
            cl.send(Arrays.copyOfRange(frame, 9, frame.length));
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
    // Issue 14: a fragmented first message is assembled (up to the cap) on every adapter, as RFC 6455 §5.4 allows
    // intermediaries to re-fragment; it used to be refused with 1008 on Netty.
    c.add(new Case("own", FIRST_MESSAGE, "fragmented first message", "101, Hello alice!", () -> {
      byte[] msg = tokenMessage(token("alice")).getBytes(StandardCharsets.UTF_8);
      try (RawClient cl = RawClient.connect(demo.port(FIRST_MESSAGE))) {
        cl.send(ws(FIRST_MESSAGE).build());
        assertStatus(cl.readResponse(), 101);
        cl.send(concat(RawClient.frame(false, 1, Arrays.copyOf(msg, 5)),
            RawClient.frame(true, 0, Arrays.copyOfRange(msg, 5, msg.length))));
        assertEquals(cl.readFrame().text(), HelloProtocol.hello("alice"));
      }
    }));
    c.add(new Case("own", FIRST_MESSAGE, "fragments over the cap together", "close 1009 authentication message too big",
        () -> assertFirstMessageClose(concat(RawClient.frame(false, 1, "{\"token\": \"".getBytes(StandardCharsets.UTF_8)),
            RawClient.frame(false, 0, "A".repeat(3000).getBytes(StandardCharsets.UTF_8)),
            RawClient.frame(true, 0, ("A".repeat(3000) + "\"}").getBytes(StandardCharsets.UTF_8))), 1009,
            "authentication message too big")));
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
}
