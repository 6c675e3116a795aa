package io.github.wsauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

class TokenHashTest {

  @Test
  void of_isSha256OfUtf8() throws Exception {
    for (String token : new String[] {"abc", "caf\u00e9", "\ud83d\ude00", "A".repeat(43)}) {
      byte[] expected = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      assertThat(TokenHash.of(token).bytes()).isEqualTo(expected);
      assertThat(TokenHash.of(token).toHex()).isEqualTo(HexFormat.of().formatHex(expected));
    }
    assertThat(TokenHash.of("abc").toHex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void fromBytes_roundTrips() {
    TokenHash h = TokenHash.of("some-token");
    byte[] bytes = h.bytes();
    TokenHash back = TokenHash.fromBytes(bytes);
    assertThat(back).isEqualTo(h).hasSameHashCodeAs(h);
    assertThat(back.bytes()).isEqualTo(bytes);
    bytes[0] ^= 1;
    assertThat(h.bytes()).isNotEqualTo(bytes); // bytes() hands out a copy
    assertThat(TokenHash.fromBytes(bytes)).isNotEqualTo(h);
  }

  @Test
  void fromBytes_rejectsWrongLength() {
    assertThatThrownBy(() -> TokenHash.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a token hash is 32 bytes, got 31");
    assertThatThrownBy(() -> TokenHash.fromBytes(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> TokenHash.of(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void equality_differsForDifferentTokens() {
    assertThat(TokenHash.of("a")).isEqualTo(TokenHash.of("a")).isNotEqualTo(TokenHash.of("b"));
    assertThat(TokenHash.of("a")).isNotEqualTo("a");
  }

  @Test
  void toString_showsShortPrefixNeverToken() {
    String token = "SENTINEL-token-value";
    TokenHash h = TokenHash.of(token);
    assertThat(h.toString()).isEqualTo("TokenHash[" + h.toHex().substring(0, 12) + "\u2026]")
        .doesNotContain(token).doesNotContain(h.toHex());
  }

  @Test
  void of_ascii_isSha256OfTheBytes() {
    // FIPS 180-2, appendix B.1.
    assertThat(TokenHash.of("abc").toHex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void of_nonAscii_hashesUtf8() throws Exception {
    String token = "p\u00e4ss\u20ac\ud83d\ude00";
    byte[] expected = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    assertThat(TokenHash.of(token).bytes()).isEqualTo(expected);
  }

  @Test
  void of_charSequence_equalsString() {
    String token = "Qm9ndXMtdG9rZW4tZm9yLXRlc3RzLW9ubHktMDEyMzQ1";
    assertThat(TokenHash.of(new StringBuilder(token))).isEqualTo(TokenHash.of(token));
  }

  @Test
  void of_repeatedAndInterleaved_isStable() {
    TokenHash a = TokenHash.of("token-a");
    TokenHash.of("token-b");
    assertThat(TokenHash.of("token-a")).isEqualTo(a).hasSameHashCodeAs(a);
    assertThat(TokenHash.of("token-b")).isNotEqualTo(a);
  }

  /** Issue 13, item 12: equality looks at all 32 bytes, not some of them. */
  @Test
  void equals_differsInAnySingleBytePosition() {
    byte[] base = TokenHash.of("pinned").bytes();
    TokenHash h = TokenHash.fromBytes(base);
    for (int i = 0; i < TokenHash.LENGTH; i++) {
      for (int bit = 0; bit < 8; bit += 7) {
        byte[] other = base.clone();
        other[i] ^= (byte) (1 << bit);
        assertThat(TokenHash.fromBytes(other)).as("byte %d, bit %d", i, bit).isNotEqualTo(h);
      }
    }
    assertThat(TokenHash.fromBytes(base.clone())).isEqualTo(h);
    assertThat(h).isNotEqualTo("pinned").isNotEqualTo(null);
  }

  /** The hash code folds both halves of the first eight bytes (map buckets spread on real hashes). */
  @Test
  void hashCode_isTheFirstEightBytesFolded() {
    byte[] bytes = new byte[TokenHash.LENGTH];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (0x11 * (i + 1));
    }
    long h0 = 0x1122334455667788L;
    assertThat(TokenHash.fromBytes(bytes).hashCode()).isEqualTo((int) (h0 ^ (h0 >>> 32)));
  }
}
