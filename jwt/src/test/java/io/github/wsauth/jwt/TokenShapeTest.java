package io.github.wsauth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenShapeTest {

  @ParameterizedTest
  @ValueSource(strings = {"e30.e30.", "e30.e30.AA", "e30.e30.AAA", "e30.e30.AAAA", "e30.e30.AQ", "e30.e30.AAE"})
  void isCompactJws_canonicalThreeSegments_isTrue(String token) {
    assertThat(TokenShape.isCompactJws(token)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"e30.e30", "e30.e30.AA.AA", ".e30.AA", "e30..AA", "e30.e30.AB", "e30.e30.AAF",
      "e30.e30.A", "e30.e30.AA==", "e30.e30.A+", "e30.e30.A/", " e30.e30.AA", "e30.e30.AA ", "e3 0.e30.AA",
      "e30.e30.AA\n", "", ".", "..", "e31.e30.AA"})
  void isCompactJws_anythingElse_isFalse(String token) {
    assertThat(TokenShape.isCompactJws(token)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"e30.e30.", "IHsgfQ.CXsJfQ.", "eyJhIjoiw6kifQ.e30."})
  void hasJsonObjectHeaderAndPayload_utf8Objects_isTrue(String token) {
    assertThat(TokenShape.hasJsonObjectHeaderAndPayload(token)).isTrue();
  }

  @ParameterizedTest
  // [] ; "x" ; {"a":"\xff"} ; empty header
  @ValueSource(strings = {"W10.e30.", "e30.Ingi.", "eyJhIjoi_yJ9.e30.", "e30.IA."})
  void hasJsonObjectHeaderAndPayload_otherwise_isFalse(String token) {
    assertThat(TokenShape.hasJsonObjectHeaderAndPayload(token)).isFalse();
  }

  @ParameterizedTest
  // a non-ASCII letter, NUL, fullwidth A, dotted capital I: none is in the base64url alphabet
  @ValueSource(strings = {"e30\u00e9.e30.", "e30.e30.\u0000A", "e30.e30.\uff21A", "e30.e\u0130.AA", "e30\u0080.e30.",
      "e30.e30.\u0080A", "e30.e30.\u007fA", "e30.e30.\u0100A"})
  void isCompactJws_charactersOutsideAscii_isFalse(String token) {
    assertThat(TokenShape.isCompactJws(token)).isFalse();
    assertThat(TokenShape.isCompactJwsOfJsonObjects(token)).isFalse();
  }

  @ParameterizedTest
  // overlong '{' (C1 BB); a UTF-16 surrogate encoded in UTF-8 (ED A0 80); a lone continuation byte (80)
  @ValueSource(strings = {"wbs.e30.", "e30.7aCA.", "gA.e30."})
  void hasJsonObjectHeaderAndPayload_invalidUtf8_isFalse(String token) {
    assertThat(TokenShape.hasJsonObjectHeaderAndPayload(token)).isFalse();
  }

  /** The fast path (high bits read from the characters, no decoding) agrees with decoding and strict UTF-8. */
  @Test
  void hasJsonObjectHeaderAndPayload_agreesWithDecodingOnRandomSegments() {
    SplittableRandom random = new SplittableRandom(6455);
    byte[] alphabet = {' ', '\t', '\n', '\r', '{', '}', '"', 'a', 'z', '0', (byte) 0x80, (byte) 0xc3, (byte) 0xa9,
        (byte) 0xe2, (byte) 0x82, (byte) 0xac, (byte) 0xff, (byte) 0xed, (byte) 0xa0};
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    int objects = 0;
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = new byte[random.nextInt(0, 12)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = alphabet[random.nextInt(alphabet.length)];
      }
      if (bytes.length > 0 && random.nextBoolean()) {
        // Half of them look like objects: optional whitespace, then a brace, then anything (valid UTF-8 or not).
        int brace = random.nextInt(0, Math.min(3, bytes.length));
        for (int i = 0; i < brace; i++) {
          bytes[i] = alphabet[random.nextInt(4)];
        }
        bytes[brace] = '{';
      }
      String segment = encoder.encodeToString(bytes);
      boolean expected = isUtf8StartingWithBrace(bytes);
      String asHeader = segment + ".e30.";
      String asPayload = "e30." + segment + ".";
      assertThat(TokenShape.hasJsonObjectHeaderAndPayload(asHeader)).as(asHeader).isEqualTo(expected);
      assertThat(TokenShape.hasJsonObjectHeaderAndPayload(asPayload)).as(asPayload).isEqualTo(expected);
      objects += expected ? 1 : 0;
    }
    assertThat(objects).as("the random inputs include objects").isGreaterThan(500);
  }

  /**
   * The verifier's one-pass check is exactly the two checks one after the other: on every token of the tables
   * above, on random segments as header and as payload, and on random single-character edits of real tokens.
   */
  @Test
  void isCompactJwsOfJsonObjects_isExactlyBothChecks() {
    List<String> tokens = new ArrayList<>(List.of("e30.e30.", "e30.e30.AA", "e30.e30.AAA", "e30.e30.AAAA",
        "e30.e30.AQ", "e30.e30.AAE", "e30.e30", "e30.e30.AA.AA", ".e30.AA", "e30..AA", "e30.e30.AB", "e30.e30.AAF",
        "e30.e30.A", "e30.e30.AA==", "e30.e30.A+", "e30.e30.A/", " e30.e30.AA", "e30.e30.AA ", "e3 0.e30.AA",
        "e30.e30.AA\n", "", ".", "..", "e31.e30.AA", "IHsgfQ.CXsJfQ.", "eyJhIjoiw6kifQ.e30.", "W10.e30.",
        "e30.Ingi.", "eyJhIjoi_yJ9.e30.", "e30.IA.", "e30\u00e9.e30.", "e30.e30.\u0000A", "e30.e30.\uff21A",
        "e30.e\u0130.AA", "wbs.e30.", "e30.7aCA.", "gA.e30.", "e30.e30.A", "eyJhIjoiw6kifQA.e30.", "e30.eyJ9B.AA"));
    SplittableRandom random = new SplittableRandom(7519);
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    byte[] alphabet = {' ', '{', '}', '"', 'a', (byte) 0x80, (byte) 0xc3, (byte) 0xa9, (byte) 0xff, (byte) 0xed};
    for (int n = 0; n < 5_000; n++) {
      byte[] bytes = new byte[random.nextInt(0, 10)];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = alphabet[random.nextInt(alphabet.length)];
      }
      String segment = encoder.encodeToString(bytes);
      tokens.add(segment + ".e30.AA");
      tokens.add("e30." + segment + ".");
    }
    String real = TestJwts.hs256Token(Map.of("sub", "alice", "custom", "caf\u00e9"));
    String edits = "Aa0-_.=+/ \u00e9";
    for (int n = 0; n < 5_000; n++) {
      int at = random.nextInt(real.length());
      tokens.add(real.substring(0, at) + edits.charAt(random.nextInt(edits.length())) + real.substring(at + 1));
    }
    int accepted = 0;
    for (String token : tokens) {
      boolean both = TokenShape.isCompactJws(token) && TokenShape.hasJsonObjectHeaderAndPayload(token);
      assertThat(TokenShape.isCompactJwsOfJsonObjects(token)).as(token).isEqualTo(both);
      accepted += both ? 1 : 0;
    }
    assertThat(accepted).as("both outcomes occur").isBetween(100, tokens.size() - 100);
  }

  private static boolean isUtf8StartingWithBrace(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return false;
    }
    String stripped = text.replaceFirst("^[ \t\n\r]+", "");
    return stripped.startsWith("{");
  }

  /**
   * A payload that starts with '{' and then holds bytes that are not UTF-8, after headers of every length modulo
   * four: the one-pass check finds the payload's high bits by each character's position in its own segment.
   */
  @Test
  void isCompactJwsOfJsonObjects_invalidUtf8PayloadAfterAnyHeaderLength_isFalse() {
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    for (String header : new String[] {"{}", "{ }", "{  }", "{   }", "{\"a\":1}", "{\"ab\":1}"}) {
      String h = b64.encodeToString(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      for (byte[] payload : new byte[][] {{'{', (byte) 0xff, '}'}, {'{', ' ', (byte) 0xc3, 0x28, '}'},
          {'{', '"', 'a', '"', ':', '"', (byte) 0x80, '"', '}'}}) {
        String token = h + "." + b64.encodeToString(payload) + ".AAAA";
        assertThat(TokenShape.isCompactJwsOfJsonObjects(token)).as(token).isFalse();
        byte[] utf8 = "{\"a\":\"\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String valid = h + "." + b64.encodeToString(utf8) + ".AAAA";
        assertThat(TokenShape.isCompactJwsOfJsonObjects(valid)).as(valid).isTrue();
      }
    }
  }
}
