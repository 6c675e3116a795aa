package io.github.wsauth;

import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenStoreUnavailableException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeAuthenticatorTest {
  private static final String APP = "https://app.example";
  private static final String P = CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX;

  private final TestClock clock = TestClock.atStart();
  private final TokenStore store = TokenStore.inMemory(clock);
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
  private final TokenVerifier verifier = TokenVerifier.opaque(store, TokenPolicy.defaults());
  private final RecordingListener listener = new RecordingListener();

  private HandshakeAuthenticator.Builder builder(CredentialExtractor extractor) {
    return HandshakeAuthenticator.builder().extractor(extractor).verifier(verifier)
        .originPolicy(OriginPolicy.allowOnly(APP)).listener(listener);
  }

  private final HandshakeAuthenticator bearer = builder(CredentialExtractor.firstOf(
      CredentialExtractor.bearerHeader(), CredentialExtractor.queryParameter("token"),
      CredentialExtractor.subprotocol())).subprotocols(List.of("v2", "chat")).build();

  private static UpgradeRequest.Builder request() {
    return UpgradeRequest.builder().requestTarget("/ws").header("Origin", APP);
  }

  private static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static AuthDecision.Rejected rejected(AuthDecision d) {
    assertThat(d).isInstanceOf(AuthDecision.Rejected.class);
    return (AuthDecision.Rejected) d;
  }

  private boolean stillValid(IssuedToken t) {
    return store.find(TokenHash.of(t.value())).isValid();
  }

  @Test
  void extractor_isTheOneConfigured() {
    CredentialExtractor cookie = CredentialExtractor.cookie("sid");
    assertThat(builder(cookie).build().extractor()).isSameAs(cookie);
  }

  // ---------------------------------------------------------------- accepted

  @Test
  void authenticate_validBearer_isAcceptedWithIdentityAndSource() {
    IssuedToken t = issuer.issue("alice");
    AuthDecision d = bearer.authenticate(request().header("Authorization", "Bearer " + t.value()).build());
    assertThat(d.isAccepted()).isTrue();
    Identity id = d.acceptedIdentity().orElseThrow();
    assertThat(id.subject()).isEqualTo("alice");
    assertThat(id.source()).contains(CredentialSource.AUTHORIZATION_BEARER);
    assertThat(((AuthDecision.Accepted) d).subprotocol()).isEmpty();
    assertThat(stillValid(t)).isFalse();
  }

  @Test
  void authenticate_noOriginHeader_isAllowedByDefault() {
    IssuedToken t = issuer.issue("alice");
    UpgradeRequest r = UpgradeRequest.builder().requestTarget("/ws?token=" + t.value()).build();
    assertThat(bearer.authenticate(r).isAccepted()).isTrue();
  }

  // ---------------------------------------------------------------- origin: 403 first, nothing consumed

  @Test
  void authenticate_foreignDuplicateOrNullOrigin_is403BeforeExtractionAndConsumesNothing() {
    IssuedToken t = issuer.issue("alice");
    AtomicInteger extractorCalls = new AtomicInteger();
    CredentialExtractor counting = new CredentialExtractor() {
      @Override
      public Extraction extract(UpgradeRequest request) {
        extractorCalls.incrementAndGet();
        return CredentialExtractor.bearerHeader().extract(request);
      }

      @Override
      public java.util.Set<CredentialSource> sources() {
        return CredentialExtractor.bearerHeader().sources();
      }
    };
    HandshakeAuthenticator auth = builder(counting).build();
    List<List<String>> origins = List.of(List.of("https://evil.example"), List.of(APP, APP), List.of("null"),
        List.of("https://app.example.evil.example"), List.of("http://app.example"));
    for (List<String> origin : origins) {
      UpgradeRequest r = UpgradeRequest.builder().header("Origin", origin)
          .header("Authorization", "Bearer " + t.value()).build();
      AuthDecision.Rejected rej = rejected(auth.authenticate(r));
      assertThat(rej.status()).as("origin %s", origin).isEqualTo(403);
      assertThat(rej.challenges()).isEmpty();
      assertThat(rej.reason()).isEqualTo("origin not allowed");
    }
    assertThat(extractorCalls).hasValue(0);
    assertThat(stillValid(t)).isTrue();
    assertThat(auth.authenticate(request().header("Authorization", "Bearer " + t.value()).build()).isAccepted())
        .isTrue();
  }

  // ---------------------------------------------------------------- 400 / 401

  @Test
  void authenticate_malformed_is400InvalidRequest() {
    AuthDecision.Rejected r = rejected(bearer.authenticate(
        request().header("Authorization", "Bearer a").header("Authorization", "Bearer b").build()));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.challenges()).containsExactly("Bearer realm=\"wsauth\", error=\"invalid_request\"");
    assertThat(r.reason()).isEqualTo("more than one Authorization header");
  }

  @Test
  void authenticate_twoDifferentCredentials_is400AndConsumesNeither() {
    IssuedToken a = issuer.issue("alice");
    IssuedToken b = issuer.issue("bob");
    AuthDecision.Rejected r = rejected(bearer.authenticate(request().requestTarget("/ws?token=" + a.value())
        .header("Authorization", "Bearer " + b.value()).build()));
    assertThat(r.status()).isEqualTo(400);
    assertThat(stillValid(a)).isTrue();
    assertThat(stillValid(b)).isTrue();
  }

  /**
   * Issue 13, item 6: a pair that does not decode, before or after a valid unused token, is refused 400 before the
   * token is verified, so the token still works afterwards (Tomcat answered 500 for these after consuming it).
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"/ws?token=%s&x=%%ZZ", "/ws?token=%s&x=%%", "/ws?token=%s&x=%%1", "/ws?token=%s&x=%%%%",
      "/ws?token=%s&%%%%", "/ws?x=%%ZZ&token=%s", "/ws?x=%%&token=%s", "/ws?x=%%1&token=%s", "/ws?x=%%%%&token=%s",
      "/ws?%%%%&token=%s", "/ws?token=%s&x=%%FF"})
  void authenticate_malformedQueryAroundValidToken_is400BeforeVerification(String template) {
    IssuedToken t = issuer.issue("alice");
    String target = String.format(template, t.value());
    AuthDecision.Rejected r = rejected(bearer.authenticate(request().requestTarget(target).build()));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.reason()).isEqualTo("malformed query string");
    assertThat(r.challenges()).containsExactly("Bearer realm=\"wsauth\", error=\"invalid_request\"");
    assertThat(stillValid(t)).as("nothing consumed").isTrue();
    AuthDecision retry = bearer.authenticate(request().requestTarget("/ws?token=" + t.value() + "&x=1").build());
    assertThat(retry.acceptedIdentity().map(Identity::subject)).contains("alice");
  }

  @Test
  void authenticate_bearerHeaderWithMalformedQuery_is400WhenTheQueryIsRead() {
    // The query extractor reads the query: a Bearer token beside a query the container cannot parse is not used up.
    IssuedToken t = issuer.issue("alice");
    AuthDecision.Rejected r = rejected(bearer.authenticate(request().requestTarget("/ws?x=%ZZ")
        .header("Authorization", "Bearer " + t.value()).build()));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.reason()).isEqualTo("malformed query string");
    assertThat(stillValid(t)).isTrue();
  }

  @Test
  void builder_realm_refusesAQuoteOrBackslashAnywhere() {
    for (String bad : new String[] {"\"x", "x\"", "\\x", "x\\", "", "a\u0080"}) {
      assertThatThrownBy(() -> HandshakeAuthenticator.builder().realm(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(builder(CredentialExtractor.bearerHeader()).realm("x").build().realm()).isEqualTo("x");
  }

  @Test
  void authenticate_absent_is401WithoutErrorCode() {
    AuthDecision.Rejected r = rejected(bearer.authenticate(request().build()));
    assertThat(r.status()).isEqualTo(401);
    // RFC 6750 §3.1: no error code when the request carried no credentials.
    assertThat(r.challenges()).containsExactly("Bearer realm=\"wsauth\"");
    assertThat(r.reason()).isEqualTo("credentials required");
  }

  @Test
  void authenticate_rejectedToken_is401InvalidToken() {
    IssuedToken t = issuer.issue("alice");
    assertThat(bearer.authenticate(request().header("Authorization", "Bearer " + t.value()).build()).isAccepted())
        .isTrue();
    AuthDecision.Rejected used = rejected(bearer.authenticate(
        request().header("Authorization", "Bearer " + t.value()).build()));
    assertThat(used.status()).isEqualTo(401);
    assertThat(used.challenges()).containsExactly("Bearer realm=\"wsauth\", error=\"invalid_token\"");
    assertThat(used.reason()).isEqualTo("token already used");

    AuthDecision.Rejected unknown = rejected(bearer.authenticate(request().requestTarget("/ws?token=nope").build()));
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.reason()).isEqualTo("malformed token");

    IssuedToken expiring = issuer.issue("alice");
    clock.advance(Duration.ofMinutes(1));
    AuthDecision.Rejected expired = rejected(bearer.authenticate(
        request().header("Authorization", "Bearer " + expiring.value()).build()));
    assertThat(expired.reason()).isEqualTo("token expired");
  }

  @Test
  void authenticate_customRealm_isUsedInChallenges() {
    HandshakeAuthenticator auth = builder(CredentialExtractor.bearerHeader()).realm("chat").build();
    assertThat(rejected(auth.authenticate(request().build())).challenges()).containsExactly("Bearer realm=\"chat\"");
    assertThat(auth.realm()).isEqualTo("chat");
    assertThatThrownBy(() -> HandshakeAuthenticator.builder().realm("a\"b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HandshakeAuthenticator.builder().realm("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HandshakeAuthenticator.builder().realm("a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---------------------------------------------------------------- Basic

  @Test
  void authenticate_basic_challengesPerRfc7617() {
    HandshakeAuthenticator auth = builder(CredentialExtractor.basicHeader()).build();
    AuthDecision.Rejected missing = rejected(auth.authenticate(request().build()));
    assertThat(missing.status()).isEqualTo(401);
    assertThat(missing.challenges()).containsExactly("Basic realm=\"wsauth\", charset=\"UTF-8\"");

    AuthDecision.Rejected bad = rejected(auth.authenticate(request().header("Authorization", "Basic !!!").build()));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.challenges()).containsExactly("Basic realm=\"wsauth\", charset=\"UTF-8\"");

    AuthDecision.Rejected unknown = rejected(auth.authenticate(
        request().header("Authorization", basic("alice", "A".repeat(43))).build()));
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.challenges()).containsExactly("Basic realm=\"wsauth\", charset=\"UTF-8\"");
  }

  @Test
  void authenticate_basicAndBearerOffered_challengesBoth() {
    HandshakeAuthenticator auth = builder(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(),
        CredentialExtractor.basicHeader())).build();
    assertThat(rejected(auth.authenticate(request().build())).challenges())
        .containsExactly("Bearer realm=\"wsauth\"", "Basic realm=\"wsauth\", charset=\"UTF-8\"");
  }

  @Test
  void authenticate_basicUsernameMustEqualSubject() {
    HandshakeAuthenticator auth = builder(CredentialExtractor.basicHeader()).build();
    IssuedToken t = issuer.issue("alice");
    AuthDecision ok = auth.authenticate(request().header("Authorization", basic("alice", t.value())).build());
    assertThat(ok.acceptedIdentity().orElseThrow().subject()).isEqualTo("alice");
    assertThat(ok.acceptedIdentity().orElseThrow().source()).contains(CredentialSource.AUTHORIZATION_BASIC);

    IssuedToken t2 = issuer.issue("alice");
    AuthDecision.Rejected mismatch = rejected(auth.authenticate(
        request().header("Authorization", basic("mallory", t2.value())).build()));
    assertThat(mismatch.status()).isEqualTo(401);
    assertThat(mismatch.reason()).isEqualTo(RejectionReason.SUBJECT_MISMATCH.description());
    assertThat(mismatch.challenges()).containsExactly("Basic realm=\"wsauth\", charset=\"UTF-8\"");
  }

  @Test
  void authenticate_tokenAsUserName_acceptsTheTokenAlone_andStillChecksAGivenUserName() {
    HandshakeAuthenticator auth = builder(CredentialExtractor.basicHeaderWithTokenAsUserName()).build();
    IssuedToken t = issuer.issue("alice");
    AuthDecision ok = auth.authenticate(request().header("Authorization", basic(t.value(), "")).build());
    assertThat(ok.acceptedIdentity().orElseThrow().subject()).isEqualTo("alice");
    assertThat(ok.acceptedIdentity().orElseThrow().source()).contains(CredentialSource.AUTHORIZATION_BASIC);

    // With a user name and the token as the password, the user name must still be the subject.
    IssuedToken t2 = issuer.issue("alice");
    AuthDecision.Rejected mismatch = rejected(auth.authenticate(
        request().header("Authorization", basic("mallory", t2.value())).build()));
    assertThat(mismatch.status()).isEqualTo(401);
    assertThat(mismatch.reason()).isEqualTo(RejectionReason.SUBJECT_MISMATCH.description());
    IssuedToken t3 = issuer.issue("alice");
    AuthDecision pair = auth.authenticate(request().header("Authorization", basic("alice", t3.value())).build());
    assertThat(pair.acceptedIdentity().orElseThrow().subject()).isEqualTo("alice");
  }

  @Test
  void authenticate_tokenAsUserNameOff_refusesItWith400BeforeVerifying() {
    HandshakeAuthenticator auth = builder(CredentialExtractor.basicHeader()).build();
    IssuedToken t = issuer.issue("alice");
    AuthDecision.Rejected r = rejected(auth.authenticate(
        request().header("Authorization", basic(t.value(), "")).build()));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.reason()).isEqualTo("empty password in Basic credentials");
    // The token was not looked at, so it is still unused.
    HandshakeAuthenticator on = builder(CredentialExtractor.basicHeaderWithTokenAsUserName()).build();
    assertThat(on.authenticate(request().header("Authorization", basic(t.value(), "")).build())
        .acceptedIdentity()).isPresent();
  }

  @Test
  void authenticate_allowAnyBasicUsername_ignoresUsername() {
    HandshakeAuthenticator auth = builder(CredentialExtractor.basicHeader()).allowAnyBasicUsername().build();
    IssuedToken t = issuer.issue("alice");
    AuthDecision d = auth.authenticate(request().header("Authorization", basic("whoever", t.value())).build());
    assertThat(d.acceptedIdentity().orElseThrow().subject()).isEqualTo("alice");
  }

  // ---------------------------------------------------------------- subprotocols

  @Test
  void authenticate_selectsServerPreferredSubprotocolNeverTheTokenEntry() {
    IssuedToken t = issuer.issue("alice");
    AuthDecision d = bearer.authenticate(request()
        .header("Sec-WebSocket-Protocol", "chat, " + P + t.value() + ", v2").build());
    assertThat(((AuthDecision.Accepted) d).subprotocol()).contains("v2");
    assertThat(d.acceptedIdentity().orElseThrow().source()).contains(CredentialSource.SUBPROTOCOL);
  }

  @Test
  void authenticate_noOverlap_selectsNoSubprotocol() {
    IssuedToken t = issuer.issue("alice");
    AuthDecision d = bearer.authenticate(request()
        .header("Sec-WebSocket-Protocol", "mqtt, " + P + t.value()).build());
    assertThat(((AuthDecision.Accepted) d).subprotocol()).isEmpty();
  }

  @Test
  void authenticate_onlyTokenEntry_selectsNoSubprotocol() {
    IssuedToken t = issuer.issue("alice");
    HandshakeAuthenticator anySub = builder(CredentialExtractor.subprotocol())
        .subprotocols(List.of("chat")).build();
    AuthDecision d = anySub.authenticate(request().header("Sec-WebSocket-Protocol", P + t.value()).build());
    assertThat(((AuthDecision.Accepted) d).subprotocol()).isEmpty();
  }

  @Test
  void builder_subprotocols_mustBeTokensAndNotTokenPrefix() {
    assertThatThrownBy(() -> HandshakeAuthenticator.builder().subprotocols(List.of("a b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HandshakeAuthenticator.builder().subprotocols(List.of(P + "x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(bearer.subprotocols()).containsExactly("v2", "chat");
  }

  @Test
  void builder_subprotocolStartingWithTheExtractorsOwnPrefix_isRefused() {
    // Otherwise the server would list (and select) an entry that the extractor reads as a token.
    assertThatThrownBy(() -> builder(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(),
        CredentialExtractor.subprotocol("k8s.token."))).subprotocols(List.of("chat", "k8s.token.v1")).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("subprotocol k8s.token.v1 starts with a token prefix of the extractor (")
        .hasMessageEndingWith("): a token entry is not an application subprotocol");
    assertThat(builder(CredentialExtractor.subprotocol("k8s.token.")).subprotocols(List.of("chat", "k8s.v1")).build()
        .subprotocols()).containsExactly("chat", "k8s.v1");
  }

  @Test
  void withoutTokenEntries_dropsTheExtractorsPrefixes_anywhereInAFirstOfChain_andTheDefaultOne() {
    HandshakeAuthenticator custom = builder(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(),
        CredentialExtractor.firstOf(CredentialExtractor.queryParameter("t"), CredentialExtractor.subprotocol("k8s."))))
        .build();
    List<String> offered = List.of("chat", "k8s.secret", " " + P + "secret", "v2", "k8s");
    assertThat(custom.withoutTokenEntries(offered)).containsExactly("chat", "v2", "k8s");
    assertThat(bearer.withoutTokenEntries(offered)).as("the default prefix only")
        .containsExactly("chat", "k8s.secret", "v2", "k8s");
    HandshakeAuthenticator own = builder(request -> Extraction.absent()).build();
    assertThat(own.withoutTokenEntries(offered)).as("a custom extractor: the default prefix still marks a token entry")
        .containsExactly("chat", "k8s.secret", "v2", "k8s");
    assertThat(own.withoutTokenEntries(null)).isEmpty();
  }

  @Test
  void redactQuery_masksTheQueryParametersTheExtractorsRead_anywhereInAFirstOfChain_matchedDecoded() {
    HandshakeAuthenticator custom = builder(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(),
        CredentialExtractor.firstOf(CredentialExtractor.subprotocol("k8s."), CredentialExtractor.queryParameter("t")),
        CredentialExtractor.queryParameter("access_token"))).build();
    assertThat(custom.credentialParameters()).containsExactlyInAnyOrder("t", "access_token");
    assertThat(custom.redactQuery("room=1&t=SECRET&x=2&access_token=S2;v=3&&tt=keep&t"))
        .isEqualTo("room=1&t=***&x=2&access_token=***&&tt=keep&t=***");
    assertThat(custom.redactQuery("%74=SECRET&%61ccess_token=S2&room=a%20b"))
        .as("a name is matched decoded, as the extractor reads it").isEqualTo("%74=***&%61ccess_token=***&room=a%20b");
    assertThat(custom.redactQuery("x=%ZZ&t=SECRET")).isEqualTo("x=%ZZ&t=***");
    assertThat(custom.redactQuery("%ZZ=1&t=SECRET")).as("a name that does not decode is kept")
        .isEqualTo("%ZZ=1&t=***");
    assertThat(custom.redactQuery("&t=S&")).isEqualTo("&t=***&");
    assertThat(custom.redactQuery("t=a=b")).as("the value runs to the next '&'").isEqualTo("t=***");
    assertThat(custom.redactQuery("")).isEmpty();
    assertThat(custom.redactQuery(null)).isNull();
    HandshakeAuthenticator header = builder(CredentialExtractor.bearerHeader()).build();
    assertThat(header.credentialParameters()).isEmpty();
    assertThat(header.redactQuery("token=kept&t=kept")).as("no query extractor: nothing to mask")
        .isEqualTo("token=kept&t=kept");
    HandshakeAuthenticator own = builder(request -> Extraction.absent()).build();
    assertThat(own.redactQuery("token=kept")).as("a custom extractor's parameters are not known")
        .isEqualTo("token=kept");
  }

  @Test
  void redactQuery_theMaskedQuery_noLongerAuthenticates_andHoldsNoPartOfTheToken() {
    IssuedToken t = issuer.issue("alice");
    HandshakeAuthenticator query = builder(CredentialExtractor.queryParameter("token")).build();
    String masked = query.redactQuery("a=1&token=" + t.value());
    assertThat(masked).isEqualTo("a=1&token=***").doesNotContain(t.value().substring(0, 8));
    assertThat(query.authenticate(UpgradeRequest.builder().path("/ws").rawQuery(masked).build()).isAccepted())
        .isFalse();
  }

  @Test
  void builder_wildcardSubprotocol_isRefusedAsTheNettyConfigDoes() {
    assertThatThrownBy(() -> HandshakeAuthenticator.builder().subprotocols(List.of("chat", "*")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subprotocol \"*\" would make Netty echo whatever the client offered, a token entry included");
  }

  // ---------------------------------------------------------------- store failure: 503, nothing consumed

  @Test
  void authenticate_storeUnavailable_is503AndConsumesNothing() {
    IssuedToken t = issuer.issue("alice");
    FailingTokenStore failing = new FailingTokenStore(store);
    failing.failing = true;
    HandshakeAuthenticator auth = HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
        .verifier(TokenVerifier.opaque(failing, TokenPolicy.defaults())).originPolicy(OriginPolicy.anyOrigin())
        .listener(listener).build();
    AuthDecision.Rejected r = rejected(auth.authenticate(request().header("Authorization", "Bearer " + t.value())
        .build()));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.challenges()).isEmpty();
    assertThat(r.reason()).isEqualTo("authentication temporarily unavailable");
    assertThat(failing.calls()).containsExactly("consume");
    assertThat(listener.rejected).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo(503));
    // Nothing was consumed: the real store still honours the token.
    assertThat(verifier.verify(t.value()).isVerified()).isTrue();
  }

  @Test
  void authenticate_storeFailureMessageHoldingTheToken_isLoggedWithTheTokenMasked() {
    // A custom verifier or store that breaks the contract (no secret in the message) still leaks nothing.
    String token = issuer.issue("alice").value();
    HandshakeAuthenticator auth = builder(CredentialExtractor.bearerHeader()).verifier(presented -> {
      throw new TokenStoreUnavailableException("lookup of " + presented + " timed out\r\nFORGED " + presented);
    }).build();
    try (LogCapture logs = new LogCapture()) {
      AuthDecision.Rejected r = rejected(auth.authenticate(request().header("Authorization", "Bearer " + token)
          .build()));
      assertThat(r.status()).isEqualTo(503);
      assertThat(logs.text()).contains("token store unavailable: lookup of [redacted] timed out  FORGED [redacted]")
          .doesNotContain(token);
    }
  }

  @Test
  void authenticate_verifierThrowsOrReturnsNull_is503NotAnException() {
    for (TokenVerifier broken : List.<TokenVerifier>of(token -> {
      throw new IllegalStateException("bug");
    }, token -> null)) {
      HandshakeAuthenticator auth = builder(CredentialExtractor.bearerHeader()).verifier(broken).build();
      AuthDecision.Rejected r = rejected(auth.authenticate(request().header("Authorization", "Bearer abc").build()));
      assertThat(r.status()).isEqualTo(503);
    }
  }

  @Test
  void authenticate_extractorThrows_is400NotAnException() {
    HandshakeAuthenticator auth = builder(request -> {
      throw new IllegalStateException("bug");
    }).build();
    assertThat(rejected(auth.authenticate(request().build())).status()).isEqualTo(400);
  }

  @Test
  void authenticate_customExtractorWithoutSources_still401WithAChallenge() {
    // RFC 9110 §11.6.1: a 401 must carry at least one WWW-Authenticate challenge.
    HandshakeAuthenticator auth = builder(request -> Extraction.absent()).build();
    AuthDecision.Rejected r = rejected(auth.authenticate(request().build()));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.challenges()).containsExactly("Bearer realm=\"wsauth\"");
  }

  // ---------------------------------------------------------------- builder

  @Test
  void builder_failsFastOnMissingParts() {
    assertThatThrownBy(() -> HandshakeAuthenticator.builder().verifier(verifier)
        .originPolicy(OriginPolicy.anyOrigin()).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("extractor must be set");
    assertThatThrownBy(() -> HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
        .originPolicy(OriginPolicy.anyOrigin()).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("verifier must be set");
    assertThatThrownBy(() -> HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
        .verifier(verifier).build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("originPolicy must be set");
  }

  @Test
  void builder_cookieWithAnyOrigin_isRefused() {
    assertThatThrownBy(() -> HandshakeAuthenticator.builder().extractor(CredentialExtractor.cookie("t"))
        .verifier(verifier).originPolicy(OriginPolicy.anyOrigin()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("origin allow-list");
    assertThatThrownBy(() -> HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(), CredentialExtractor.cookie("t")))
        .verifier(verifier).originPolicy(OriginPolicy.anyOrigin()).build())
        .isInstanceOf(IllegalStateException.class);
    assertThat(HandshakeAuthenticator.builder().extractor(CredentialExtractor.cookie("t")).verifier(verifier)
        .originPolicy(OriginPolicy.allowOnly(APP)).build().originPolicy().allowsAnyOrigin()).isFalse();
  }

  // ---------------------------------------------------------------- listener

  @Test
  void listener_receivesAcceptedAndRejectedEvents() {
    IssuedToken t = issuer.issue("alice");
    InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 50000);
    bearer.authenticate(request().remoteAddress(peer).header("Authorization", "Bearer " + t.value()).build());
    bearer.authenticate(request().remoteAddress(peer).build());
    bearer.authenticate(UpgradeRequest.builder().header("Origin", "https://evil.example").build());

    assertThat(listener.accepted).singleElement().satisfies(e -> {
      assertThat(e.stage()).isEqualTo(AuthEvent.Stage.HANDSHAKE);
      assertThat(e.accepted()).isTrue();
      assertThat(e.subject()).contains("alice");
      assertThat(e.source()).contains(CredentialSource.AUTHORIZATION_BEARER);
      assertThat(e.code()).isEqualTo(101);
      assertThat(e.remoteAddress()).contains(peer);
    });
    assertThat(listener.rejected).hasSize(2);
    assertThat(listener.rejected.get(0).code()).isEqualTo(401);
    assertThat(listener.rejected.get(0).subject()).isEmpty();
    assertThat(listener.rejected.get(0).source()).isEmpty();
    assertThat(listener.rejected.get(1).code()).isEqualTo(403);
    assertThat(listener.rejected.get(1).reason()).isEqualTo("origin not allowed");
  }

  @Test
  void listener_throwing_changesNothing() {
    AuthListener throwing = new AuthListener() {
      @Override
      public void onAccepted(AuthEvent event) {
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void onRejected(AuthEvent event) {
        throw new IllegalStateException("listener bug");
      }
    };
    HandshakeAuthenticator auth = builder(CredentialExtractor.bearerHeader()).listener(throwing).build();
    IssuedToken t = issuer.issue("alice");
    assertThat(auth.authenticate(request().header("Authorization", "Bearer " + t.value()).build()).isAccepted())
        .isTrue();
    assertThat(rejected(auth.authenticate(request().build())).status()).isEqualTo(401);
  }

  @Test
  void toString_describesConfigurationOnly() {
    assertThat(bearer.toString()).contains("OriginPolicy").contains("v2");
    assertThat(bearer.listener()).isSameAs(listener);
    assertThat(Optional.of(bearer.originPolicy())).isPresent();
  }

  // ---------------------------------------------------------------- rejectMalformed (an adapter's own refusal)

  @Test
  void rejectMalformed_is400WithTheMalformedChallenge_readsNoCredential_andNotifies() {
    IssuedToken t = issuer.issue("alice");
    UpgradeRequest r = request().header("Authorization", "Bearer " + t.value()).build();
    AuthDecision.Rejected d = bearer.rejectMalformed(r, "malformed request target");
    assertThat(d.status()).isEqualTo(400);
    assertThat(d.reason()).isEqualTo("malformed request target");
    assertThat(d.challenges()).containsExactly("Bearer realm=\"wsauth\", error=\"invalid_request\"");
    assertThat(stillValid(t)).isTrue();
    assertThat(listener.rejected).singleElement().satisfies(e -> {
      assertThat(e.code()).isEqualTo(400);
      assertThat(e.reason()).isEqualTo("malformed request target");
    });
  }

  @Test
  void rejectMalformed_basicOnly_hasNoBearerChallenge() {
    HandshakeAuthenticator basicOnly = builder(CredentialExtractor.basicHeader()).build();
    assertThat(basicOnly.rejectMalformed(request().build(), "x").challenges()).isEmpty();
  }
  /** A valid opening handshake around a single-use token, and the same with exactly one thing wrong. */
  @Test
  void authenticateWithTheHandshake_refusesAnInvalidOne_beforeTheTokenIsRead() {
    IssuedToken t = issuer.issue("alice");
    java.util.function.UnaryOperator<UpgradeRequest.Builder> valid = b -> b.header("Upgrade", "websocket")
        .header("Connection", "Upgrade").header("Sec-WebSocket-Version", "13")
        .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Authorization", "Bearer " + t.value());

    AuthDecision.Rejected noKey = rejected(bearer.authenticate("GET", "HTTP/1.1", request()
        .header("Upgrade", "websocket").header("Connection", "Upgrade").header("Sec-WebSocket-Version", "13")
        .header("Authorization", "Bearer " + t.value()).build()));
    assertThat(noKey.status()).isEqualTo(400);
    assertThat(noKey.reason()).isEqualTo("not a WebSocket handshake: invalid Sec-WebSocket-Key");
    AuthDecision.Rejected version = rejected(bearer.authenticate("GET", "HTTP/1.1", valid.apply(request())
        .header("Sec-WebSocket-Version", "99").build()));
    assertThat(version.status()).isEqualTo(426);
    assertThat(version.httpResponse().headers()).contains(new HttpRejection.Header("Sec-WebSocket-Version", "13"));
    assertThat(rejected(bearer.authenticate("POST", "HTTP/1.1", valid.apply(request()).build())).status())
        .isEqualTo(405);
    assertThat(rejected(bearer.authenticate("GET", "HTTP/1.0", valid.apply(request()).build())).status())
        .isEqualTo(400);
    assertThat(stillValid(t)).as("no refusal used the token up").isTrue();
    assertThat(listener.rejected).hasSize(4);
    assertThat(listener.accepted).isEmpty();

    AuthDecision accepted = bearer.authenticate("GET", "HTTP/1.1", valid.apply(request()).build());
    assertThat(accepted.acceptedIdentity().map(Identity::subject)).contains("alice");
    assertThat(stillValid(t)).as("the accepted handshake used it").isFalse();
  }
}
