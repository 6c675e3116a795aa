package io.github.wsauth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Set;

/**
 * Ed25519 (JWS {@code EdDSA}) on the JDK's own implementation (Java 15+, RFC 8032), so core needs no Google
 * Tink: Nimbus's {@code Ed25519Signer}/{@code Ed25519Verifier} and {@code OctetKeyPairGenerator} require Tink on
 * the class path. Keys stay Nimbus {@link OctetKeyPair}s; only the raw 32-byte values cross over, wrapped in
 * the fixed DER prefixes of RFC 8410.
 */
final class Ed25519Jdk {
  static final int KEY_BYTES = 32;
  static final int SIGNATURE_BYTES = 64;
  /** SubjectPublicKeyInfo for id-Ed25519 (1.3.101.112), followed by the 32-byte public key. */
  private static final byte[] X509_PREFIX = hex("302a300506032b6570032100");
  /** PKCS#8 PrivateKeyInfo v1 for id-Ed25519, followed by the 32-byte seed. */
  private static final byte[] PKCS8_PREFIX = hex("302e020100300506032b657004220420");

  private Ed25519Jdk() {}

  static PublicKey publicKey(OctetKeyPair okp) throws JOSEException {
    requireEd25519(okp);
    return (PublicKey) toKey(okp.getDecodedX(), X509_PREFIX, false);
  }

  static PrivateKey privateKey(OctetKeyPair okp) throws JOSEException {
    requireEd25519(okp);
    if (!okp.isPrivate()) {
      throw new JOSEException("the Ed25519 key has no private part (d)");
    }
    return (PrivateKey) toKey(okp.getDecodedD(), PKCS8_PREFIX, true);
  }

  /** Converts a JDK Ed25519 key pair to an {@link OctetKeyPair} with the given key id. */
  static OctetKeyPair fromJdk(KeyPair pair, String keyId) {
    byte[] spki = pair.getPublic().getEncoded();
    byte[] pkcs8 = pair.getPrivate().getEncoded();
    if (spki == null || spki.length != X509_PREFIX.length + KEY_BYTES
        || !Arrays.equals(spki, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
    // PKCS#8 v1 only: a v2 encoding (with the public key attached) is longer and rejected here.
    if (pkcs8 == null || pkcs8.length != PKCS8_PREFIX.length + KEY_BYTES
        || !Arrays.equals(pkcs8, 0, PKCS8_PREFIX.length, PKCS8_PREFIX, 0, PKCS8_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 private key in PKCS#8 v1 encoding");
    }
    byte[] x = Arrays.copyOfRange(spki, X509_PREFIX.length, spki.length);
    byte[] d = Arrays.copyOfRange(pkcs8, PKCS8_PREFIX.length, pkcs8.length);
    return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x))
        .d(Base64URL.encode(d))
        .keyID(keyId)
        .build();
  }

  private static void requireEd25519(OctetKeyPair okp) throws JOSEException {
    if (!Curve.Ed25519.equals(okp.getCurve())) {
      throw new JOSEException("only Ed25519 octet key pairs are supported");
    }
  }

  private static java.security.Key toKey(byte[] raw, byte[] prefix, boolean isPrivate) throws JOSEException {
    if (raw == null || raw.length != KEY_BYTES) {
      throw new JOSEException("an Ed25519 key is " + KEY_BYTES + " bytes");
    }
    byte[] der = Arrays.copyOf(prefix, prefix.length + KEY_BYTES);
    System.arraycopy(raw, 0, der, prefix.length, KEY_BYTES);
    try {
      KeyFactory kf = KeyFactory.getInstance("Ed25519");
      return isPrivate ? kf.generatePrivate(new PKCS8EncodedKeySpec(der)) : kf.generatePublic(
          new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new JOSEException("Ed25519 is not available on this JDK", e);
    }
  }

  private static byte[] hex(String s) {
    byte[] out = new byte[s.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  /** Signs {@code EdDSA} JWS objects with a JDK Ed25519 private key; thread-safe. */
  static final class Signer implements JWSSigner {
    private final PrivateKey key;
    private final JCAContext jca = new JCAContext();

    Signer(OctetKeyPair okp) throws JOSEException {
      this.key = privateKey(okp);
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
      if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
        throw new JOSEException("this signer only signs EdDSA");
      }
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(signingInput);
        return Base64URL.encode(s.sign());
      } catch (GeneralSecurityException e) {
        throw new JOSEException("Ed25519 signing failed", e);
      }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }
  }

  /**
   * Verifies {@code EdDSA} signatures with a JDK Ed25519 public key; thread-safe. The JDK rejects a non-canonical
   * {@code S} (RFC 8032 §5.1.7), so an Ed25519 signature cannot be re-encoded into another valid one.
   */
  static final class Verifier implements JWSVerifier {
    private final PublicKey key;
    private final JCAContext jca = new JCAContext();

    Verifier(PublicKey key) {
      this.key = key;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
      if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) || header.getCriticalParams() != null) {
        return false;
      }
      byte[] sig = signature.decode();
      if (sig.length != SIGNATURE_BYTES) {
        return false;
      }
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(key);
        s.update(signingInput);
        return s.verify(sig);
      } catch (GeneralSecurityException e) {
        // A malformed signature value (e.g. a point that does not decode) is a failed verification, not an error.
        return false;
      }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }
  }
}
