package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SubprotocolExtractorTest {
  private static final CredentialExtractor DEFAULT = CredentialExtractor.subprotocol();
  private static final String P = CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX;

  private static Extraction extract(CredentialExtractor extractor, String... headers) {
    UpgradeRequest.Builder b = UpgradeRequest.builder();
    for (String h : headers) {
      b.header("Sec-WebSocket-Protocol", h);
    }
    return extractor.extract(b.build());
  }

  static Stream<Arguments> good() {
    return Stream.of(
        Arguments.of(new String[] {P + "abc"}, "abc", List.of()),
        Arguments.of(new String[] {"chat, " + P + "abc, v2"}, "abc", List.of("chat", "v2")),
        Arguments.of(new String[] {"v2, chat, " + P + "abc"}, "abc", List.of("v2", "chat")),
        Arguments.of(new String[] {P + "abc", "b, a"}, "abc", List.of("b", "a")),
        Arguments.of(new String[] {"x", P + "eyJh.eyJi.c2ln"}, "eyJh.eyJi.c2ln", List.of("x")),
        Arguments.of(new String[] {P + "a".repeat(4096)}, "a".repeat(4096), List.of()));
  }

  @ParameterizedTest(name = "[{index}]")
  @MethodSource("good")
  void extract_tokenEntry_isPresentAndNeverSelectable(String[] headers, String token, List<String> remaining) {
    Extraction e = extract(DEFAULT, headers);
    assertThat(e).isInstanceOf(Extraction.Present.class);
    Extraction.Present p = (Extraction.Present) e;
    assertThat(p.credential().secret()).isEqualTo(token);
    assertThat(p.credential().source()).isEqualTo(CredentialSource.SUBPROTOCOL);
    assertThat(p.applicationSubprotocols()).containsExactlyElementsOf(remaining);
    assertThat(p.applicationSubprotocols()).noneMatch(s -> s.startsWith(P));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("two token entries", new String[] {P + "abc, " + P + "def"},
            "more than one token subprotocol entry"),
        Arguments.of("two equal token entries", new String[] {P + "abc", P + "abc"},
            "more than one token subprotocol entry"),
        Arguments.of("empty token", new String[] {"chat, " + P}, "empty credential"),
        Arguments.of("padding is not a tchar", new String[] {P + "abc="}, "subprotocol entry is not an HTTP token"),
        Arguments.of("slash is not a tchar", new String[] {P + "a/b"}, "subprotocol entry is not an HTTP token"),
        Arguments.of("quoted entry", new String[] {"\"chat\", " + P + "abc"}, "subprotocol entry is not an HTTP token"),
        Arguments.of("application entry with a slash", new String[] {"chat/1, " + P + "abc"},
            "subprotocol entry is not an HTTP token"),
        Arguments.of("space inside an entry", new String[] {"ch at"}, "subprotocol entry is not an HTTP token"),
        Arguments.of("control character", new String[] {P + "ab\u0001c"}, "subprotocol entry is not an HTTP token"),
        Arguments.of("non-ASCII", new String[] {P + "caf\u00e9"}, "subprotocol entry is not an HTTP token"),
        Arguments.of("over-long (4097)", new String[] {P + "a".repeat(4097)}, "subprotocol entry too long"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("malformed")
  void extract_badInput_isMalformedForThatReason(String description, String[] headers, String reason) {
    Extraction e = extract(DEFAULT, headers);
    assertThat(e).as(description).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).source()).isEqualTo(CredentialSource.SUBPROTOCOL);
    assertThat(((Extraction.Malformed) e).reason()).as(description).isEqualTo(reason);
  }

  @Test
  void extract_noTokenEntry_isAbsent() {
    assertThat(extract(DEFAULT)).isSameAs(Extraction.absent());
    assertThat(extract(DEFAULT, "chat, v2")).isSameAs(Extraction.absent());
    // The prefix is case-sensitive: this is an application entry, not a token entry.
    assertThat(extract(DEFAULT, "Authorization.Bearer.abc")).isSameAs(Extraction.absent());
  }

  @Test
  void extract_customPrefix() {
    CredentialExtractor k8s = CredentialExtractor.subprotocol("base64url.bearer.authorization.k8s.io.");
    Extraction.Present p = (Extraction.Present) extract(k8s,
        "v4.channel.k8s.io, base64url.bearer.authorization.k8s.io.dG9r");
    assertThat(p.credential().secret()).isEqualTo("dG9r");
    assertThat(p.applicationSubprotocols()).containsExactly("v4.channel.k8s.io");
    assertThat(extract(k8s, P + "abc")).isSameAs(Extraction.absent());
  }

  @Test
  void factory_rejectsInvalidPrefix() {
    assertThatThrownBy(() -> CredentialExtractor.subprotocol("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CredentialExtractor.subprotocol("a b.")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CredentialExtractor.subprotocol(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void sources_isSubprotocol() {
    assertThat(DEFAULT.sources()).containsExactly(CredentialSource.SUBPROTOCOL);
  }
}
