package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The shared character classes, origin canonicalisation and UTF-8 length (one definition for every module). */
class CharClassesTest {
  @Test
  void httpToken() {
    assertThat(CharClasses.isHttpToken("authorization.bearer.")).isTrue();
    assertThat(CharClasses.isHttpToken("wsauth")).isTrue();
    assertThat(CharClasses.isHttpToken("a b")).isFalse();
    assertThat(CharClasses.isHttpToken("a;b")).isFalse();
    assertThat(CharClasses.isHttpToken("é")).isFalse();
    assertThat(CharClasses.isHttpToken("")).isFalse();
    assertThat(CharClasses.isHttpToken(null)).isFalse();
  }

  @Test
  void requireHttpToken_namesWhatIsWrong() {
    assertThat(CharClasses.requireHttpToken("wsauth", "cookie name")).isEqualTo("wsauth");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CharClasses.requireHttpToken("a;b", "cookie name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("cookie name must be a non-empty HTTP token");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CharClasses.requireHttpToken(null, "cookie name"))
        .isInstanceOf(NullPointerException.class).hasMessage("cookie name must not be null");
  }

  @Test
  void requirePath_namesWhatIsWrong() {
    assertThat(CharClasses.requirePath("/ws/room", "websocket path")).isEqualTo("/ws/room");
    for (String bad : new String[] {"ws", "/ws?x", "/ws#x", "/w s", "/w\u007fs", "/caf\u00e9"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> CharClasses.requirePath(bad, "cookie path")).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cookie path must start with '/' and hold no query, fragment or space");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CharClasses.requirePath(null, "cookie path"))
        .isInstanceOf(NullPointerException.class).hasMessage("cookie path must not be null");
  }

  @Test
  void b64token() {
    assertThat(CharClasses.isB64token("abc-_.~+/==")).isTrue();
    assertThat(CharClasses.isB64token("=abc")).isFalse();
    assertThat(CharClasses.isB64token("ab=c")).isFalse();
    assertThat(CharClasses.isB64token("ab;c")).isFalse();
    assertThat(CharClasses.isB64token("")).isFalse();
  }

  @Test
  void origins_canonical_and_http() {
    assertThat(Origins.canonical("HTTPS://App.Example:443")).isEqualTo("https://app.example");
    assertThat(Origins.canonical("http://app.example:8080")).isEqualTo("http://app.example:8080");
    assertThat(Origins.canonical("https://app.example/path")).isNull();
    assertThat(Origins.canonical("https://app.example\u0000")).isNull();
    assertThat(Origins.canonical("https://" + "a".repeat(Origins.MAX_LENGTH))).isNull();
    assertThat(Origins.canonicalHttp("wss://app.example")).isNull();
    assertThat(Origins.canonicalHttp("https://app.example:443")).isEqualTo("https://app.example");
  }

  @Test
  void utf8Length_agreesWithTheEncoder_evenOnALoneSurrogate() {
    for (String s : new String[] {"", "abc", "é", "€", "\ud83d\ude00", "\ud800", "\ud800a", "a\udc00",
        "\udc00\ud800", "\ud83d\ude00\ud800"}) {
      assertThat(Utf8.length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
    }
  }

  @Test
  void isControl_edgesOfC0DelAndC1() {
    for (int c : new int[] {0x00, 0x1f, 0x7f, 0x80, 0x9f}) {
      assertThat(CharClasses.isControl(c)).as("U+%04X", c).isTrue();
      assertThat(CharClasses.hasControl("a" + (char) c + "b")).as("U+%04X", c).isTrue();
    }
    for (int c : new int[] {0x20, 0x7e, 0xa0, 0xff}) {
      assertThat(CharClasses.isControl(c)).as("U+%04X", c).isFalse();
      assertThat(CharClasses.hasControl("a" + (char) c + "b")).as("U+%04X", c).isFalse();
    }
  }

  @Test
  void isTchar_outsideAscii_isFalseNotAnIndexError() {
    assertThat(CharClasses.isTchar('~')).isTrue();
    assertThat(CharClasses.isTchar((char) 0x7f)).isFalse();
    assertThat(CharClasses.isTchar((char) 0x80)).isFalse();
    assertThat(CharClasses.isHttpToken("a\u0080")).isFalse();
    assertThat(CharClasses.isB64token("a\u0080")).isFalse();
  }

  @Test
  void requirePath_acceptsEveryVisibleAsciiCharacterButQueryAndFragment() {
    assertThat(CharClasses.requirePath("/!", "websocket path")).isEqualTo("/!");
    assertThat(CharClasses.requirePath("/~", "websocket path")).isEqualTo("/~");
    assertThat(CharClasses.requirePath("/", "websocket path")).isEqualTo("/");
    for (String bad : new String[] {"/?", "/#", "/a?", "/\u0020", "/\u0000"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> CharClasses.requirePath(bad, "cookie path")).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("cookie path must start with '/' and hold no query, fragment or space");
    }
  }

  @Test
  void origins_aSpaceOrControlCharacterAnywhere_isRefused() {
    // Origins has no check of its own for these: java.net.URI refuses them in every component.
    String[] places = {"%shttps://a.example", "https%s://a.example", "https:%s//a.example", "https://%sa.example",
        "https://a%s.example", "https://a.example%s", "https://a.example:%s80", "https://a.example:80%s",
        "https://[fe80::1%s]", "https://[fe80::1%%25e%s]", "https://[fe80::1]%s"};
    for (String place : places) {
      assertThat(Origins.canonical(String.format(place, ""))).as(place).isNotNull();
      for (int c = 0; c <= 0xa0; c++) {
        if (c <= 0x20 || c >= 0x7f && c <= 0x9f || c == 0xa0) {
          assertThat(Origins.canonical(String.format(place, (char) c))).as("%s U+%04X", place, c).isNull();
        }
      }
    }
    assertThat(Origins.canonical("https://a.example:80")).isEqualTo("https://a.example:80");
  }

  @Test
  void origins_lengthCap_isInclusive() {
    String longest = "https://" + "a".repeat(Origins.MAX_LENGTH - "https://".length() - ".example".length())
        + ".example";
    assertThat(longest).hasSize(Origins.MAX_LENGTH);
    assertThat(Origins.canonical(longest)).isEqualTo(longest);
    assertThat(Origins.canonical("https://a" + longest.substring("https://".length()))).isNull();
  }
}
