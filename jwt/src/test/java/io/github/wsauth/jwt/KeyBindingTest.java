package io.github.wsauth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

/** Which key each algorithm may use: exact names, and the key's type, curve and size. */
class KeyBindingTest {

  @Test
  void of_noAlgorithm_orAnotherSpelling_hasNoBinding() {
    assertThat(KeyBinding.of(null)).isEmpty();
    assertThat(KeyBinding.of(new JWSAlgorithm("hs256"))).isEmpty();
    assertThat(KeyBinding.of(JWSAlgorithm.HS256)).contains(KeyBinding.HS256);
    assertThat(KeyBinding.of(JWSAlgorithm.EdDSA)).contains(KeyBinding.EDDSA);
  }

  @Test
  void fits_noKey_isFalse() {
    for (KeyBinding b : KeyBinding.values()) {
      assertThat(b.fits(null)).as(b.name()).isFalse();
    }
  }

  @Test
  void fits_anOctetKeyPairOnAnotherCurve_isFalse() {
    OctetKeyPair x25519 = new OctetKeyPair.Builder(Curve.X25519, Base64URL.encode(new byte[32])).keyID("x").build();
    assertThat(KeyBinding.EDDSA.fits(x25519)).isFalse();
    assertThat(KeyBinding.forKey(x25519)).isEmpty();
    assertThat(KeyBinding.EDDSA.fits(TestKeys.ED)).isTrue();
    assertThat(KeyBinding.HS256.fits(TestKeys.ED)).isFalse();
    assertThat(KeyBinding.forKey(TestKeys.EC)).contains(KeyBinding.ES256);
  }
}
