package io.github.wsauth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

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
  @ValueSource(strings = {"e30\u00e9.e30.", "e30.e30.\u0000A", "e30.e30.\uff21A", "e30.e\u0130.AA"})
  void isCompactJws_charactersOutsideAscii_isFalse(String token) {
    assertThat(TokenShape.isCompactJws(token)).isFalse();
  }

  @ParameterizedTest
  // overlong '{' (C1 BB); a UTF-16 surrogate encoded in UTF-8 (ED A0 80); a lone continuation byte (80)
  @ValueSource(strings = {"wbs.e30.", "e30.7aCA.", "gA.e30."})
  void hasJsonObjectHeaderAndPayload_invalidUtf8_isFalse(String token) {
    assertThat(TokenShape.hasJsonObjectHeaderAndPayload(token)).isFalse();
  }
}
