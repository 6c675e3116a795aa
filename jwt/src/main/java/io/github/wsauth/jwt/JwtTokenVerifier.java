package io.github.wsauth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.wsauth.Identity;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.TokenStoreUnavailableException;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.internal.RevocationKeys;
import io.github.wsauth.Verification;
import java.text.ParseException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link JwtTokens#verifier}: length cap, shape and encoding checks, then Nimbus's {@link DefaultJWTProcessor}
 * (type verifier, then our key selector and verifier factory, signature, then our clock-driven claims verifier),
 * then, for a single-use policy, one atomic {@link TokenStore#saveIfAbsent} of the {@code jti}. Thread-safe.
 */
final class JwtTokenVerifier implements TokenVerifier {
  /** Domain separation: a jti key can never equal the hash of an opaque token or another issuer's jti. */
  static final String JTI_KEY_PREFIX = "jwt-jti:";

  private final JwtVerifierConfig config;
  private final DefaultJWTProcessor<SecurityContext> processor;

  JwtTokenVerifier(JwtVerifierConfig config) {
    this.config = config;
    TokenPolicy policy = config.policy();
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(new TypeVerifier(JwtTokens.TYPE));
    p.setJWSKeySelector(new AllowListKeySelector(config.bindings(), config.keySource()));
    p.setJWSVerifierFactory(new BoundVerifierFactory());
    p.setJWTClaimsSetVerifier(new ClockClaimsVerifier(
        config.issuer(), config.audience(), policy.lifetime(), policy.clockSkew(), config.clock()));
    // No JWE key selector: an encrypted JWT is rejected by the processor.
    this.processor = p;
  }

  @Override
  public Verification verify(String token) {
    // The cap comes first: nothing below reads more than the length of an oversized token.
    if (token == null || token.length() > config.maxTokenLength()) {
      return reject(RejectionReason.MALFORMED);
    }
    if (!TokenShape.isCompactJwsOfJsonObjects(token)) {
      return reject(RejectionReason.MALFORMED);
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (JwtRejection e) {
      // Our claims and type stages say which check failed (e.g. "audience mismatch"), never a value from the token.
      return e.reason() == RejectionReason.INVALID_CLAIMS
          ? Verification.rejected(e.reason(), e.reason().description() + " (" + e.getMessage() + ")")
          : reject(e.reason());
    } catch (ParseException e) {
      return reject(RejectionReason.MALFORMED);
    } catch (BadJWSException e) {
      return reject(RejectionReason.BAD_SIGNATURE);
    } catch (BadJWTException e) {
      // Thrown by the processor itself only when the payload is not a JSON claims set.
      return reject(RejectionReason.MALFORMED);
    } catch (BadJOSEException e) {
      // No key for this alg/kid/header, an unsecured (alg: none) or encrypted JWT.
      return reject(RejectionReason.BAD_SIGNATURE);
    } catch (JOSEException e) {
      // Includes KeySourceException: the JWK Set could not be fetched or the fetch was rate-limited. Without a
      // key nothing verifies, and a rate-limited flood of made-up kids must be a rejection, not a 503.
      return reject(RejectionReason.BAD_SIGNATURE);
    } catch (RuntimeException e) {
      // Hostile input must never escape as an exception (a parser bug would otherwise become a 500).
      return reject(RejectionReason.MALFORMED);
    }
    String subject = claims.getSubject();
    Instant expiresAt = claims.getExpirationTime().toInstant();
    String jti = claims.getJWTID();
    if (config.store().isPresent() && isRevoked(jti)) {
      // Revoked by id (Revoker#revokeToken): refused until the revocation record expires, single-use or not.
      return reject(RejectionReason.REVOKED);
    }
    if (config.policy().singleUse() && !recordOnce(claims, subject, expiresAt)) {
      return reject(RejectionReason.ALREADY_USED);
    }
    return Verification.verified(Identity.of(subject, attributes(claims), expiresAt).withTokenId(jti));
  }

  /**
   * Records the {@code jti} until {@code exp + skew}, after the signature and claims verified. Keyed on the
   * {@code jti}, not the token string, so a re-encoded signature of the same token maps to the same entry.
   */
  private boolean recordOnce(JWTClaimsSet claims, String subject, Instant expiresAt) {
    TokenStore store = config.store().orElseThrow();
    TokenHash key = TokenHash.of(JTI_KEY_PREFIX + claims.getIssuer() + ":" + claims.getJWTID());
    StoredToken entry = new StoredToken(
        key, subject, Map.of(), expiresAt.plus(config.policy().clockSkew()), true);
    try {
      return store.saveIfAbsent(entry);
    } catch (TokenStoreUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      // Fail closed, and as the infrastructure failure it is (503 / 1011), not as a rejection.
      throw new TokenStoreUnavailableException("token store failed while recording a JWT id", e);
    }
  }

  private boolean isRevoked(String jti) {
    try {
      return RevocationKeys.isRevoked(config.store().orElseThrow(), jti);
    } catch (TokenStoreUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new TokenStoreUnavailableException("token store failed while looking up a JWT id", e);
    }
  }

  /** The string-valued claims other than the registered ones; other custom claims are not attributes. */
  private static Map<String, String> attributes(JWTClaimsSet claims) {
    Map<String, String> out = null; // most tokens carry none: no map then
    for (Map.Entry<String, Object> claim : claims.getClaims().entrySet()) {
      if (claim.getValue() instanceof String value && !JwtTokenIssuer.REGISTERED_CLAIMS.contains(claim.getKey())) {
        if (out == null) {
          out = new HashMap<>();
        }
        out.put(claim.getKey(), value);
      }
    }
    return out == null ? Map.of() : out;
  }

  private static Verification reject(RejectionReason reason) {
    return Verification.rejected(reason);
  }

  @Override
  public String toString() {
    return "JwtTokenVerifier[" + config + "]";
  }

  /**
   * Nimbus's {@link DefaultJOSEObjectTypeVerifier} requiring our type ({@code wsauth+jwt} or {@code
   * application/wsauth+jwt}, case-insensitive as media types are; absent is not accepted), with its
   * rejection tagged INVALID_CLAIMS so it is not mistaken for a key problem.
   */
  static final class TypeVerifier implements JOSEObjectTypeVerifier<SecurityContext> {
    private final DefaultJOSEObjectTypeVerifier<SecurityContext> delegate;

    TypeVerifier(JOSEObjectType type) {
      // RFC 7515 §4.1.9: "application/" may be dropped from typ, so both spellings name the same media type.
      this.delegate = new DefaultJOSEObjectTypeVerifier<>(type, new JOSEObjectType("application/" + type.getType()));
    }

    @Override
    public void verify(JOSEObjectType type, SecurityContext context) throws BadJOSEException {
      try {
        delegate.verify(type, context);
      } catch (BadJOSEException e) {
        throw new JwtRejection(RejectionReason.INVALID_CLAIMS, "unexpected typ");
      }
    }
  }
}
