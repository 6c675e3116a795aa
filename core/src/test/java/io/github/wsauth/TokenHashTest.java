package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class TokenHashTest {

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

  @Test
  void fromBytes_roundTrips_andRejectsWrongLength() {
    TokenHash h = TokenHash.of("round-trip");
    assertThat(TokenHash.fromBytes(h.bytes())).isEqualTo(h);
    assertThatThrownBy(() -> TokenHash.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_showsNeitherTokenNorFullHash() {
    TokenHash h = TokenHash.of("secret-token-value");
    assertThat(h.toString()).doesNotContain("secret").doesNotContain(h.toHex());
  }
}
