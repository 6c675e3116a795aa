package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void loggableMessage_masksTheSecret_flattensControls_capsTheLength() {
    assertThat(Secrets.loggableMessage(new IllegalStateException("db down for tok; tok again"), "tok"))
        .isEqualTo("db down for [redacted]; [redacted] again");
    assertThat(Secrets.loggableMessage(new IllegalStateException("a\r\nb\u0085c\u2028d\u2029e\u007ff"), "x"))
        .isEqualTo("a  b c d e f");
    assertThat(Secrets.loggableMessage(new IllegalStateException("tok"), "")).as("an empty secret masks nothing")
        .isEqualTo("tok");
    assertThat(Secrets.loggableMessage(new IllegalStateException("tok"), null)).isEqualTo("tok");
    assertThat(Secrets.loggableMessage(new IllegalStateException(), "tok")).isEqualTo("java.lang.IllegalStateException");
    assertThat(Secrets.loggableMessage(new IllegalStateException(""), "tok")).isEqualTo("java.lang.IllegalStateException");
    String max = "m".repeat(Secrets.MAX_LOGGED_MESSAGE);
    assertThat(Secrets.loggableMessage(new IllegalStateException(max), "tok")).isEqualTo(max);
    assertThat(Secrets.loggableMessage(new IllegalStateException(max + "!"), "tok")).isEqualTo(max + "…");
    String split = "m".repeat(Secrets.MAX_LOGGED_MESSAGE - 1) + "\uD83D\uDE00";
    assertThat(Secrets.loggableMessage(new IllegalStateException(split), "tok")).as("never half a surrogate pair")
        .isEqualTo("m".repeat(Secrets.MAX_LOGGED_MESSAGE - 1) + "…");
  }

  @Test
  void constantTimeEquals() {
    assertThat(Secrets.constantTimeEquals("abc", "abc")).isTrue();
    assertThat(Secrets.constantTimeEquals("abc", "abd")).isFalse();
    assertThat(Secrets.constantTimeEquals("abc", "abcd")).isFalse();
    assertThat(Secrets.constantTimeEquals(null, null)).isTrue();
    assertThat(Secrets.constantTimeEquals("a", null)).isFalse();
  }

  @Test
  void httpTokenAndB64token() {
    assertThat(Secrets.isHttpToken("authorization.bearer.abc-_~!#$%&'*+^`|")).isTrue();
    assertThat(Secrets.isHttpToken("")).isFalse();
    assertThat(Secrets.isHttpToken("a b")).isFalse();
    assertThat(Secrets.isHttpToken("a=b")).isFalse();
    assertThat(Secrets.isB64token("aZ09-._~+/==")).isTrue();
    assertThat(Secrets.isB64token("==")).isFalse();
    assertThat(Secrets.isB64token("a=b")).isFalse();
    assertThat(Secrets.isB64token("")).isFalse();
  }

  @Test
  void controls() {
    assertThat(Secrets.hasControl("a\u0000")).isTrue();
    assertThat(Secrets.hasControl("a\u007f")).isTrue();
    assertThat(Secrets.hasControl("a\u009f")).isTrue();
    assertThat(Secrets.hasControl("a\u00a0\u00e9 ")).isFalse();
  }

  /** The {@code c < 128} guards of the table lookups, at and around the table's end (issue 13, item 12). */
  @Test
  void tableLookups_atTheEdgesOfAscii() {
    assertThat(Secrets.isTchar('~')).isTrue(); // 126
    assertThat(Secrets.isTchar((char) 127)).isFalse();
    assertThat(Secrets.isTchar((char) 128)).isFalse();
    assertThat(Secrets.isTchar((char) 255)).isFalse();
    assertThat(Secrets.isTchar((char) 256)).isFalse();
    assertThat(Secrets.isHttpToken("a\u0080")).isFalse();
    assertThat(Secrets.isB64token("a~")).isTrue();
    for (char c : new char[] {127, 128, 255, 256}) {
      assertThat(Secrets.isB64token("a" + c)).as("U+%04X", (int) c).isFalse();
      assertThat(Secrets.isB64token(c + "a")).as("U+%04X first", (int) c).isFalse();
    }
  }

  /** C0, DEL and C1 (U+0080 to U+009F) are controls; the characters just outside are not. */
  @Test
  void isControl_atEveryBoundary() {
    assertThat(Secrets.isControl(0x00)).isTrue();
    assertThat(Secrets.isControl(0x1f)).isTrue();
    assertThat(Secrets.isControl(0x20)).isFalse();
    assertThat(Secrets.isControl(0x7e)).isFalse();
    assertThat(Secrets.isControl(0x7f)).isTrue();
    assertThat(Secrets.isControl(0x80)).isTrue();
    assertThat(Secrets.isControl(0x9f)).isTrue();
    assertThat(Secrets.isControl(0xa0)).isFalse();
    assertThat(Secrets.hasControl("a\u0080b")).isTrue();
    assertThat(Secrets.hasControl("a\u009fb")).isTrue();
    assertThat(Secrets.hasControl("a\u001fb")).isTrue();
    assertThat(Secrets.hasControl("a b~\u00a0")).isFalse();
  }
}
