package io.github.wsauth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.IssuedToken;
import io.github.wsauth.internal.Subjects;
import io.github.wsauth.TokenIssuer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Set;

/**
 * {@link JwtTokens#issuer}: signs {@code wsauth+jwt} tokens with the configured key; thread-safe. Refuses to issue a
 * token longer than {@link CredentialExtractor#MAX_CREDENTIAL_LENGTH} characters, which no credential path (header,
 * query, cookie, subprotocol, first message) accepts.
 */
final class JwtTokenIssuer implements TokenIssuer {
  /** The registered claims of RFC 7519 §4.1: attributes may not use these names. */
  static final Set<String> REGISTERED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");
  static final int JTI_BYTES = 16;
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final JwtIssuerConfig config;
  private final JWSSigner signer;
  private final JWSHeader header;
  private final SecureRandom random = new SecureRandom();

  JwtTokenIssuer(JwtIssuerConfig config) {
    this.config = config;
    try {
      this.signer = signerFor(config.signingKey());
    } catch (JOSEException e) {
      throw new IllegalArgumentException("signing key cannot sign: " + e.getClass().getSimpleName());
    }
    this.header = new JWSHeader.Builder(config.algorithm())
        .type(JwtTokens.TYPE)
        .keyID(config.signingKey().getKeyID())
        .build();
  }

  private static JWSSigner signerFor(JWK key) throws JOSEException {
    if (key instanceof OctetSequenceKey) {
      return new MACSigner((OctetSequenceKey) key);
    }
    if (key instanceof ECKey) {
      return new ECDSASigner((ECKey) key);
    }
    if (key instanceof RSAKey) {
      return new RSASSASigner((RSAKey) key);
    }
    if (key instanceof OctetKeyPair) {
      return new Ed25519Jdk.Signer((OctetKeyPair) key);
    }
    throw new JOSEException("unsupported key type");
  }

  @Override
  public IssuedToken issue(String subject, Map<String, String> attributes) {
    Subjects.validate(subject, attributes);
    for (String name : attributes.keySet()) {
      if (REGISTERED_CLAIMS.contains(name)) {
        throw new IllegalArgumentException("attribute name " + name + " is a registered JWT claim");
      }
    }
    // JWT times are whole seconds (NumericDate); truncate so exp - iat is exactly the lifetime's seconds.
    Instant iat = config.clock().instant().truncatedTo(ChronoUnit.SECONDS);
    Instant exp = iat.plusSeconds(config.policy().lifetime().getSeconds());
    byte[] jti = new byte[JTI_BYTES];
    random.nextBytes(jti);
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
    attributes.forEach(claims::claim);
    claims.issuer(config.issuer())
        .subject(subject)
        .audience(config.audience())
        .issueTime(Date.from(iat))
        .expirationTime(Date.from(exp))
        .jwtID(B64URL.encodeToString(jti));
    SignedJWT jwt = new SignedJWT(header, claims.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing failed: " + e.getClass().getSimpleName(), e);
    }
    String token = jwt.serialize();
    if (token.length() > CredentialExtractor.MAX_CREDENTIAL_LENGTH) {
      // Loud here rather than a "credential too long" at every handshake; the length says nothing secret.
      throw new IllegalArgumentException("the token would be " + token.length() + " characters, over the "
          + CredentialExtractor.MAX_CREDENTIAL_LENGTH + "-character credential cap of every credential path:"
          + " issue fewer or shorter attributes");
    }
    return new IssuedToken(token, subject, exp, config.policy().singleUse());
  }

  @Override
  public String toString() {
    return "JwtTokenIssuer[" + config + "]";
  }
}
