package io.github.wsauth.jwt;


import static io.github.wsauth.jwt.TestJwts.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.testkit.MutableClock;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configs fail fast, with precise messages, on anything weaker than the documented defaults. */
class JwtConfigTest {
  private final MutableClock clock = MutableClock.at(NOW);

  private static JwtIssuerConfig.Builder issuer() {
    return JwtIssuerConfig.builder().issuer(TestJwts.ISS).audience(TestJwts.AUD);
  }

  @Test
  void issuer_hmacSecretBelow256Bits_isRefused() throws Exception {
    OctetSequenceKey k = new OctetSequenceKeyGenerator(248).keyID("short").generate();
    assertThatThrownBy(() -> issuer().signingKey(k).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256 bits");
  }

  @Test
  void issuer_rsaKeyBelow2048Bits_isRefused() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    var pair = g.generateKeyPair();
    RSAKey k = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
        .keyID("weak").build();
    assertThatThrownBy(() -> issuer().signingKey(k).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2048");
  }

  @Test
  void issuer_ecKeyOnAnotherCurve_isRefused() throws Exception {
    ECKey k = new ECKeyGenerator(Curve.P_384).keyID("p384").generate();
    assertThatThrownBy(() -> issuer().signingKey(k).build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void issuer_publicKeyOnly_isRefused() {
    assertThatThrownBy(() -> issuer().signingKey(TestKeys.EC.toPublicJWK()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private");
  }

  @Test
  void issuer_keyWithoutKid_isRefused() throws Exception {
    ECKey k = new ECKeyGenerator(Curve.P_256).generate();
    assertThatThrownBy(() -> issuer().signingKey(k).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kid");
  }

  @Test
  void issuer_keyWithAnEmptyKid_isRefusedLikeOneWithout() throws Exception {
    ECKey k = new ECKeyGenerator(Curve.P_256).keyID("").generate();
    assertThatThrownBy(() -> issuer().signingKey(k).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("signing key must have a key id (kid)");
    ECKey none = new ECKeyGenerator(Curve.P_256).generate();
    assertThatThrownBy(() -> issuer().signingKey(none).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("signing key must have a key id (kid)");
  }

  @Test
  void issuer_lifetimeOfExactlyOneSecond_isAccepted() {
    TokenPolicy p = TokenPolicy.builder().lifetime(Duration.ofSeconds(1)).build();
    assertThat(issuer().signingKey(TestKeys.HS).policy(p).build().policy().lifetime()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void issuer_keyForEncryptionOrAnotherAlg_isRefused() throws Exception {
    ECKey enc = new ECKeyGenerator(Curve.P_256).keyID("e").keyUse(KeyUse.ENCRYPTION).generate();
    assertThatThrownBy(() -> issuer().signingKey(enc).build()).isInstanceOf(IllegalArgumentException.class);
    ECKey es512 = new ECKeyGenerator(Curve.P_256).keyID("e").algorithm(JWSAlgorithm.ES512).generate();
    assertThatThrownBy(() -> issuer().signingKey(es512).build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void issuer_missingIssuerOrAudience_isRefused() {
    assertThatThrownBy(() -> JwtIssuerConfig.builder().signingKey(TestKeys.HS).audience("a").build())
        .isInstanceOf(NullPointerException.class).hasMessageContaining("issuer");
    assertThatThrownBy(() -> JwtIssuerConfig.builder().signingKey(TestKeys.HS).issuer("i").audience("").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audience");
  }

  @Test
  void issuer_subSecondLifetime_isRefused() {
    TokenPolicy p = TokenPolicy.builder().lifetime(Duration.ofMillis(500)).build();
    assertThatThrownBy(() -> issuer().signingKey(TestKeys.HS).policy(p).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 second");
  }

  private static JwtVerifierConfig.Builder verifier() {
    return JwtVerifierConfig.builder().issuer(TestJwts.ISS).audience(TestJwts.AUD).policy(TestJwts.REUSABLE);
  }

  @Test
  void verifier_withoutAlgorithms_isRefused() {
    assertThatThrownBy(() -> verifier().keys(TestKeys.verificationKeys()).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("algorithms");
  }

  @Test
  void verifier_unsupportedAlgorithm_isRefused() {
    for (JWSAlgorithm alg : new JWSAlgorithm[] {JWSAlgorithm.HS512, JWSAlgorithm.PS256, JWSAlgorithm.ES256K,
        new JWSAlgorithm("none")}) {
      assertThatThrownBy(() -> verifier().algorithms(alg).keys(TestKeys.verificationKeys()).build())
          .as(alg.getName()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unsupported");
    }
  }

  @Test
  void verifier_withoutKeys_isRefused() {
    assertThatThrownBy(() -> verifier().algorithms(JWSAlgorithm.ES256).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keys");
  }

  @Test
  void verifier_keysSetTwice_isRefused() {
    assertThatThrownBy(() -> verifier().keys(TestKeys.verificationKeys()).keys(TestKeys.verificationKeys()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void verifier_localSetWithoutAFittingKey_isRefused() {
    assertThatThrownBy(() -> verifier().algorithms(JWSAlgorithm.RS256).keys(new JWKSet(TestKeys.EC.toPublicJWK()))
        .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no key");
  }

  @Test
  void verifier_privateAsymmetricKeyInTheSet_isRefused_publicPartAccepted() {
    for (JWK key : List.<JWK>of(TestKeys.EC, TestKeys.ED, TestKeys.RSA)) {
      assertThatThrownBy(() -> verifier().keys(new JWKSet(key))).as(key.getKeyType().getValue())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("verification keys must be public (a private " + key.getKeyType() + " key is in the set):"
              + " pass jwkSet.toPublicJWKSet()");
    }
    JWKSet mixed = new JWKSet(List.<JWK>of(TestKeys.HS, TestKeys.EC));
    assertThatThrownBy(() -> verifier().keys(mixed)).isInstanceOf(IllegalArgumentException.class);
    // The explicit public part, and an HMAC secret (a verifier needs it), are accepted.
    assertThat(verifier().algorithms(JWSAlgorithm.ES256, JWSAlgorithm.HS256).keys(mixed.toPublicJWKSet())
        .store(TokenStore.inMemory(clock)).build()).isNotNull();
    assertThat(verifier().algorithms(JWSAlgorithm.HS256).keys(new JWKSet(TestKeys.HS))
        .store(TokenStore.inMemory(clock)).build()).isNotNull();
  }

  @Test
  void verifier_singleUseWithoutStore_isRefused() {
    assertThatThrownBy(() -> verifier().algorithms(JWSAlgorithm.ES256).keys(TestKeys.verificationKeys())
        .policy(TestJwts.SINGLE_USE).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("store");
  }

  @Test
  void verifier_lengthCapOutOfRange_isRefused() {
    for (int cap : new int[] {0, 255, 65537}) {
      assertThatThrownBy(() -> verifier().algorithms(JWSAlgorithm.ES256).keys(TestKeys.verificationKeys())
          .maxTokenLength(cap).build()).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void verifier_lengthCapAtEachEndOfItsRange_isAccepted() {
    for (int cap : new int[] {JwtVerifierConfig.MIN_MAX_TOKEN_LENGTH, JwtVerifierConfig.MAX_MAX_TOKEN_LENGTH}) {
      assertThat(verifier().algorithms(JWSAlgorithm.ES256).keys(TestKeys.verificationKeys()).maxTokenLength(cap)
          .build().maxTokenLength()).isEqualTo(cap);
    }
    assertThatThrownBy(() -> verifier().algorithms(JWSAlgorithm.ES256).keys(TestKeys.verificationKeys())
        .maxTokenLength(JwtVerifierConfig.MAX_MAX_TOKEN_LENGTH + 1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("max token length must be between 256 and 65536");
  }

  @Test
  void verifier_remoteKeys_areAKeySource_andCountAsTheOneSourceOfKeys() throws Exception {
    java.net.URL url = new java.net.URL("https://keys.example.com/jwks.json");
    JwtVerifierConfig c = verifier().algorithms(JWSAlgorithm.ES256).remoteKeys(url).build();
    assertThat(c.keySource()).isNotNull();
    assertThatThrownBy(() -> verifier().keys(TestKeys.verificationKeys()).remoteKeys(url))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set");
    assertThatThrownBy(() -> verifier().remoteKeys(new java.net.URL("http://keys.example.com/jwks.json")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
  }

  @Test
  void verifier_defaults() {
    JwtVerifierConfig c = JwtVerifierConfig.builder().issuer("i").audience("a").algorithms(JWSAlgorithm.ES256)
        .keys(TestKeys.verificationKeys()).store(TokenStore.inMemory(clock)).build();
    assertThat(c.policy()).isEqualTo(TokenPolicy.defaults());
    assertThat(c.maxTokenLength()).isEqualTo(8192);
    assertThat(c.store()).isPresent();
    assertThat(c.algorithms()).containsExactly(JWSAlgorithm.ES256);
  }

  @Test
  void ed25519_fromAJdkKeyPair_roundTrips() throws Exception {
    var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    var okp = JwtKeys.ed25519(pair, "ed-x");
    assertThat(okp.getKeyID()).isEqualTo("ed-x");
    assertThat(Ed25519Jdk.publicKey(okp).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    var rsa = KeyPairGenerator.getInstance("EC").generateKeyPair();
    assertThatThrownBy(() -> JwtKeys.ed25519(rsa, "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
