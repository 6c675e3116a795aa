package io.github.wsauth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The JDK Ed25519 bridge on its own: the Nimbus path's {@code EdDSA} verifier and signer, and the key conversions.
 * Each refusal is fed an input that is valid in every other respect, so each test fails when its check is removed.
 */
class Ed25519JdkTest {
  private static final byte[] INPUT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJhbGljZSJ9".getBytes(StandardCharsets.US_ASCII);
  private static final JWSHeader EDDSA = new JWSHeader(JWSAlgorithm.EdDSA);
  private static final OctetKeyPair KEY = JwtKeys.generateEd25519("ed-t");

  private static Ed25519Jdk.Verifier verifier(OctetKeyPair key) throws JOSEException {
    return new Ed25519Jdk.Verifier(Ed25519Jdk.publicKey(key));
  }

  private static Base64URL sign(byte[] input) throws JOSEException {
    return new Ed25519Jdk.Signer(KEY).sign(EDDSA, input);
  }

  @Test
  void verifier_acceptsItsOwnKeysSignature_andNothingElse() throws Exception {
    Base64URL signature = sign(INPUT);
    assertThat(signature.decode()).hasSize(Ed25519Jdk.SIGNATURE_BYTES);
    assertThat(verifier(KEY).verify(EDDSA, INPUT, signature)).isTrue();

    byte[] otherInput = INPUT.clone();
    otherInput[otherInput.length - 1] ^= 1;
    assertThat(verifier(KEY).verify(EDDSA, otherInput, signature)).isFalse();
    assertThat(verifier(JwtKeys.generateEd25519("ed-t")).verify(EDDSA, INPUT, signature)).isFalse();
    byte[] flipped = signature.decode();
    flipped[10] ^= 1;
    assertThat(verifier(KEY).verify(EDDSA, INPUT, Base64URL.encode(flipped))).isFalse();
  }

  @Test
  void verifier_validSignatureUnderAnotherAlgorithmHeader_isRefused() throws Exception {
    Base64URL signature = sign(INPUT);
    assertThat(verifier(KEY).verify(new JWSHeader(JWSAlgorithm.ES256), INPUT, signature)).isFalse();
    assertThat(verifier(KEY).verify(new JWSHeader(JWSAlgorithm.HS256), INPUT, signature)).isFalse();
  }

  @Test
  void verifier_validSignatureWithCriticalHeaderParameters_isRefused() throws Exception {
    JWSHeader crit = new JWSHeader.Builder(JWSAlgorithm.EdDSA).criticalParams(Set.of("exp"))
        .customParam("exp", 1).build();
    assertThat(verifier(KEY).verify(crit, INPUT, sign(INPUT))).isFalse();
  }

  @Test
  void verifier_signatureOfAnotherLength_isRefusedBeforeTheJdkSeesIt() throws Exception {
    byte[] signature = sign(INPUT).decode();
    // The JDK would refuse these as well; the length check makes the refusal not depend on it.
    byte[] withTrailingByte = Arrays.copyOf(signature, signature.length + 1);
    assertThat(verifier(KEY).verify(EDDSA, INPUT, Base64URL.encode(withTrailingByte))).isFalse();
    assertThat(verifier(KEY).verify(EDDSA, INPUT, Base64URL.encode(Arrays.copyOf(signature, 63)))).isFalse();
    assertThat(verifier(KEY).verify(EDDSA, INPUT, Base64URL.encode(new byte[0]))).isFalse();
  }

  @Test
  void verifier_lengthCheck_answersFalseWhereTheJdkWouldThrow() throws Exception {
    // A public key the JDK cannot use (a Signature refuses it at initVerify): the length check answers before.
    PublicKey unusable = new PublicKey() {
      @Override public String getAlgorithm() { return "Ed25519"; }
      @Override public String getFormat() { return "X.509"; }
      @Override public byte[] getEncoded() { return new byte[0]; }
    };
    Ed25519Jdk.Verifier v = new Ed25519Jdk.Verifier(unusable);
    assertThat(v.verify(EDDSA, INPUT, Base64URL.encode(new byte[63]))).isFalse();
    // With the right length the JDK's refusal of the key is a failed verification, not an exception.
    assertThat(v.verify(EDDSA, INPUT, sign(INPUT))).isFalse();
  }

  @Test
  void verifier_signatureWhosePointDoesNotDecodeOrWhoseSIsNotCanonical_isFalseNotAnException() throws Exception {
    byte[] signature = sign(INPUT).decode();
    byte[] badPoint = signature.clone();
    Arrays.fill(badPoint, 0, 32, (byte) 0xff);
    assertThat(verifier(KEY).verify(EDDSA, INPUT, Base64URL.encode(badPoint))).isFalse();
    byte[] bigS = signature.clone();
    Arrays.fill(bigS, 32, 64, (byte) 0xff); // S >= L: refused by the JDK (RFC 8032 5.1.7)
    assertThat(verifier(KEY).verify(EDDSA, INPUT, Base64URL.encode(bigS))).isFalse();
  }

  @Test
  void verifierAndSigner_offerEdDsaOnly_withAJcaContext() throws Exception {
    assertThat(verifier(KEY).supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.EdDSA);
    assertThat(verifier(KEY).getJCAContext()).isNotNull();
    assertThat(new Ed25519Jdk.Signer(KEY).supportedJWSAlgorithms()).containsExactly(JWSAlgorithm.EdDSA);
    assertThat(new Ed25519Jdk.Signer(KEY).getJCAContext()).isNotNull();
  }

