package io.github.wsauth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.List;

/**
 * Keys shared by the JWT tests, generated once per JVM (RSA generation is the slow part, so there is exactly one
 * RSA key pair).
 */
final class TestKeys {
  static final OctetSequenceKey HS = oct("hs-1");
  static final ECKey EC = ec("ec-1");
  static final OctetKeyPair ED = JwtKeys.generateEd25519("ed-1");
  static final RSAKey RSA = rsa("rsa-1");

  private TestKeys() {}

  /** The public (or, for HS256, the shared) verification keys of the four signing keys. */
  static JWKSet verificationKeys() {
    return new JWKSet(List.<JWK>of(HS, EC.toPublicJWK(), ED.toPublicJWK(), RSA.toPublicJWK()));
  }

  static OctetSequenceKey oct(String kid) {
    try {
      return new OctetSequenceKeyGenerator(256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static ECKey ec(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
