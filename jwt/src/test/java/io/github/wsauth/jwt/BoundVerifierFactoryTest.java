package io.github.wsauth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import java.security.Key;
import org.junit.jupiter.api.Test;

class BoundVerifierFactoryTest {
  private final BoundVerifierFactory factory = new BoundVerifierFactory();
  private final JWSHeader hs256 = new JWSHeader(JWSAlgorithm.HS256);

  @Test
  void sameKeyObject_reusesItsVerifier_anotherKeyObjectGetsItsOwn() throws Exception {
    Key key = TestKeys.HS.toSecretKey();
    JWSVerifier first = factory.createJWSVerifier(hs256, key);
    assertThat(factory.createJWSVerifier(hs256, key)).isSameAs(first);
    Key equalButOther = TestKeys.HS.toSecretKey();
    assertThat(equalButOther).isEqualTo(key).isNotSameAs(key);
    assertThat(factory.createJWSVerifier(hs256, equalButOther)).isNotSameAs(first);
  }

  @Test
  void mismatchedKeyType_getsNoVerifier_evenAfterTheKeyWasCachedForItsOwnAlgorithm() throws Exception {
    Key ec = TestKeys.EC.toECPublicKey();
    JWSVerifier es = factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.ES256), ec);
    assertThat(es.supportedJWSAlgorithms()).contains(JWSAlgorithm.ES256);
    assertThatThrownBy(() -> factory.createJWSVerifier(hs256, ec)).isInstanceOf(JOSEException.class);
    assertThatThrownBy(() -> factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.RS256), ec))
        .isInstanceOf(JOSEException.class);
    assertThatThrownBy(() -> factory.createJWSVerifier(new JWSHeader(JWSAlgorithm.HS512), TestKeys.HS.toSecretKey()))
        .isInstanceOf(JOSEException.class);
  }

  @Test
  void cacheIsBounded_verifiersStillWorkAfterItIsCleared() throws Exception {
    for (int i = 0; i < 200; i++) {
      JWSVerifier v = factory.createJWSVerifier(hs256, TestKeys.oct("k" + i).toSecretKey());
      assertThat(v.supportedJWSAlgorithms()).contains(JWSAlgorithm.HS256);
    }
    assertThat(factory.cachedVerifiers()).isLessThanOrEqualTo(IdentityCache.MAX_ENTRIES);
  }
  @Test
  void supportsExactlyTheFourBoundAlgorithms_withAJcaContext() {
    assertThat(factory.supportedJWSAlgorithms()).containsExactlyInAnyOrder(com.nimbusds.jose.JWSAlgorithm.HS256,
        com.nimbusds.jose.JWSAlgorithm.ES256, com.nimbusds.jose.JWSAlgorithm.EdDSA,
        com.nimbusds.jose.JWSAlgorithm.RS256);
    assertThat(factory.getJCAContext()).isNotNull();
  }
}