  @Test
  void signer_refusesToSignUnderAnotherAlgorithm() throws Exception {
    Ed25519Jdk.Signer signer = new Ed25519Jdk.Signer(KEY);
    assertThatThrownBy(() -> signer.sign(new JWSHeader(JWSAlgorithm.ES256), INPUT))
        .isInstanceOf(JOSEException.class).hasMessage("this signer only signs EdDSA");
  }

  @Test
  void signer_signsWhatTheJdkVerifies() throws Exception {
    Signature jdk = Signature.getInstance("Ed25519");
    jdk.initVerify(Ed25519Jdk.publicKey(KEY));
    jdk.update(INPUT);
    assertThat(jdk.verify(sign(INPUT).decode())).isTrue();
  }

  @Test
  void keys_ofAnotherCurve_areRefused() {
    OctetKeyPair x25519 = new OctetKeyPair.Builder(Curve.X25519, KEY.getX()).d(KEY.getD()).keyID("x").build();
    assertThatThrownBy(() -> Ed25519Jdk.publicKey(x25519)).isInstanceOf(JOSEException.class)
        .hasMessage("only Ed25519 octet key pairs are supported");
    assertThatThrownBy(() -> Ed25519Jdk.privateKey(x25519)).isInstanceOf(JOSEException.class)
        .hasMessage("only Ed25519 octet key pairs are supported");
    assertThatThrownBy(() -> new Ed25519Jdk.Signer(x25519)).isInstanceOf(JOSEException.class);
  }

  @Test
  void privateKey_ofAPublicOnlyKey_isRefused() {
    assertThatThrownBy(() -> Ed25519Jdk.privateKey(KEY.toPublicJWK())).isInstanceOf(JOSEException.class)
        .hasMessage("the Ed25519 key has no private part (d)");
  }

  @Test
  void keys_whoseRawValueIsNot32Bytes_areRefused() {
    OctetKeyPair shortX = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(new byte[31])).keyID("s").build();
    assertThatThrownBy(() -> Ed25519Jdk.publicKey(shortX)).isInstanceOf(JOSEException.class)
        .hasMessage("an Ed25519 key is 32 bytes");
    OctetKeyPair longD = new OctetKeyPair.Builder(Curve.Ed25519, KEY.getX()).d(Base64URL.encode(new byte[33]))
        .keyID("l").build();
    assertThatThrownBy(() -> Ed25519Jdk.privateKey(longD)).isInstanceOf(JOSEException.class)
        .hasMessage("an Ed25519 key is 32 bytes");
  }

  @Test
  void keys_convertBothWays_toTheSameBytes() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    OctetKeyPair okp = Ed25519Jdk.fromJdk(pair, "k");
    assertThat(okp.getKeyID()).isEqualTo("k");
    assertThat(okp.getCurve()).isEqualTo(Curve.Ed25519);
    assertThat(Ed25519Jdk.publicKey(okp).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    assertThat(Ed25519Jdk.privateKey(okp).getEncoded()).isEqualTo(pair.getPrivate().getEncoded());
  }

  /** Encodings that differ from a real Ed25519 pair's in exactly one respect. */
  @Test
  void fromJdk_refusesEachEncodingThatIsNotEd25519() throws Exception {
    KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = pair.getPublic().getEncoded();
    byte[] pkcs8 = pair.getPrivate().getEncoded();

    byte[] otherOid = spki.clone();
    otherOid[8] = 0x6e; // id-X25519 (1.3.101.110) instead of id-Ed25519, same length
    byte[] oneMore = Arrays.copyOf(spki, spki.length + 1);
    for (byte[] publicEncoding : new byte[][] {null, otherOid, oneMore, Arrays.copyOf(spki, spki.length - 1)}) {
      KeyPair bad = new KeyPair(publicKey(publicEncoding), pair.getPrivate());
      assertThatThrownBy(() -> Ed25519Jdk.fromJdk(bad, "k")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not an Ed25519 public key");
    }

    byte[] otherPrivateOid = pkcs8.clone();
    otherPrivateOid[11] = 0x6e;
    // PKCS#8 v2 (RFC 8410 OneAsymmetricKey with the public key attached): longer, refused.
    byte[] v2 = HexFormat.of().parseHex("3051020101300506032b657004220420" + HexFormat.of().formatHex(pkcs8, 16, 48)
        + "812100" + HexFormat.of().formatHex(spki, 12, 44));
    for (byte[] privateEncoding : new byte[][] {null, otherPrivateOid, v2, Arrays.copyOf(pkcs8, pkcs8.length - 1)}) {
      KeyPair bad = new KeyPair(pair.getPublic(), privateKey(privateEncoding));
      assertThatThrownBy(() -> Ed25519Jdk.fromJdk(bad, "k")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("not an Ed25519 private key in PKCS#8 v1 encoding");
    }
    // The unchanged encodings, through the same stand-ins, convert.
    assertThat(Ed25519Jdk.fromJdk(new KeyPair(publicKey(spki), privateKey(pkcs8)), "k").getX().decode())
        .isEqualTo(Arrays.copyOfRange(spki, 12, 44));
  }

  private static PublicKey publicKey(byte[] encoded) {
    return new PublicKey() {
      @Override public String getAlgorithm() { return "Ed25519"; }
      @Override public String getFormat() { return "X.509"; }
      @Override public byte[] getEncoded() { return encoded == null ? null : encoded.clone(); }
    };
  }

  private static PrivateKey privateKey(byte[] encoded) {
    return new PrivateKey() {
      @Override public String getAlgorithm() { return "Ed25519"; }
      @Override public String getFormat() { return "PKCS#8"; }
      @Override public byte[] getEncoded() { return encoded == null ? null : encoded.clone(); }
    };
  }
}
