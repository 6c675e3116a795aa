package io.github.wsauth.benchmarks;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;

/**
 * The other Java JWT libraries, each configured to check what wsauth checks: the signature with the one allowed
 * algorithm; {@code iss} exactly; {@code aud}; {@code sub}, {@code jti}, {@code iat}, {@code exp} present; time
 * claims with a 5 s skew. Plus the floor: the JDK's MAC or signature verification of the same signing input and
 * signature, with an engine initialised once (no decoding, no parsing). Not thread-safe (the floor's engine).
 */
final class JwtPeers {
  private static final int SKEW_SECONDS = 5;

  final String token;
  private final String alg;
  private final JWTVerifier javaJwt;
  private final JwtParser jjwt;
  private final JwtConsumer jose4j;
  private final Mac mac;
  private final Signature signature;
  private final byte[] signingInput;
  private final byte[] signatureBytes;

  JwtPeers(JwtFixtures f, String token) throws GeneralSecurityException {
    this.token = token;
    this.alg = f.algorithm.getName();
    java.security.Key key;
    String jose4jAlg;
    switch (alg) {
      case "HS256":
        key = new SecretKeySpec(((OctetSequenceKey) f.signingKey).toByteArray(), "HmacSHA256");
        jose4jAlg = AlgorithmIdentifiers.HMAC_SHA256;
        break;
      case "ES256":
        key = toEc(f);
        jose4jAlg = AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
        break;
      default:
        key = ed25519((OctetKeyPair) f.verificationKeys.getKeys().get(0));
        jose4jAlg = AlgorithmIdentifiers.EDDSA;
        break;
    }
    // java-jwt has no EdDSA.
    Algorithm a = alg.equals("HS256") ? Algorithm.HMAC256(key.getEncoded())
        : alg.equals("ES256") ? Algorithm.ECDSA256((ECPublicKey) key, null) : null;
    this.javaJwt = a == null ? null : JWT.require(a)
        .withIssuer(JwtFixtures.ISSUER)
        .withAudience(JwtFixtures.AUDIENCE)
        .withClaimPresence("sub")
        .withClaimPresence("jti")
        .withClaimPresence("iat")
        .withClaimPresence("exp")
        .acceptLeeway(SKEW_SECONDS)
        .build();
    var jjwtBuilder = Jwts.parser()
        .requireIssuer(JwtFixtures.ISSUER)
        .requireAudience(JwtFixtures.AUDIENCE)
        .clockSkewSeconds(SKEW_SECONDS);
    // The one allowed algorithm: jjwt otherwise accepts any algorithm the key fits.
    jjwtBuilder.sig().clear().add(alg.equals("HS256") ? Jwts.SIG.HS256 : alg.equals("ES256") ? Jwts.SIG.ES256
        : Jwts.SIG.EdDSA).and();
    this.jjwt = (key instanceof SecretKey ? jjwtBuilder.verifyWith((SecretKey) key)
        : jjwtBuilder.verifyWith((PublicKey) key)).build();
    this.jose4j = new JwtConsumerBuilder()
        .setRequireExpirationTime()
        .setRequireIssuedAt()
        .setRequireSubject()
        .setRequireJwtId()
        .setAllowedClockSkewInSeconds(SKEW_SECONDS)
        .setExpectedIssuer(JwtFixtures.ISSUER)
        .setExpectedAudience(JwtFixtures.AUDIENCE)
        .setVerificationKey(alg.equals("HS256") ? new HmacKey(key.getEncoded()) : key)
        .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, jose4jAlg)
        .build();

    int dot = token.lastIndexOf('.');
    this.signingInput = token.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
    this.signatureBytes = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    if (key instanceof SecretKey) {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      signature = null;
    } else {
      mac = null;
      signature = Signature.getInstance(alg.equals("ES256") ? "SHA256withECDSAinP1363Format" : "Ed25519");
      signature.initVerify((PublicKey) key);
    }
  }

  boolean hasJavaJwt() {
    return javaJwt != null;
  }

  Object javaJwt() {
    return javaJwt.verify(token);
  }

  Object jjwt() {
    Claims c = jjwt.parseSignedClaims(token).getPayload();
    // jjwt has no "required claim" setting: the same presence checks by hand.
    if (c.getSubject() == null || c.getId() == null || c.getIssuedAt() == null || c.getExpiration() == null) {
      throw new IllegalStateException("missing claim");
    }
    return c;
  }

  Object jose4j() throws Exception {
    JwtClaims c = jose4j.processToClaims(token);
    return c;
  }

  /** The floor: the JDK's verification of the same bytes, nothing else. */
  boolean jdk() throws GeneralSecurityException {
    if (mac != null) {
      mac.update(signingInput);
      return MessageDigest.isEqual(mac.doFinal(), signatureBytes);
    }
    signature.update(signingInput);
    return signature.verify(signatureBytes);
  }

  /** Fails unless every peer and the floor accept the token. */
  void check() throws Exception {
    if (hasJavaJwt()) {
      javaJwt();
    }
    jjwt();
    jose4j();
    if (!jdk()) {
      throw new IllegalStateException("the JDK floor rejects the benchmark token");
    }
  }

  private static PublicKey toEc(JwtFixtures f) throws GeneralSecurityException {
    try {
      return ((ECKey) f.verificationKeys.getKeys().get(0)).toECPublicKey();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new GeneralSecurityException(e);
    }
  }

  static PublicKey ed25519(OctetKeyPair okp) throws GeneralSecurityException {
    byte[] prefix = HexFormat.of().parseHex("302a300506032b6570032100"); // RFC 8410 SubjectPublicKeyInfo
    byte[] x = okp.getDecodedX();
    byte[] der = new byte[prefix.length + x.length];
    System.arraycopy(prefix, 0, der, 0, prefix.length);
    System.arraycopy(x, 0, der, prefix.length, x.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
  }
}
