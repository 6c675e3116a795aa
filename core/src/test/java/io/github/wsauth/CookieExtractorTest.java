package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CookieExtractorTest {
  private static final CredentialExtractor SESSION = CredentialExtractor.cookie("ws_token");

  private static Extraction extract(String... cookieHeaders) {
    UpgradeRequest.Builder b = UpgradeRequest.builder();
    for (String h : cookieHeaders) {
      b.header("Cookie", h);
    }
    return SESSION.extract(b.build());
  }

  static Stream<Arguments> good() {
    return Stream.of(
        Arguments.of(new String[] {"ws_token=abc"}, "abc"),
        Arguments.of(new String[] {"a=1; ws_token=abc; b=2"}, "abc"),
        Arguments.of(new String[] {"a=1;ws_token=abc"}, "abc"),
        Arguments.of(new String[] {"ws_token=\"abc\""}, "abc"),
        Arguments.of(new String[] {"ws_token = abc "}, "abc"),
        Arguments.of(new String[] {"ws_token=abc; ws_token=abc"}, "abc"),
        Arguments.of(new String[] {"ws_token=abc", "ws_token=abc"}, "abc"),
        Arguments.of(new String[] {"ws_token=abc", "ws_token=\"abc\""}, "abc"),
        Arguments.of(new String[] {"ws_token=a.b-c_d~e+f/g="}, "a.b-c_d~e+f/g="),
        Arguments.of(new String[] {"ws_token=" + "a".repeat(4096)}, "a".repeat(4096)),
        Arguments.of(new String[] {"ws_token=\"" + "a".repeat(4096) + "\""}, "a".repeat(4096)),
        Arguments.of(new String[] {";ws_token=abc"}, "abc"),
        Arguments.of(new String[] {"\tws_token\t=\tabc\t; b=1"}, "abc"),
        // Every edge of the RFC 6265 cookie-octet ranges: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E.
        Arguments.of(new String[] {"ws_token=!#+-:<[]~"}, "!#+-:<[]~"));
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("good")
  void extract_wellFormed_isPresent(String[] headers, String expected) {
    Extraction e = extract(headers);
    assertThat(e).isInstanceOf(Extraction.Present.class);
    Credential c = ((Extraction.Present) e).credential();
    assertThat(c.secret()).isEqualTo(expected);
    assertThat(c.source()).isEqualTo(CredentialSource.COOKIE);
  }

  static Stream<Arguments> malformed() {
    String invalid = "invalid character in cookie value";
    return Stream.of(
        Arguments.of("different values, one header", new String[] {"ws_token=abc; ws_token=def"},
            "cookie sent twice with different values"),
        Arguments.of("different values, two headers", new String[] {"ws_token=abc", "ws_token=def"},
            "cookie sent twice with different values"),
        Arguments.of("empty value", new String[] {"ws_token="}, "empty credential"),
        Arguments.of("empty quoted value", new String[] {"ws_token=\"\""}, "empty credential"),
        Arguments.of("only whitespace", new String[] {"ws_token= ; b=1"}, "empty credential"),
        Arguments.of("space inside", new String[] {"ws_token=ab c"}, invalid),
        Arguments.of("comma", new String[] {"ws_token=ab,c"}, invalid),
        Arguments.of("backslash", new String[] {"ws_token=ab\\c"}, invalid),
        Arguments.of("quote inside", new String[] {"ws_token=ab\"c"}, invalid),
        Arguments.of("unbalanced quote", new String[] {"ws_token=\"abc"}, invalid),
        Arguments.of("control character", new String[] {"ws_token=ab\u0001c"}, invalid),
        Arguments.of("DEL", new String[] {"ws_token=ab\u007fc"}, invalid),
        Arguments.of("U+0080", new String[] {"ws_token=ab\u0080c"}, invalid),
        Arguments.of("non-ASCII", new String[] {"ws_token=caf\u00e9"}, invalid),
        Arguments.of("over-long (4097)", new String[] {"ws_token=" + "a".repeat(4097)}, "credential too long"),
        Arguments.of("over-long (4098)", new String[] {"ws_token=" + "a".repeat(4098)}, "credential too long"),
        Arguments.of("over-long quoted (4097)", new String[] {"ws_token=\"" + "a".repeat(4097) + "\""},
            "credential too long"),
        Arguments.of("good then malformed", new String[] {"ws_token=abc", "ws_token=a b"}, invalid));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("malformed")
  void extract_badInput_isMalformedForThatReason(String description, String[] headers, String reason) {
    Extraction e = extract(headers);
    assertThat(e).as(description).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).source()).isEqualTo(CredentialSource.COOKIE);
    assertThat(((Extraction.Malformed) e).reason()).as(description).isEqualTo(reason);
  }

  @Test
  void extract_otherCookiesOnly_isAbsent() {
    assertThat(extract()).isSameAs(Extraction.absent());
    assertThat(extract("a=1; b=2")).isSameAs(Extraction.absent());
    assertThat(extract("WS_TOKEN=abc; xws_token=abc; ws_token_x=abc; ws_token")).isSameAs(Extraction.absent());
  }

  @Test
  void extract_ignoresMalformedOtherCookies() {
    assertThat(extract("other=a b c; ws_token=abc")).isInstanceOf(Extraction.Present.class);
  }

  @Test
  void factory_rejectsInvalidNames() {
    assertThatThrownBy(() -> CredentialExtractor.cookie("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CredentialExtractor.cookie("a=b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CredentialExtractor.cookie("a b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CredentialExtractor.cookie(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void sources_isCookie() {
    assertThat(SESSION.sources()).containsExactly(CredentialSource.COOKIE);
  }
}
