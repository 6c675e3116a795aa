package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
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
}
