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
        Arguments.of("/ws?other=%ZZ&token=abc", "abc"),
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
        Arguments.of("repeated", "/ws?token=abc&token=def"),
        Arguments.of("repeated same value", "/ws?token=abc&token=abc"),
        Arguments.of("repeated, one percent-encoded name", "/ws?token=abc&%74oken=abc"),
        Arguments.of("%ZZ", "/ws?token=ab%ZZ"),
        Arguments.of("truncated %4", "/ws?token=ab%4"),
        Arguments.of("lone %", "/ws?token=ab%"),
        Arguments.of("raw non-ASCII", "/ws?token=caf\u00e9"),
        Arguments.of("invalid UTF-8 encoded", "/ws?token=%C3%28"),
        Arguments.of("encoded control character", "/ws?token=ab%00c"),
        Arguments.of("encoded newline", "/ws?token=ab%0Ac"),
        Arguments.of("plus is a space", "/ws?token=ab+c"),
        Arguments.of("empty value", "/ws?token="),
        Arguments.of("no value", "/ws?token"),
        Arguments.of("bad name encoding elsewhere", "/ws?%ZZ=1&token=abc"),
        Arguments.of("over-long (4097)", "/ws?token=" + "a".repeat(4097)),
        Arguments.of("over-long once encoded", "/ws?token=" + "%41".repeat(2000)));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("malformed")
  void extract_badInput_isMalformed(String description, String target) {
    Extraction e = extract(target);
    assertThat(e).as(description).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).source()).isEqualTo(CredentialSource.QUERY_PARAMETER);
  }

  @Test
  void extract_noQueryOrOtherParameter_isAbsent() {
    assertThat(extract("/ws")).isSameAs(Extraction.absent());
    assertThat(extract("/ws?")).isSameAs(Extraction.absent());
    assertThat(extract("/ws?tokens=abc&Token=abc")).isSameAs(Extraction.absent());
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
