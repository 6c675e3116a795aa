package io.github.wsauth;

import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenStoreUnavailableException;
import io.github.wsauth.store.TokenStoreFullException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A distinctive secret pushed through every rejection path must never show up in an exception message, a
 * {@code toString()} or a log line (captured from java.util.logging, which backs {@link System.Logger}).
 */
class NoSecretLeakTest {
  /** Opaque-shaped (43 base64url characters, canonical last character) so it reaches the store. */
  private static final String SENTINEL = "SENTINEL" + "Qx7".repeat(11) + "wA";
  private static final String MARK = "SENTINEL";
  private static final String APP = "https://app.example";
  private static final String P = CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX;

  private final TestClock clock = TestClock.atStart();
  private final TokenStore store = TokenStore.inMemory(clock);
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
  private final TokenVerifier verifier = TokenVerifier.opaque(store, TokenPolicy.defaults());
  private final RecordingListener recorder = new RecordingListener();
  private final AuthListener listeners = new AuthListener() {
    private final AuthListener logging = AuthListener.logging();

    @Override
    public void onAccepted(AuthEvent event) {
      recorder.onAccepted(event);
      logging.onAccepted(event);
    }

    @Override
    public void onRejected(AuthEvent event) {
      recorder.onRejected(event);
      logging.onRejected(event);
    }
  };

  /** Every secret used in the test, in every encoding in which it travelled. */
  private final Set<String> secrets = new LinkedHashSet<>();
  /** Everything a user could see: toString()s, exception messages and stack traces, log lines. */
  private final List<String> observed = new ArrayList<>();
  private LogCapture logs;

  @BeforeEach
  void captureLogs() {
    logs = new LogCapture();
    secret(SENTINEL);
  }

  @AfterEach
  void releaseLogs() {
    logs.close();
  }

