package io.github.wsauth;

import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenStoreUnavailableException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class FirstMessageAuthenticatorTest {
  private final TestClock clock = TestClock.atStart();
  private final TokenStore store = TokenStore.inMemory(clock);
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
  private final TokenVerifier verifier = TokenVerifier.opaque(store, TokenPolicy.defaults());
  private final RecordingListener listener = new RecordingListener();
  private final FirstMessageAuthenticator raw =
      FirstMessageAuthenticator.builder().verifier(verifier).listener(listener).build();
  private final FirstMessageAuthenticator json = FirstMessageAuthenticator.builder().verifier(verifier)
      .format(FirstMessageAuthenticator.Format.JSON).listener(listener).build();

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static FirstMessageResult.Rejected rejected(FirstMessageResult r) {
    assertThat(r).isInstanceOf(FirstMessageResult.Rejected.class);
    return (FirstMessageResult.Rejected) r;
  }

  private static String subject(FirstMessageResult r) {
    assertThat(r).isInstanceOf(FirstMessageResult.Accepted.class);
    return ((FirstMessageResult.Accepted) r).identity().subject();
  }

  @Test
  void defaults() {
    assertThat(raw.deadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(raw.maxMessageBytes()).isEqualTo(4096);
    assertThat(raw.toString()).contains("RAW");
  }

  @Test
  void authenticate_rawToken_isAcceptedAsFirstMessageSource() {
    IssuedToken t = issuer.issue("alice");
    FirstMessageResult r = raw.authenticate(t.value());
    assertThat(subject(r)).isEqualTo("alice");
    assertThat(((FirstMessageResult.Accepted) r).identity().source()).contains(CredentialSource.FIRST_MESSAGE);
    assertThat(listener.accepted).singleElement().satisfies(e -> {
      assertThat(e.stage()).isEqualTo(AuthEvent.Stage.FIRST_MESSAGE);
      assertThat(e.subject()).contains("alice");
    });
  }

  @Test
  void authenticate_rawBytes_isAcceptedAndBufferNotMoved() {
    IssuedToken t = issuer.issue("alice");
    ByteBuffer b = utf8(t.value());
    assertThat(subject(raw.authenticate(b))).isEqualTo("alice");
    assertThat(b.position()).isZero();
  }

  @Test
  void authenticate_rawUsedTwice_is1008AlreadyUsed() {
    IssuedToken t = issuer.issue("alice");
    raw.authenticate(t.value());
    FirstMessageResult.Rejected r = rejected(raw.authenticate(t.value()));
    assertThat(r.closeCode()).isEqualTo(1008);
    assertThat(r.reason()).isEqualTo("token already used");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "tok en", "tok\n", "{\"token\":\"abc\"}", "caf\u00e9"})
  void authenticate_rawNotAToken_is1008Malformed(String message) {
    FirstMessageResult.Rejected r = rejected(raw.authenticate(message));
    assertThat(r.closeCode()).isEqualTo(1008);
    assertThat(r.reason()).isEqualTo("malformed authentication message");
  }

  @Test
  void authenticate_json_isAcceptedAndExtraMembersIgnored() {
    IssuedToken t = issuer.issue("alice");
    assertThat(subject(json.authenticate("{\"type\":\"auth\",\"token\":\"" + t.value() + "\",\"n\":[1,{}]}")))
        .isEqualTo("alice");
    IssuedToken t2 = issuer.issue("bob");
    assertThat(subject(json.authenticate(utf8("  {\"token\": \"" + t2.value() + "\"}\n")))).isEqualTo("bob");
  }

  /**
   * Every message carries a VALID, unused token ({@code %1$s}) in a JSON shape that is not {@code {"token": "<the
   * token>"}}: only the JSON check can reject them, so a naive search for the token, or for {@code "token"}, fails
   * this test (issue 13, item 12).
   */
  static Stream<String> badJson() {
    return Stream.of(
        "{\"token\":[\"%1$s\"]}", "{\"token\":{\"v\":\"%1$s\"}}", "{\"tok\":\"%1$s\"}", "{\"Token\":\"%1$s\"}",
        "{\"token \":\"%1$s\"}", "{\"a\":{\"token\":\"%1$s\"}}", "{\"token\":\"%1$s\"", "{\"token\":\"%1$s\",}",
        "{token:\"%1$s\"}", "{'token':'%1$s'}", "{\"token\" \"%1$s\"}", "[\"%1$s\"]", "[{\"token\":\"%1$s\"}]",
        "\"%1$s\"", "%1$s", "token=%1$s", "{\"token\":\"%1$s\"} trailing", "{\"token\":\"%1$s\"}{}",
        "{\"token\":\"%1$s\",\"token\":\"%1$s\"}", "{\"token\":\" %1$s\"}", "{\"token\":\"%1$s \"}",
        "{\"token\":\"%1$s\\n\"}", "/* c */{\"token\":\"%1$s\"}", "{\"token\":\"%1$s\"/* c */}",
        "{\"token\":%1$s}", "{\"token\":\"%1$s\", \"a\": " + "[".repeat(2000) + "]".repeat(2000) + "}",
        "{\"token\":\"%1$s\", \"a\":" + "{\"a\":".repeat(650) + "1" + "}".repeat(650) + "}");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badJson")
  void authenticate_jsonNotAnObjectWithStringToken_is1008AndConsumesNothing(String template) {
    IssuedToken t = issuer.issue("alice");
    FirstMessageResult.Rejected r = rejected(json.authenticate(String.format(template, t.value())));
    assertThat(r.closeCode()).isEqualTo(1008);
    assertThat(r.reason()).isEqualTo("malformed authentication message");
    assertThat(store.find(TokenHash.of(t.value())).isValid()).as("nothing consumed").isTrue();
    // The control: the same token in the one accepted shape gets in.
    assertThat(subject(json.authenticate("{\"token\":\"" + t.value() + "\"}"))).isEqualTo("alice");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"{\"token\":123}", "{\"token\":null}", "{\"token\":true}", "{}", "{\"token\":\"\"}", "",
      "null", "[]"})
  void authenticate_jsonWithoutAStringToken_is1008(String message) {
    FirstMessageResult.Rejected r = rejected(json.authenticate(message));
    assertThat(r.closeCode()).isEqualTo(1008);
    assertThat(r.reason()).isEqualTo("malformed authentication message");
  }

  @Test
  void authenticate_sizeCap_countsEachUtf8LengthAtItsBoundary() {
    String malformed = "malformed authentication message";
    // U+0080 is the first two-byte character, U+0800 the first three-byte one; a surrogate pair is four bytes.
    assertThat(rejected(raw.authenticate("\u0080".repeat(2048))).reason()).isEqualTo(malformed);
    assertThat(rejected(raw.authenticate("\u0080".repeat(2049))).closeCode()).isEqualTo(1009);
    assertThat(rejected(raw.authenticate("\u007f".repeat(4096))).reason()).isEqualTo(malformed);
    assertThat(rejected(raw.authenticate("\u07ff".repeat(2048))).reason()).isEqualTo(malformed);
    assertThat(rejected(raw.authenticate("\u0800".repeat(1365))).reason()).isEqualTo(malformed);
    assertThat(rejected(raw.authenticate("\u0800".repeat(1366))).closeCode()).isEqualTo(1009);
    assertThat(rejected(raw.authenticate("\ud83d\ude00".repeat(1024))).reason())
        .isEqualTo("malformed authentication message");
    // Exactly at the cap in characters and bytes: read, and handed to the verifier (a 4096-character token is not
    // a malformed message, only a malformed token).
    assertThat(rejected(raw.authenticate("a".repeat(4096))).reason()).isEqualTo("malformed token");
    assertThat(rejected(raw.authenticate("a".repeat(4097))).closeCode()).isEqualTo(1009);
  }

  @ParameterizedTest
  @ValueSource(ints = {1000, 1003, 1007, 1014, 3000, 4999})
  void builder_closeCodesAtTheEdgesOfEachRange_areAccepted(int code) {
    FirstMessageAuthenticator a = FirstMessageAuthenticator.builder().verifier(verifier).rejectedCloseCode(code)
        .timeoutCloseCode(code).tooBigCloseCode(code).unavailableCloseCode(code).build();
    assertThat(rejected(a.timedOut()).closeCode()).isEqualTo(code);
  }

  @Test
  void builder_deadlineOfExactlyFiveMinutes_isAllowed() {
    assertThat(FirstMessageAuthenticator.builder().verifier(verifier).deadline(Duration.ofMinutes(5)).build()
        .deadline()).isEqualTo(Duration.ofMinutes(5));
    assertThatThrownBy(() -> FirstMessageAuthenticator.builder().deadline(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static Stream<String> notStrictJson() {
    return Stream.of(
        "{\"token\":\"%s\",\"token\":\"%s\"}",                  // duplicate key, even with the same value
        "{\"token\":\"%s\",\"x\":\"\\uD800\"}",                // unpaired surrogate escape
        "{\"token\":\"%s\",\"x\":\"\\uDC00\\uD800\"}",       // surrogates in the wrong order
        "{\"token\":\"%s\",\"x\":\"a\u0001b\"}",                // raw control character in a string
        "{\"token\":\"%s\",\"x\":\"a\tb\"}",                    // raw tab in a string
        "\u2003{\"token\":\"%s\"}",                                 // whitespace JSON does not have
        "\u001f{\"token\":\"%s\"}\u001f",
        "\ufeff{\"token\":\"%s\"}",                                 // byte order mark
        "{\"token\":\"%s\",\"n\":01}",                             // number grammar
        "{\"token\":\"%s\",\"n\":1.}",
        "{\"token\":\"%s\",\"n\":NaN}",
        "{\"token\":\"%s\",\"x\":'a'}",                           // lenient JSON
        "{\"token\":\"%s\"}//",
        "{\"token\":\"%s\"};",
        "{\"token\":\"%s\"} {}",                                    // trailing data
        "{\"token\":\"%s\",\"x\":" + "[".repeat(64) + "]".repeat(64) + "}"); // 65 levels
  }

  @ParameterizedTest(name = "[{index}]") // the templates hold control characters
  @MethodSource("notStrictJson")
  void authenticate_jsonNotStrict_isMalformedAndConsumesNothing(String template) {
    IssuedToken t = issuer.issue("alice");
    FirstMessageResult.Rejected r = rejected(json.authenticate(template.replace("%s", t.value())));
    assertThat(r.closeCode()).isEqualTo(1008);
    assertThat(r.reason()).isEqualTo("malformed authentication message");
    assertThat(listener.rejected).singleElement().satisfies(e -> assertThat(e.reason())
        .isEqualTo("malformed authentication message"));
    // Only the JSON check refused it: the single-use token is unused and accepted in a strict message.
    assertThat(subject(json.authenticate("{\"token\":\"" + t.value() + "\"}"))).isEqualTo("alice");
  }

  @Test
  void authenticate_jsonAtTheDepthCap_isAccepted() {
    IssuedToken t = issuer.issue("alice");
    String deep = "{\"x\":" + "[".repeat(63) + "]".repeat(63) + ",\"token\":\"" + t.value() + "\"}";
    assertThat(subject(json.authenticate(deep))).isEqualTo("alice");
  }

  @Test
  void authenticate_deeplyNestedJsonAtLargestCap_isRejectedNotAStackOverflow() {
    FirstMessageAuthenticator big = FirstMessageAuthenticator.builder().verifier(verifier)
        .format(FirstMessageAuthenticator.Format.JSON).maxMessageBytes(65536).build();
    String deep = "{\"a\":" + "[".repeat(32_000) + "]".repeat(32_000) + "}";
    assertThat(rejected(big.authenticate(deep)).closeCode()).isEqualTo(1008);
    String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
    assertThat(rejected(big.authenticate(deepObjects)).closeCode()).isEqualTo(1008);
  }

  @Test
  void authenticate_sizeCapInBytes_multiByteAtTheLimit() {
    // 2048 two-byte characters = 4096 bytes: at the cap, so it is read (and rejected as malformed, 1008).
    String atLimit = "\u00e9".repeat(2048);
    assertThat(rejected(raw.authenticate(atLimit)).closeCode()).isEqualTo(1008);
    assertThat(rejected(raw.authenticate(utf8(atLimit))).closeCode()).isEqualTo(1008);
    // One byte more is too big, even though it is only 2049 characters.
    String over = atLimit + "a";
    assertThat(rejected(raw.authenticate(over)).closeCode()).isEqualTo(1009);
    assertThat(rejected(raw.authenticate(utf8(over))).closeCode()).isEqualTo(1009);
    // Four-byte characters (surrogate pairs) count as four bytes.
    assertThat(rejected(raw.authenticate("\ud83d\ude00".repeat(1025))).closeCode()).isEqualTo(1009);
    assertThat(rejected(raw.authenticate("a".repeat(4097))).closeCode()).isEqualTo(1009);
  }

  @Test
  void authenticate_sizeCapConfigurable() {
    FirstMessageAuthenticator small = FirstMessageAuthenticator.builder().verifier(verifier).maxMessageBytes(64)
        .build();
    assertThat(rejected(small.authenticate("a".repeat(65))).reason()).isEqualTo("authentication message too big");
    IssuedToken t = issuer.issue("alice");
    assertThat(subject(small.authenticate(t.value()))).isEqualTo("alice");
    assertThatThrownBy(() -> FirstMessageAuthenticator.builder().maxMessageBytes(63))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FirstMessageAuthenticator.builder().maxMessageBytes(65537))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void authenticate_invalidUtf8Bytes_is1008() {
    for (byte[] bad : List.of(new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xff},
        new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xc0, (byte) 0xaf})) {
      FirstMessageResult.Rejected r = rejected(raw.authenticate(ByteBuffer.wrap(bad)));
      assertThat(r.closeCode()).isEqualTo(1008);
      assertThat(r.reason()).isEqualTo("first message is not valid UTF-8");
    }
  }

  @Test
  void timedOutTooBigAndNotText_haveTheirCodes() {
    assertThat(rejected(raw.timedOut()).closeCode()).isEqualTo(1008);
    assertThat(rejected(raw.timedOut()).reason()).isEqualTo("authentication timeout");
    assertThat(rejected(raw.tooBig()).closeCode()).isEqualTo(1009);
    assertThat(rejected(raw.notText()).closeCode()).isEqualTo(1008);
    assertThat(listener.rejected).hasSize(4).allSatisfy(e -> assertThat(e.accepted()).isFalse());
  }

  @Test
  void customCloseCodes_graphqlWsStyle() {
    FirstMessageAuthenticator custom = FirstMessageAuthenticator.builder().verifier(verifier)
        .rejectedCloseCode(4401).timeoutCloseCode(4408).tooBigCloseCode(4413).unavailableCloseCode(4503).build();
    assertThat(rejected(custom.authenticate("A".repeat(43))).closeCode()).isEqualTo(4401);
    assertThat(rejected(custom.timedOut()).closeCode()).isEqualTo(4408);
    assertThat(rejected(custom.tooBig()).closeCode()).isEqualTo(4413);
    assertThat(rejected(custom.notText()).closeCode()).isEqualTo(4401);
    FailingTokenStore failing = new FailingTokenStore(store);
    failing.failing = true;
    FirstMessageAuthenticator down = FirstMessageAuthenticator.builder()
        .verifier(TokenVerifier.opaque(failing, TokenPolicy.defaults())).unavailableCloseCode(4503).build();
    assertThat(rejected(down.authenticate("A".repeat(43))).closeCode()).isEqualTo(4503);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, -1})
  void builder_invalidCloseCodes_areRejected(int code) {
    FirstMessageAuthenticator.Builder b = FirstMessageAuthenticator.builder();
    assertThatThrownBy(() -> b.rejectedCloseCode(code)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.timeoutCloseCode(code)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.tooBigCloseCode(code)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.unavailableCloseCode(code)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builder_validatesDeadlineAndVerifier() {
    assertThatThrownBy(() -> FirstMessageAuthenticator.builder().deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FirstMessageAuthenticator.builder().deadline(Duration.ofMinutes(5).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(FirstMessageAuthenticator.builder().verifier(verifier).deadline(Duration.ofSeconds(3)).build()
        .deadline()).isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> FirstMessageAuthenticator.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessage("verifier must be set");
  }

  @Test
  void authenticate_storeFailureMessageHoldingTheToken_isLoggedWithTheTokenMasked() {
    String token = issuer.issue("alice").value();
    FirstMessageAuthenticator leaky = FirstMessageAuthenticator.builder().verifier(presented -> {
      throw new TokenStoreUnavailableException("no answer for " + presented + "\nFORGED");
    }).build();
    try (LogCapture logs = new LogCapture()) {
      assertThat(rejected(leaky.authenticate(token)).closeCode()).isEqualTo(1011);
      assertThat(logs.text()).contains("token store unavailable: no answer for [redacted] FORGED")
          .doesNotContain(token);
    }
  }

  @Test
  void authenticate_storeUnavailable_is1011AndConsumesNothing() {
    IssuedToken t = issuer.issue("alice");
    FailingTokenStore failing = new FailingTokenStore(store);
    failing.failing = true;
    FirstMessageAuthenticator down = FirstMessageAuthenticator.builder()
        .verifier(TokenVerifier.opaque(failing, TokenPolicy.defaults())).listener(listener).build();
    FirstMessageResult.Rejected r;
    try (LogCapture logs = new LogCapture()) {
      r = rejected(down.authenticate(t.value()));
      // The store's message (secret-free by the TokenStore contract) is logged, not just its class; no token.
      assertThat(logs.text()).contains("token store unavailable: " + FailingTokenStore.FAILURE_MESSAGE)
          .doesNotContain(t.value());
    }
    assertThat(r.closeCode()).isEqualTo(1011);
    assertThat(r.reason()).isEqualTo("authentication temporarily unavailable");
    assertThat(failing.calls()).containsExactly("consume");
    assertThat(listener.rejected).singleElement().satisfies(e -> assertThat(e.code()).isEqualTo(1011));
    assertThat(verifier.verify(t.value()).isVerified()).isTrue();
  }

  @Test
  void authenticate_verifierReturnsNull_is1011NotAnException() {
    FirstMessageAuthenticator broken = FirstMessageAuthenticator.builder().verifier(token -> null).build();
    assertThat(rejected(broken.authenticate("A".repeat(43))).closeCode()).isEqualTo(1011);
  }

  @Test
  void authenticate_verifierBug_is1011_andLogsOnlyItsClass() {
    String token = "B".repeat(43);
    FirstMessageAuthenticator buggy = FirstMessageAuthenticator.builder().verifier(t -> {
      throw new IllegalStateException("cannot verify " + t);
    }).build();
    try (LogCapture logs = new LogCapture()) {
      assertThat(rejected(buggy.authenticate(token)).closeCode()).isEqualTo(1011);
      assertThat(logs.text()).contains("token verifier failed: java.lang.IllegalStateException")
          .doesNotContain(token);
    }
  }

  @Test
  void authenticate_nullMessage_isRejectedByContract() {
    assertThatThrownBy(() -> raw.authenticate((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> raw.authenticate((ByteBuffer) null)).isInstanceOf(NullPointerException.class);
  }
}
