package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PercentDecodingTest {

  private static String decode(String s) {
    return PercentDecoding.decodeFormComponent(s, 0, s.length());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "abc|abc", "a+b|a b", "%41|A", "%4a%4A|JJ", "%e2%82%ac|\u20ac", "caf%C3%A9|caf\u00e9", "%2B%25|+%",
      "%41\u007f|A\u007f", "\u007f|\u007f", "''|''"})
  void decodeFormComponent_wellFormed(String input, String expected) {
    assertThat(decode(input)).isEqualTo(expected);
  }

  /**
   * Malformed input is rejected, never repaired; in particular a {@code %} followed by digits that are not ASCII
   * (Arabic-Indic U+0664, fullwidth U+FF14), which {@code Character.digit} would read as hex (issue 13, item 12).
   */
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"%", "%4", "a%4", "%%", "%ZZ", "%4g", "%g4", "%\u0664\u0661", "%4\u0661", "%\u06641",
      "%\uff14\uff11", "%4\uff11", "%\uff141", "caf\u00e9", "%C3%28", "%FF", "%C3"})
  void decodeFormComponent_malformed_isNull(String input) {
    assertThat(decode(input)).isNull();
  }

  @Test
  void decodeFormComponent_decodesOnlyTheRange() {
    assertThat(PercentDecoding.decodeFormComponent("x=%41+b&y", 2, 7)).isEqualTo("A b");
    assertThat(PercentDecoding.decodeFormComponent("%ZZ%41", 3, 6)).isEqualTo("A");
    assertThat(PercentDecoding.decodeFormComponent("%41%", 0, 3)).isEqualTo("A");
  }

  @Test
  void strictUtf8_buffer_keepsThePosition() {
    ByteBuffer b = ByteBuffer.wrap("caf\u00e9".getBytes(StandardCharsets.UTF_8));
    assertThat(PercentDecoding.strictUtf8(b)).isEqualTo("caf\u00e9");
    assertThat(b.position()).isZero();
    assertThat(PercentDecoding.strictUtf8(ByteBuffer.wrap(new byte[] {(byte) 0xc3, 0x28}))).isNull();
    assertThat(PercentDecoding.strictUtf8(new byte[] {0x41, (byte) 0xc3, (byte) 0xa9}, 1, 2)).isEqualTo("\u00e9");
  }
}