  private void secret(String s) {
    secrets.add(s);
    secrets.add(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
  }

  private String basic(String user, String password) {
    String encoded = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    secrets.add(encoded);
    return "Basic " + encoded;
  }

  private void see(Object o) {
    observed.add(String.valueOf(o));
  }

  private void seeThrown(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    observed.add(w.toString());
    observed.add(String.valueOf(t.getMessage()));
  }

  private List<String> leaks(List<String> texts) {
    List<String> found = new ArrayList<>();
    for (String text : texts) {
      if (text.contains(MARK)) {
        found.add(text);
        continue;
      }
      for (String s : secrets) {
        if (text.contains(s)) {
          found.add(text);
        }
      }
    }
    return found;
  }

  private void assertNoLeak() {
    List<String> all = new ArrayList<>(observed);
    all.addAll(logs.lines());
    recorder.all().forEach(e -> all.add(e.toString()));
    assertThat(leaks(all)).isEmpty();
  }

  private HandshakeAuthenticator handshake(CredentialExtractor extractor, TokenVerifier v) {
    return HandshakeAuthenticator.builder().extractor(extractor).verifier(v)
        .originPolicy(OriginPolicy.allowOnly(APP)).subprotocols(List.of("chat")).listener(listeners).build();
  }

  private static final CredentialExtractor ALL = CredentialExtractor.firstOf(
      CredentialExtractor.bearerHeader(), CredentialExtractor.basicHeader(),
      CredentialExtractor.queryParameter("token"), CredentialExtractor.cookie("ws_token"),
      CredentialExtractor.subprotocol());

  private List<UpgradeRequest> hostileRequests() {
    String s = SENTINEL;
    List<Supplier<UpgradeRequest.Builder>> list = List.of(
        // Bearer: duplicate, comma-folded, spacing, tab, control, over-long
        () -> req().header("Authorization", "Bearer " + s).header("Authorization", "Bearer " + s),
        () -> req().header("Authorization", "Bearer " + s + ", Bearer " + s + "x"),
        () -> req().header("Authorization", "Bearer  " + s),
        () -> req().header("Authorization", "Bearer\t" + s),
        () -> req().header("Authorization", "Bearer " + s + "\u0001"),
        () -> req().header("Authorization", "Bearer " + s + "a".repeat(4097)),
        // Basic: non-canonical, invalid UTF-8, no colon, controls, empty password, username mismatch
        () -> req().header("Authorization", basic("alice", s).replace("=", "")),
        () -> req().header("Authorization", "Basic " + b64(concat(s.getBytes(StandardCharsets.UTF_8),
            new byte[] {':', (byte) 0xc3, 0x28}))),
        () -> req().header("Authorization", basic("alice" + s, "").replace("Basic ", "Basic ")),
        () -> req().header("Authorization", "Basic " + b64(("alice" + s).getBytes(StandardCharsets.UTF_8))),
        () -> req().header("Authorization", basic("ali\u0007ce", s)),
        () -> req().header("Authorization", basic("alice", s + "\n")),
        () -> req().header("Authorization", basic("mallory", s)),
        // Query: repeated, bad percent-encoding, raw non-ASCII, over-long, control
        () -> req().requestTarget("/ws?token=" + s + "&token=" + s + "2"),
        () -> req().requestTarget("/ws?token=" + s + "%ZZ"),
        () -> req().requestTarget("/ws?token=" + s + "%4"),
        () -> req().requestTarget("/ws?token=" + s + "\u00e9"),
        () -> req().requestTarget("/ws?token=" + s + "%00"),
        () -> req().requestTarget("/ws?token=" + s + "a".repeat(4097)),
        () -> req().requestTarget("/ws?v=1;token=" + s + "#" + s),
        // Cookie: different values, invalid characters, over-long
        () -> req().header("Cookie", "ws_token=" + s + "; ws_token=" + s + "2"),
        () -> req().header("Cookie", "ws_token=\"" + s + " \""),
        () -> req().header("Cookie", "ws_token=" + s + "a".repeat(4097)),
        // Subprotocol: two entries, not a token, over-long
        () -> req().header("Sec-WebSocket-Protocol", P + s + ", " + P + s + "2"),
        () -> req().header("Sec-WebSocket-Protocol", "chat, " + P + s + "="),
        () -> req().header("Sec-WebSocket-Protocol", P + s + "a".repeat(4097)),
        // Two different credentials; malformed plus good
        () -> req().requestTarget("/ws?token=" + s).header("Authorization", "Bearer " + s + "2"),
        () -> req().requestTarget("/ws?token=%ZZ").header("Authorization", "Bearer " + s),
        // Well-formed but unknown: 401 invalid_token
        () -> req().header("Authorization", "Bearer " + s),
        () -> req().requestTarget("/ws?token=" + s),
        () -> req().header("Cookie", "ws_token=" + s),
        () -> req().header("Sec-WebSocket-Protocol", "chat, " + P + s),
        () -> req().header("Authorization", basic("alice", s)),
        // Well-formed but not opaque-shaped: malformed token
        () -> req().header("Authorization", "Bearer " + s + "Z"),
        // Foreign, duplicate and null origins: 403
        () -> UpgradeRequest.builder().header("Origin", "https://evil.example").header("Authorization", "Bearer " + s),
        () -> UpgradeRequest.builder().header("Origin", APP).header("Origin", APP).requestTarget("/ws?token=" + s),
        () -> UpgradeRequest.builder().header("Origin", "null").header("Cookie", "ws_token=" + s));
    List<UpgradeRequest> out = new ArrayList<>();
    for (Supplier<UpgradeRequest.Builder> b : list) {
      out.add(b.get().remoteAddress(new InetSocketAddress("127.0.0.1", 40000)).build());
    }
    return out;
  }

  private static UpgradeRequest.Builder req() {
    return UpgradeRequest.builder().requestTarget("/ws").header("Origin", APP);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void selfCheck_detectorAndLogCaptureWork() {
    assertThat(leaks(List.of("prefix " + SENTINEL + " suffix"))).hasSize(1);
    assertThat(leaks(List.of(basic("alice", "other-secret")))).hasSize(1);
    System.getLogger("io.github.wsauth.selfcheck").log(System.Logger.Level.DEBUG, "debug line " + MARK);
    assertThat(logs.text()).contains("debug line " + MARK);
  }

  @Test
  void extractors_everyMalformedAndPresentPath_leakNothing() {
    List<CredentialExtractor> extractors = List.of(CredentialExtractor.bearerHeader(),
        CredentialExtractor.basicHeader(), CredentialExtractor.queryParameter("token"),
        CredentialExtractor.cookie("ws_token"), CredentialExtractor.subprotocol(), ALL);
    int malformed = 0;
    for (UpgradeRequest r : hostileRequests()) {
      see(r);
      for (CredentialExtractor e : extractors) {
        Extraction x = e.extract(r);
        see(x);
        x.presentCredential().ifPresent(this::see);
        if (x instanceof Extraction.Malformed) {
          malformed++;
        }
      }
    }
    assertThat(malformed).as("the table exercises malformed paths").isGreaterThan(30);
    assertNoLeak();
  }

  @Test
  void handshake_every400_401_403_leaksNothing() {
    HandshakeAuthenticator auth = handshake(ALL, verifier);
    HandshakeAuthenticator basicOnly = handshake(CredentialExtractor.basicHeader(), verifier);
    Set<Integer> statuses = new LinkedHashSet<>();
    for (UpgradeRequest r : hostileRequests()) {
      for (HandshakeAuthenticator a : List.of(auth, basicOnly)) {
        AuthDecision d = a.authenticate(r);
        see(d);
        assertThat(d.isAccepted()).isFalse();
        statuses.add(((AuthDecision.Rejected) d).status());
      }
    }
    see(auth);
    assertThat(statuses).contains(400, 401, 403);
    assertThat(logs.text()).contains("wsauth rejected");
    assertNoLeak();
  }

  @Test
  void handshake_basicUsernameMismatch_leaksNothing() {
    IssuedToken t = issuer.issue("alice");
    secret(t.value());
    AuthDecision d = handshake(CredentialExtractor.basicHeader(), verifier)
        .authenticate(req().header("Authorization", basic("mallory", t.value())).build());
    see(d);
    assertThat(((AuthDecision.Rejected) d).status()).isEqualTo(401);
    assertNoLeak();
  }

  @Test
  void handshake_503AndBrokenComponents_leakNothing() {
    FailingTokenStore failing = new FailingTokenStore(store);
    failing.failing = true;
    AuthDecision down = handshake(ALL, TokenVerifier.opaque(failing, TokenPolicy.defaults()))
        .authenticate(req().header("Authorization", "Bearer " + SENTINEL).build());
    see(down);
    assertThat(((AuthDecision.Rejected) down).status()).isEqualTo(503);

    // Buggy custom components that put the token into their exception message: only the class is logged.
    TokenVerifier leakyVerifier = token -> {
      throw new IllegalStateException("cannot verify " + token);
    };
    see(handshake(ALL, leakyVerifier).authenticate(req().header("Authorization", "Bearer " + SENTINEL).build()));
    CredentialExtractor leakyExtractor = request -> {
      throw new IllegalArgumentException("bad header " + request.headerValues("Authorization"));
    };
    see(handshake(leakyExtractor, verifier).authenticate(req().header("Authorization", "Bearer " + SENTINEL).build()));
    assertThat(logs.text()).contains("token store unavailable").contains("token verifier failed")
        .contains("credential extractor failed");
    assertNoLeak();
  }

  @Test
  void verifier_everyRejection_leaksNothing() {
    IssuedToken used = issuer.issue("alice");
    IssuedToken revoked = issuer.issue("alice");
    IssuedToken expired = issuer.issue("alice");
    IssuedToken good = TokenIssuer.opaque(store, TokenPolicy.builder().lifetime(Duration.ofHours(1)).build(), clock)
        .issue("alice");
    for (IssuedToken t : List.of(used, revoked, expired, good)) {
      secret(t.value());
      see(t);
    }
    see(verifier.verify(used.value()));
    store.revoke(TokenHash.of(revoked.value()));
    List<Verification> results = new ArrayList<>();
    results.add(verifier.verify(used.value()));
    results.add(verifier.verify(revoked.value()));
    clock.advance(Duration.ofMinutes(1));
    for (String token : List.of(expired.value(), SENTINEL, SENTINEL + "x", SENTINEL.substring(1), good.value())) {
      results.add(verifier.verify(token));
    }
    for (Verification v : results) {
      see(v);
      v.verifiedIdentity().ifPresent(this::see);
    }
    assertThat(results).extracting(v -> v instanceof Verification.Rejected r ? r.reason() : null)
        .containsExactly(RejectionReason.ALREADY_USED, RejectionReason.REVOKED, RejectionReason.EXPIRED,
            RejectionReason.UNKNOWN, RejectionReason.MALFORMED, RejectionReason.MALFORMED, null);
    see(store);
    see(store.find(TokenHash.of(good.value())));
    see(TokenHash.of(SENTINEL));
    assertNoLeak();
  }

  @Test
  void storeException_leaksNothing() {
    FailingTokenStore failing = new FailingTokenStore(store);
    failing.failing = true;
    assertThatThrownBy(() -> TokenVerifier.opaque(failing, TokenPolicy.defaults()).verify(SENTINEL))
        .satisfies(this::seeThrown).isInstanceOf(TokenStoreUnavailableException.class);
    assertThatThrownBy(() -> TokenIssuer.opaque(failing, TokenPolicy.defaults(), clock).issue("alice"))
        .satisfies(this::seeThrown);
    TokenStore full = TokenStore.inMemory(clock, 1);
    TokenIssuer fullIssuer = TokenIssuer.opaque(full, TokenPolicy.defaults(), clock);
    secret(fullIssuer.issue("alice").value());
    assertThatThrownBy(() -> fullIssuer.issue("alice")).satisfies(this::seeThrown)
        .isInstanceOf(TokenStoreFullException.class);
    assertNoLeak();
  }

  @Test
  void validationExceptions_leakNothing() {
    assertThatThrownBy(() -> Credential.usernamePassword("a:" + MARK, SENTINEL)).satisfies(this::seeThrown);
    assertThatThrownBy(() -> Credential.usernamePassword("alice\n", SENTINEL)).satisfies(this::seeThrown);
    assertThatThrownBy(() -> Credential.token("", CredentialSource.COOKIE)).satisfies(this::seeThrown);
    see(Credential.token(SENTINEL, CredentialSource.QUERY_PARAMETER));
    see(Credential.usernamePassword("alice", SENTINEL));
    see(new IssuedToken(SENTINEL, "alice", clock.instant(), true));
    observed.removeIf(o -> o.contains("a:" + MARK) && !o.contains(SENTINEL)); // the username itself is not secret
    assertNoLeak();
  }

  @Test
  void firstMessage_everyRejection_leaksNothing() {
    FirstMessageAuthenticator raw = FirstMessageAuthenticator.builder().verifier(verifier).listener(listeners)
        .build();
    FirstMessageAuthenticator json = FirstMessageAuthenticator.builder().verifier(verifier).listener(listeners)
        .format(FirstMessageAuthenticator.Format.JSON).build();
    FailingTokenStore failing = new FailingTokenStore(store);
    failing.failing = true;
    FirstMessageAuthenticator down = FirstMessageAuthenticator.builder().listener(listeners)
        .verifier(TokenVerifier.opaque(failing, TokenPolicy.defaults())).build();
    IssuedToken once = issuer.issue("alice");
    secret(once.value());
    see(raw.authenticate(once.value()));
    List<FirstMessageResult> results = new ArrayList<>();
    results.add(raw.authenticate(once.value()));
    results.add(raw.authenticate(SENTINEL));
    results.add(raw.authenticate(SENTINEL + " "));
    results.add(raw.authenticate(SENTINEL.repeat(100)));
    results.add(raw.authenticate(ByteBuffer.wrap(concat(SENTINEL.getBytes(StandardCharsets.UTF_8),
        new byte[] {(byte) 0xff}))));
    results.add(json.authenticate("{\"token\":\"" + SENTINEL + "\""));
    results.add(json.authenticate("{\"token\":[\"" + SENTINEL + "\"]}"));
    results.add(json.authenticate("{\"token\":\"" + SENTINEL + "\"}"));
    results.add(json.authenticate("[\"" + SENTINEL + "\"]"));
    results.add(down.authenticate(SENTINEL));
    results.add(raw.timedOut());
    results.add(raw.notText());
    results.forEach(this::see);
    assertThat(results).allMatch(r -> r instanceof FirstMessageResult.Rejected);
    assertThat(results).extracting(r -> ((FirstMessageResult.Rejected) r).closeCode()).contains(1008, 1009, 1011);
    see(raw);
    assertThat(logs.text()).contains("wsauth rejected").contains("stage=FIRST_MESSAGE");
    assertNoLeak();
  }

  @Test
  void accepted_pathsLeakNothingEither() {
    IssuedToken t = issuer.issue("alice");
    secret(t.value());
    AuthDecision d = handshake(ALL, verifier).authenticate(req().header("Authorization", "Bearer " + t.value())
        .header("Sec-WebSocket-Protocol", "chat").build());
    see(d);
    assertThat(d.isAccepted()).isTrue();
    IssuedToken t2 = issuer.issue("alice");
    secret(t2.value());
    see(FirstMessageAuthenticator.builder().verifier(verifier).listener(listeners).build().authenticate(t2.value()));
    assertThat(recorder.accepted).hasSize(2);
    assertNoLeak();
  }
}
