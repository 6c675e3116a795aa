package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuthorizationHeaderExtractorTest {
  private static final String TOKEN = "tok-EN_123.abc~+/";

  private static UpgradeRequest withAuthorization(String... values) {
    UpgradeRequest.Builder b = UpgradeRequest.builder().requestTarget("/ws");
    for (String v : values) {
      b.header("Authorization", v);
    }
    return b.build();
  }

  private static String basic(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  private static String basicBytes(byte[] raw) {
    return "Basic " + Base64.getEncoder().encodeToString(raw);
  }

  // ---------------------------------------------------------------- Bearer

  static Stream<Arguments> bearerGood() {
    return Stream.of(
        Arguments.of("Bearer " + TOKEN, TOKEN),
        Arguments.of("bearer " + TOKEN, TOKEN),
        Arguments.of("BEARER " + TOKEN, TOKEN),
        Arguments.of("Bearer abc==", "abc=="),
        Arguments.of("Bearer " + "a".repeat(4096), "a".repeat(4096)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("bearerGood")
  void extract_bearerWellFormed_isPresent(String header, String expected) {
    Extraction e = CredentialExtractor.bearerHeader().extract(withAuthorization(header));
    assertThat(e).isInstanceOf(Extraction.Present.class);
    Credential c = ((Extraction.Present) e).credential();
    assertThat(c).isInstanceOf(Credential.Token.class);
    assertThat(c.secret()).isEqualTo(expected);
    assertThat(c.source()).isEqualTo(CredentialSource.AUTHORIZATION_BEARER);
  }

  static Stream<Arguments> bearerMalformed() {
    return Stream.of(
        Arguments.of("comma-folded", "Bearer abc, Bearer def",
            "more than one credential in the Authorization header"),
        Arguments.of("comma first", "Bearer ,abc", "more than one credential in the Authorization header"),
        Arguments.of("comma in token", "Bearer abc,def", "more than one credential in the Authorization header"),
        Arguments.of("two spaces", "Bearer  " + TOKEN, "malformed Authorization header"),
        Arguments.of("trailing space", "Bearer " + TOKEN + " ", "malformed Authorization header"),
        Arguments.of("space inside", "Bearer abc def", "malformed Authorization header"),
        Arguments.of("tab separator", "Bearer\t" + TOKEN, "malformed Authorization header"),
        Arguments.of("no token", "Bearer", "malformed Authorization header"),
        Arguments.of("empty token", "Bearer ", "malformed Authorization header"),
        Arguments.of("only padding", "Bearer ===", "malformed Authorization header"),
        Arguments.of("padding in the middle", "Bearer ab=c", "malformed Authorization header"),
        Arguments.of("quote", "Bearer \"abc\"", "malformed Authorization header"),
        Arguments.of("control character", "Bearer abc\u0001def", "malformed Authorization header"),
        Arguments.of("non-ASCII", "Bearer abc\u00e9", "malformed Authorization header"),
        Arguments.of("over-long token (4097)", "Bearer " + "a".repeat(4097), "credential too long"),
        Arguments.of("huge token", "Bearer " + "a".repeat(100_000), "credential too long"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("bearerMalformed")
  void extract_bearerBadInput_isMalformedForThatReason(String description, String header, String reason) {
    Extraction e = CredentialExtractor.bearerHeader().extract(withAuthorization(header));
    assertThat(e).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).source()).isEqualTo(CredentialSource.AUTHORIZATION_BEARER);
    assertThat(((Extraction.Malformed) e).reason()).as(description).isEqualTo(reason);
  }

  @Test
  void extract_duplicateHeader_isMalformed() {
    Extraction e = CredentialExtractor.bearerHeader().extract(withAuthorization("Bearer a", "Bearer a"));
    assertThat(e).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).reason()).isEqualTo("more than one Authorization header");
  }

  @Test
  void extract_duplicateHeaderDifferentSchemes_isMalformedForBoth() {
    UpgradeRequest r = withAuthorization("Bearer a", basic("alice:b"));
    assertThat(CredentialExtractor.bearerHeader().extract(r)).isInstanceOf(Extraction.Malformed.class);
    assertThat(CredentialExtractor.basicHeader().extract(r)).isInstanceOf(Extraction.Malformed.class);
  }

  @Test
  void extract_otherSchemeOrNoHeader_isAbsent() {
    assertThat(CredentialExtractor.bearerHeader().extract(withAuthorization(basic("a:b"))))
        .isSameAs(Extraction.absent());
    assertThat(CredentialExtractor.bearerHeader().extract(withAuthorization("BearerX abc")))
        .isSameAs(Extraction.absent());
    assertThat(CredentialExtractor.bearerHeader().extract(withAuthorization("Digest a=\"b\", c=\"d\"")))
        .isSameAs(Extraction.absent());
    assertThat(CredentialExtractor.bearerHeader().extract(withAuthorization("x".repeat(10_000))))
        .isSameAs(Extraction.absent());
    assertThat(CredentialExtractor.bearerHeader().extract(withAuthorization())).isSameAs(Extraction.absent());
  }

  @Test
  void extract_bearer_keepsAllOfferedSubprotocols() {
    UpgradeRequest r = UpgradeRequest.builder()
        .header("Authorization", "Bearer " + TOKEN)
        .header("Sec-WebSocket-Protocol", "chat, v2")
        .build();
    Extraction.Present p = (Extraction.Present) CredentialExtractor.bearerHeader().extract(r);
    assertThat(p.applicationSubprotocols()).containsExactly("chat", "v2");
  }

  // ---------------------------------------------------------------- Basic

  static Stream<Arguments> basicGood() {
    return Stream.of(
        Arguments.of(basic("alice:" + TOKEN), "alice", TOKEN),
        Arguments.of("basic " + Base64.getEncoder().encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8)),
            "alice", "pw"),
        Arguments.of(basic("alice:pass:with:colons"), "alice", "pass:with:colons"),
        Arguments.of(basic(":tok"), "", "tok"),
        Arguments.of(basic("j\u00f6rg:t\u00f6k"), "j\u00f6rg", "t\u00f6k"),
        Arguments.of(basic("a:b"), "a", "b"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("basicGood")
  void extract_basicWellFormed_isPresent(String header, String user, String password) {
    Extraction e = CredentialExtractor.basicHeader().extract(withAuthorization(header));
    assertThat(e).isInstanceOf(Extraction.Present.class);
    Credential.UsernamePassword c = (Credential.UsernamePassword) ((Extraction.Present) e).credential();
    assertThat(c.username()).isEqualTo(user);
    assertThat(c.password()).isEqualTo(password);
    assertThat(c.source()).isEqualTo(CredentialSource.AUTHORIZATION_BASIC);
  }

  static Stream<Arguments> basicMalformed() {
    String canonical = Base64.getEncoder().encodeToString("alice:tok".getBytes(StandardCharsets.UTF_8));
    // "alice:tok" is 9 bytes: no padding. "alice:toke" is 10 bytes -> "...ZQ==".
    String padded = Base64.getEncoder().encodeToString("alice:toke".getBytes(StandardCharsets.UTF_8));
    String unpadded = padded.replace("=", "");
    // Last significant char of "...ZQ==" is 'Q' (value 16, low 4 bits zero); 'R' sets an unused bit.
    String badUnusedBits = padded.substring(0, padded.length() - 3) + "R==";
    return Stream.of(
        Arguments.of("missing padding", "Basic " + unpadded, "non-canonical base64 in Basic credentials"),
        Arguments.of("non-zero unused bits", "Basic " + badUnusedBits, "non-canonical base64 in Basic credentials"),
        Arguments.of("base64url alphabet", "Basic " + canonical.replace('+', '-').replace('/', '_') + "-_",
            "invalid base64 in Basic credentials"),
        Arguments.of("invalid base64 length", "Basic " + canonical.substring(1),
            "non-canonical base64 in Basic credentials"),
        Arguments.of("extra padding", "Basic " + canonical + "==", "invalid base64 in Basic credentials"),
        Arguments.of("invalid UTF-8", basicBytes(new byte[] {'a', ':', (byte) 0xc3, (byte) 0x28}),
            "Basic credentials are not valid UTF-8"),
        Arguments.of("overlong UTF-8", basicBytes(new byte[] {'a', ':', (byte) 0xc0, (byte) 0xaf}),
            "Basic credentials are not valid UTF-8"),
        Arguments.of("no colon", basic("alicetok"), "Basic credentials without a colon"),
        Arguments.of("empty password", basic("alice:"), "empty password in Basic credentials"),
        Arguments.of("control in username", basic("ali\u0007ce:tok"), "control character in Basic credentials"),
        Arguments.of("newline in username", basic("alice\n:tok"), "control character in Basic credentials"),
        Arguments.of("control in password", basic("alice:to\u0000k"), "control character in Basic credentials"),
        Arguments.of("DEL in password", basic("alice:tok\u007f"), "control character in Basic credentials"),
        Arguments.of("C1 control in password", basic("alice:tok\u0085"), "control character in Basic credentials"),
        Arguments.of("two spaces", "Basic  " + canonical, "malformed Authorization header"),
        Arguments.of("tab", "Basic\t" + canonical, "malformed Authorization header"),
        Arguments.of("comma-folded", "Basic " + canonical + ", Basic " + canonical,
            "more than one credential in the Authorization header"),
        Arguments.of("empty", "Basic ", "malformed Authorization header"),
        Arguments.of("over-long", "Basic " + "QUFB".repeat(1025), "credential too long"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("basicMalformed")
  void extract_basicBadInput_isMalformedForThatReason(String description, String header, String reason) {
    Extraction e = CredentialExtractor.basicHeader().extract(withAuthorization(header));
    assertThat(e).as(description).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).source()).isEqualTo(CredentialSource.AUTHORIZATION_BASIC);
    assertThat(((Extraction.Malformed) e).reason()).as(description).isEqualTo(reason);
  }

  @Test
  void extract_basicAtTheCredentialCap_isPresent_oneAboveIsTooLong() {
    // The cap counts the base64 credential: 3072 bytes encode to exactly 4096 characters.
    String atCap = basic("alice:" + "p".repeat(3066));
    assertThat(atCap).hasSize("Basic ".length() + CredentialExtractor.MAX_CREDENTIAL_LENGTH);
    Extraction e = CredentialExtractor.basicHeader().extract(withAuthorization(atCap));
    assertThat(e).isInstanceOf(Extraction.Present.class);
    assertThat(((Credential.UsernamePassword) ((Extraction.Present) e).credential()).password()).hasSize(3066);
    // 4097 characters: refused by the cap, before the base64 (which would be malformed for another reason) is read
    assertThat(basicReason(atCap + "=")).isEqualTo("credential too long");
    // the shortest canonical base64 above the cap (4100 characters, 3075 bytes), otherwise valid, is refused too
    String aboveCap = basic("alice:" + "p".repeat(3069));
    assertThat(aboveCap).hasSize("Basic ".length() + CredentialExtractor.MAX_CREDENTIAL_LENGTH + 4);
    assertThat(basicReason(aboveCap)).isEqualTo("credential too long");
  }

  @Test
  void tokenAsUserName_atTheCredentialCap_isPresent_oneAboveIsTooLong() {
    String atCap = basic("t".repeat(3071) + ":");
    assertThat(atCap).hasSize("Basic ".length() + CredentialExtractor.MAX_CREDENTIAL_LENGTH);
    Extraction e = CredentialExtractor.basicHeaderWithTokenAsUserName().extract(withAuthorization(atCap));
    assertThat(e).isInstanceOf(Extraction.Present.class);
    assertThat(((Extraction.Present) e).credential())
        .isEqualTo(Credential.token("t".repeat(3071), CredentialSource.AUTHORIZATION_BASIC));
    Extraction over = CredentialExtractor.basicHeaderWithTokenAsUserName()
        .extract(withAuthorization(basic("t".repeat(3074) + ":")));
    assertThat(over).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) over).reason()).isEqualTo("credential too long");
  }

  private static String basicReason(String header) {
    Extraction e = CredentialExtractor.basicHeader().extract(withAuthorization(header));
    assertThat(e).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).source()).isEqualTo(CredentialSource.AUTHORIZATION_BASIC);
    return ((Extraction.Malformed) e).reason();
  }

  // ------------------------------------------------ Basic with the token as the user name (ws://<token>@host/)

  @Test
  void tokenAsUserName_emptyPassword_isTheTokenWithoutAUserName() {
    Extraction e = CredentialExtractor.basicHeaderWithTokenAsUserName().extract(withAuthorization(basic(TOKEN + ":")));
    assertThat(e).isInstanceOf(Extraction.Present.class);
    Credential c = ((Extraction.Present) e).credential();
    assertThat(c).isEqualTo(Credential.token(TOKEN, CredentialSource.AUTHORIZATION_BASIC));
  }

  @Test
  void tokenAsUserName_optionOff_sameHeaderIsRefusedForTheEmptyPassword() {
    Extraction e = CredentialExtractor.basicHeader().extract(withAuthorization(basic(TOKEN + ":")));
    assertThat(e).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).reason()).isEqualTo("empty password in Basic credentials");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("basicGood")
  void tokenAsUserName_userAndPassword_staysAPairWithItsUserName(String header, String user, String password) {
    // A non-empty password is never read as a bare token: the subject check still applies to the user name.
    Extraction e = CredentialExtractor.basicHeaderWithTokenAsUserName().extract(withAuthorization(header));
    Credential.UsernamePassword c = (Credential.UsernamePassword) ((Extraction.Present) e).credential();
    assertThat(c.username()).isEqualTo(user);
    assertThat(c.password()).isEqualTo(password);
  }

  static Stream<Arguments> tokenAsUserNameMalformed() {
    return Stream.of(
        Arguments.of("colon only", basic(":"), "empty Basic credentials"),
        Arguments.of("space in the token", basic("tok en:"), "malformed token as the Basic user name"),
        Arguments.of("non-ASCII token", basic("t\u00f6k:"), "malformed token as the Basic user name"),
        Arguments.of("padding inside", basic("to=k:"), "malformed token as the Basic user name"),
        Arguments.of("control character", basic("tok\u0007:"), "control character in Basic credentials"),
        Arguments.of("no colon", basic(TOKEN), "Basic credentials without a colon"),
        Arguments.of("invalid UTF-8", basicBytes(new byte[] {'t', (byte) 0xc3, (byte) 0x28, ':'}),
            "Basic credentials are not valid UTF-8"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource({"tokenAsUserNameMalformed", "basicMalformedExceptEmptyPassword"})
  void tokenAsUserName_badInput_isMalformedForThatReason(String description, String header, String reason) {
    Extraction e = CredentialExtractor.basicHeaderWithTokenAsUserName().extract(withAuthorization(header));
    assertThat(e).as(description).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).reason()).as(description).isEqualTo(reason);
  }

  static Stream<Arguments> basicMalformedExceptEmptyPassword() {
    return basicMalformed().filter(a -> !"empty password".equals(a.get()[0]));
  }

  @Test
  void extract_basicNonCanonical_decodesWithJdkButIsRejected() {
    // Guard for the table above: the JDK decoder would silently accept these, so the test proves our check.
    String padded = Base64.getEncoder().encodeToString("alice:toke".getBytes(StandardCharsets.UTF_8));
    String badUnusedBits = padded.substring(0, padded.length() - 3) + "R==";
    assertThat(new String(Base64.getDecoder().decode(badUnusedBits), StandardCharsets.UTF_8))
        .isEqualTo("alice:toke");
    assertThat(new String(Base64.getDecoder().decode(padded.replace("=", "")), StandardCharsets.UTF_8))
        .isEqualTo("alice:toke");
  }

  @Test
  void extract_basicOrNoHeader_isAbsentForBearerAndViceVersa() {
    assertThat(CredentialExtractor.basicHeader().extract(withAuthorization("Bearer " + TOKEN)))
        .isSameAs(Extraction.absent());
    assertThat(CredentialExtractor.basicHeader().extract(withAuthorization())).isSameAs(Extraction.absent());
  }

  @Test
  void sources_areTheirSchemes() {
    assertThat(CredentialExtractor.bearerHeader().sources()).containsExactly(CredentialSource.AUTHORIZATION_BEARER);
    assertThat(CredentialExtractor.basicHeader().sources()).containsExactly(CredentialSource.AUTHORIZATION_BASIC);
    assertThat(CredentialExtractor.basicHeaderWithTokenAsUserName().sources())
        .containsExactly(CredentialSource.AUTHORIZATION_BASIC);
  }
}
