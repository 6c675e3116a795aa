package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class QueryParameterExtractorTest {
  private static final CredentialExtractor TOKEN = CredentialExtractor.queryParameter("token");

  private static Extraction extract(String target) {
    return TOKEN.extract(UpgradeRequest.builder().requestTarget(target).build());
  }

  static Stream<Arguments> good() {
    return Stream.of(
        Arguments.of("/ws?token=abc", "abc"),
        Arguments.of("/ws?a=1&token=abc&b=2", "abc"),
        Arguments.of("/ws?token=a%2Bb%2Fc%3D", "a+b/c="),
        Arguments.of("/ws?tok%65n=abc", "abc"),
        Arguments.of("/ws?token=caf%C3%A9", "caf\u00e9"),
        Arguments.of("/ws?other=%41%2b+&token=abc", "abc"),
        Arguments.of("/ws?&&token=abc&", "abc"),
        Arguments.of("/ws?token=" + "a".repeat(4096), "a".repeat(4096)),
        Arguments.of("/ws?token=abc#fragment", "abc"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("good")
  void extract_wellFormed_isPresent(String target, String expected) {
    Extraction e = extract(target);
    assertThat(e).isInstanceOf(Extraction.Present.class);
    Credential c = ((Extraction.Present) e).credential();
    assertThat(c.secret()).isEqualTo(expected);
    assertThat(c.source()).isEqualTo(CredentialSource.QUERY_PARAMETER);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("repeated", "/ws?token=abc&token=def", "repeated query parameter"),
        Arguments.of("repeated same value", "/ws?token=abc&token=abc", "repeated query parameter"),
        Arguments.of("repeated, one percent-encoded name", "/ws?token=abc&%74oken=abc", "repeated query parameter"),
        Arguments.of("%ZZ", "/ws?token=ab%ZZ", "malformed percent-encoding"),
        Arguments.of("truncated %4", "/ws?token=ab%4", "malformed percent-encoding"),
        Arguments.of("lone %", "/ws?token=ab%", "malformed percent-encoding"),
        Arguments.of("raw non-ASCII", "/ws?token=caf\u00e9", "malformed percent-encoding"),
        Arguments.of("invalid UTF-8 encoded", "/ws?token=%C3%28", "malformed percent-encoding"),
        Arguments.of("encoded control character", "/ws?token=ab%00c", "invalid character in credential"),
        Arguments.of("encoded newline", "/ws?token=ab%0Ac", "invalid character in credential"),
        Arguments.of("encoded U+0080", "/ws?token=ab%C2%80c", "invalid character in credential"),
        Arguments.of("plus is a space", "/ws?token=ab+c", "invalid character in credential"),
        Arguments.of("encoded space", "/ws?token=ab%20c", "invalid character in credential"),
        Arguments.of("empty value", "/ws?token=", "empty credential"),
        Arguments.of("no value, an = in a later pair", "/ws?token&x=1", "empty credential"),
        Arguments.of("leading space", "/ws?token=+abc", "invalid character in credential"),
        Arguments.of("no value", "/ws?token", "empty credential"),
        Arguments.of("bad name encoding elsewhere", "/ws?%ZZ=1&token=abc", "malformed query string"),
        Arguments.of("over-long (4097)", "/ws?token=" + "a".repeat(4097), "credential too long"),
        Arguments.of("over-long once encoded", "/ws?token=" + "%41".repeat(2000), "credential too long"),
        // Issue 13, item 6: any pair that does not decode makes the request malformed, wherever it is.
        Arguments.of("%ZZ in a later value", "/ws?token=abc&x=%ZZ", "malformed query string"),
        Arguments.of("lone % in a later value", "/ws?token=abc&x=%", "malformed query string"),
        Arguments.of("truncated %1 in a later value", "/ws?token=abc&x=%1", "malformed query string"),
        Arguments.of("%% in a later value", "/ws?token=abc&x=%%", "malformed query string"),
        Arguments.of("%% as a later pair", "/ws?token=abc&%%", "malformed query string"),
        Arguments.of("%ZZ in an earlier value", "/ws?x=%ZZ&token=abc", "malformed query string"),
        Arguments.of("lone % in an earlier value", "/ws?x=%&token=abc", "malformed query string"),
        Arguments.of("truncated %1 in an earlier value", "/ws?x=%1&token=abc", "malformed query string"),
        Arguments.of("%% in an earlier value", "/ws?x=%%&token=abc", "malformed query string"),
        Arguments.of("invalid UTF-8 in another value", "/ws?token=abc&x=%FF", "malformed query string"),
        Arguments.of("raw non-ASCII in another value", "/ws?token=abc&x=caf\u00e9", "malformed query string"),
        Arguments.of("bad name encoding later", "/ws?token=abc&%ZZ=1", "malformed query string"),
        Arguments.of("malformed query without the parameter", "/ws?x=%ZZ", "malformed query string"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("malformed")
  void extract_badInput_isMalformedForThatReason(String description, String target, String reason) {
    Extraction e = extract(target);
    assertThat(e).as(description).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).source()).isEqualTo(CredentialSource.QUERY_PARAMETER);
    assertThat(((Extraction.Malformed) e).reason()).as(description).isEqualTo(reason);
  }

  @Test
  void extract_noQueryOrOtherParameter_isAbsent() {
    assertThat(extract("/ws")).isSameAs(Extraction.absent());
    assertThat(extract("/ws?")).isSameAs(Extraction.absent());
    assertThat(extract("/ws?tokens=abc&Token=abc")).isSameAs(Extraction.absent());
  }

  /** A raw {@code =} always ends a name, even at the start of the query; a percent-encoded one does not. */
  @Test
  void extract_nameWithAnEqualsSign_onlyMatchesPercentEncoded() {
    CredentialExtractor odd = CredentialExtractor.queryParameter("=x");
    assertThat(odd.extract(UpgradeRequest.builder().requestTarget("/ws?=x").build())).isSameAs(Extraction.absent());
    Extraction e = odd.extract(UpgradeRequest.builder().requestTarget("/ws?%3Dx=abc").build());
    assertThat(((Extraction.Present) e).credential().secret()).isEqualTo("abc");
  }

  @Test
  void extract_present_listsOfferedSubprotocols() {
    UpgradeRequest r = UpgradeRequest.builder().requestTarget("/ws?token=abc")
        .header("Sec-WebSocket-Protocol", "chat").build();
    assertThat(((Extraction.Present) TOKEN.extract(r)).applicationSubprotocols()).containsExactly("chat");
  }

  @Test
  void factory_rejectsEmptyOrNullName() {
    assertThatThrownBy(() -> CredentialExtractor.queryParameter("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CredentialExtractor.queryParameter(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void sources_isQueryParameter() {
    assertThat(TOKEN.sources()).containsExactly(CredentialSource.QUERY_PARAMETER);
  }
}
