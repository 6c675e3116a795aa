package io.github.wsauth.jwt;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.Optional;

/**
 * The four supported algorithms, each bound to exactly one key type (and curve): the token's {@code alg} only
 * ever selects among keys of the type its algorithm was configured for, never the other way round (RFC 8725
 * §3.1, the HS256-with-a-public-key confusion).
 */
enum KeyBinding {
  HS256(JWSAlgorithm.HS256, KeyType.OCT, null, 256),
  ES256(JWSAlgorithm.ES256, KeyType.EC, Curve.P_256, 256),
  EDDSA(JWSAlgorithm.EdDSA, KeyType.OKP, Curve.Ed25519, 256),
  RS256(JWSAlgorithm.RS256, KeyType.RSA, null, 2048);

  final JWSAlgorithm algorithm;
  final KeyType keyType;
  final Curve curve;
  final int minKeyBits;

  KeyBinding(JWSAlgorithm algorithm, KeyType keyType, Curve curve, int minKeyBits) {
    this.algorithm = algorithm;
    this.keyType = keyType;
    this.curve = curve;
    this.minKeyBits = minKeyBits;
  }

  /** The binding of an algorithm, compared exactly (so {@code none}, {@code None} or {@code hs256} have none). */
  static Optional<KeyBinding> of(JWSAlgorithm algorithm) {
    if (algorithm == null) {
      return Optional.empty();
    }
    for (KeyBinding b : values()) {
      if (b.algorithm.getName().equals(algorithm.getName())) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /** The binding of an algorithm name, compared exactly; null if none. */
  static KeyBinding named(String algorithm) {
    for (KeyBinding b : values()) {
      if (b.algorithm.getName().equals(algorithm)) {
        return b;
      }
    }
    return null;
  }

  /** The binding for a key, from its type and curve. */
  static Optional<KeyBinding> forKey(JWK key) {
    for (KeyBinding b : values()) {
      if (b.fits(key)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code key} has this binding's type, curve and at least its minimum size. */
  boolean fits(JWK key) {
    if (key == null || !keyType.equals(key.getKeyType())) {
      return false;
    }
    if (key instanceof OctetSequenceKey) {
      return this == HS256 && key.size() >= minKeyBits;
    }
    if (key instanceof RSAKey) {
      return this == RS256 && key.size() >= minKeyBits;
    }
    if (key instanceof ECKey) {
      return this == ES256 && curve.equals(((ECKey) key).getCurve());
    }
    if (key instanceof OctetKeyPair) {
      return this == EDDSA && curve.equals(((OctetKeyPair) key).getCurve());
    }
    return false;
  }
}
