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
 * {@link JwtTokens#verifier}: length cap, shape and encoding checks, then the verified-token cache if configured,
 * then the lean path ({@link LeanJws}: our own strict reading of header and claims, JDK signature engines kept per
 * key and thread) or, for the few shapes it leaves to it, Nimbus's {@link DefaultJWTProcessor} (type verifier, our
 * key selector and verifier factory, signature, our clock-driven claims verifier); then, for a single-use policy,
 * one atomic {@link TokenStore#saveIfAbsent} of the {@code jti}. With a store, two revocation lookups come first
 * (the {@code jti}'s record, and the subject's "revoked before T" records of the token's {@code iat} hour: one
 * {@code find}, plus one per revocation of that subject in that hour). Both paths give the same decisions and reasons
 * (JwtDifferentialTest). Thread-safe.
 */
final class JwtTokenVerifier implements TokenVerifier {
  /** Domain separation: a jti key can never equal the hash of an opaque token or another issuer's jti. */
  static final String JTI_KEY_PREFIX = "jwt-jti:";

  private final JwtVerifierConfig config;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final LeanJws lean;
  private final VerifiedTokenCache cache;

  JwtTokenVerifier(JwtVerifierConfig config) {
    this.config = config;
    TokenPolicy policy = config.policy();
    AllowListKeySelector selector = new AllowListKeySelector(config.bindings(), config.keySource());
    ClockClaimsVerifier claims = new ClockClaimsVerifier(
        config.issuer(), config.audience(), policy.lifetime(), policy.clockSkew(), config.clock());
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(new TypeVerifier(JwtTokens.TYPE));
    p.setJWSKeySelector(selector);
    p.setJWSVerifierFactory(new BoundVerifierFactory());
    p.setJWTClaimsSetVerifier(claims);
    // No JWE key selector: an encrypted JWT is rejected by the processor.
    this.processor = p;
    this.lean = new LeanJws(selector, claims, config.keySource());
    if (config.verifiedTokenCacheSize() > 0) {
      this.cache = new VerifiedTokenCache(config.verifiedTokenCacheSize(), config.clock());
      config.revocations().ifPresent(bus -> bus.subscribe(cache));
      // A revocation made by a Revoker of this process drops entries before it returns, whatever the bus.
      RevocationKeys.onRevokedHere(cache);
    } else {
      this.cache = null;
    }
  }

  /** What a verified token yields, before the single-use record: from either path. */
  record Accepted(String issuer, String jti, String subject, Map<String, String> attributes, Instant expiresAt,
      Instant issuedAt, Instant notBefore) {
    /** The earliest instant (ms) at which the time checks pass: {@code max(iat, nbf) - skew}. */
    long validFromMillis(java.time.Duration skew) {
      Instant from = notBefore != null && notBefore.isAfter(issuedAt) ? notBefore : issuedAt;
      return from.minus(skew).toEpochMilli();
    }
  }

  @Override
  public Verification verify(String token) {
    // The cap comes first: nothing below reads more than the length of an oversized token.
    if (token == null || token.length() > config.maxTokenLength()) {
      return reject(RejectionReason.MALFORMED);
    }
    if (cache == null) {
      return decide(token, 0);
    }
    // A hit is a token that passed every check below before, and whose time checks still pass now.
    Verification hit = cache.get(token);
    return hit != null ? hit : decide(token, cache.generation());
  }

  private Verification decide(String token, long generation) {
    if (!TokenShape.isCompactJwsOfJsonObjects(token)) {
      return reject(RejectionReason.MALFORMED);
    }
    Object outcome = lean.verify(token);
    if (outcome == LeanJws.DEFER) {
      outcome = nimbus(token);
    }
    return finish(token, outcome, generation);
  }

  /** The decision of the Nimbus path alone, after the cap and the shape check; for the differential test. */
  Verification verifyWithNimbus(String token) {
    if (token == null || token.length() > config.maxTokenLength()
        || !TokenShape.isCompactJwsOfJsonObjects(token)) {
      return reject(RejectionReason.MALFORMED);
    }
    return finish(token, nimbus(token), 0);
  }

  /** The decision of the lean path alone (null if it defers), after the cap and the shape check; for tests. */
  Verification verifyLeanOnly(String token) {
    if (token == null || token.length() > config.maxTokenLength()
        || !TokenShape.isCompactJwsOfJsonObjects(token)) {
      return reject(RejectionReason.MALFORMED);
    }
    Object outcome = lean.verify(token);
    return outcome == LeanJws.DEFER ? null : finish(token, outcome, 0);
  }

  private Verification finish(String token, Object outcome, long generation) {
    if (outcome instanceof Verification) {
      return (Verification) outcome;
    }
    Accepted a = (Accepted) outcome;
    if (config.store().isPresent() && (isRevoked(a.jti()) || isSubjectRevoked(a))) {
      // Revoked by id (Revoker#revokeToken): refused until the revocation record expires, single-use or not.
      // Revoked by subject (Revoker#revokeSubject at T): refused if iat <= T. Checked before the single-use
      // record, so a refused or failed check consumes nothing.
      return reject(RejectionReason.REVOKED);
    }
    if (config.policy().singleUse() && !recordOnce(a)) {
      return reject(RejectionReason.ALREADY_USED);
    }
    Verification.Verified verified = Verification.verified(
        Identity.of(a.subject(), a.attributes(), a.expiresAt()).withTokenId(a.jti()));
    if (cache != null) {
      cache.put(token, generation, verified, a.jti(), a.validFromMillis(config.policy().clockSkew()),
          a.expiresAt().toEpochMilli());
    }
    return verified;
  }

  /** The Nimbus path: an {@link Accepted} or a rejected {@link Verification}. */
  private Object nimbus(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (JwtRejection e) {
      return rejection(e);
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
    return new Accepted(claims.getIssuer(), claims.getJWTID(), claims.getSubject(), attributes(claims),
        claims.getExpirationTime().toInstant(), claims.getIssueTime().toInstant(),
        claims.getNotBeforeTime() == null ? null : claims.getNotBeforeTime().toInstant());
  }

  /** Our claims and type stages say which check failed (e.g. "audience mismatch"), never a value from the token. */
  static Verification rejection(JwtRejection e) {
    return e.reason() == RejectionReason.INVALID_CLAIMS
        ? Verification.rejected(e.reason(), e.reason().description() + " (" + e.getMessage() + ")")
        : reject(e.reason());
  }

  /**
   * Records the {@code jti} until {@code exp + skew}, after the signature and claims verified. Keyed on the
   * {@code jti}, not the token string, so a re-encoded signature of the same token maps to the same entry.
   */
  private boolean recordOnce(Accepted a) {
    TokenStore store = config.store().orElseThrow();
    TokenHash key = TokenHash.of(JTI_KEY_PREFIX + a.issuer() + ":" + a.jti());
    StoredToken entry = new StoredToken(
        key, a.subject(), Map.of(), a.expiresAt().plus(config.policy().clockSkew()), true);
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

  private boolean isSubjectRevoked(Accepted a) {
    try {
      return RevocationKeys.isSubjectRevoked(config.store().orElseThrow(), a.subject(), a.issuedAt());
    } catch (TokenStoreUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new TokenStoreUnavailableException("token store failed while looking up a subject revocation", e);
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
