package io.github.wsauth.jwt;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import io.github.wsauth.RejectionReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Our claims verifier, instead of Nimbus's {@code DefaultJWTClaimsVerifier}: that one has its own clock
 * ({@code new Date()}), a default skew of 60 seconds, accepts a token without {@code exp} unless told otherwise
 * and never looks at {@code iat}. Here every rule is explicit and time comes from the injected {@link Clock}.
 *
 * <ul>
 *   <li>{@code iss} equals the expected issuer exactly;</li>
 *   <li>{@code aud} holds the expected audience and nothing else (a string, or an array of that one value);</li>
 *   <li>{@code sub}, {@code jti}, {@code iat}, {@code exp} are present ({@code sub} and {@code jti} non-empty);
 *       {@code sub} at most 256 characters, as the issuers accept and a subject revocation takes, {@code jti} at
 *       most 255, as a token revocation takes;</li>
 *   <li>{@code iat <= now + skew}; {@code nbf}, if present, {@code <= now + skew};</li>
 *   <li>{@code now <= exp + skew}, else {@link RejectionReason#EXPIRED};</li>
 *   <li>{@code iat < exp} and {@code exp - iat <= lifetime}.</li>
 * </ul>
 * Thread-safe. Runs only after the signature verified (Nimbus's processor order).
 */
final class ClockClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {
  static final int MAX_JTI_LENGTH = io.github.wsauth.lifetime.Revocation.MAX_ID_LENGTH; // a jti is a revocable token id
  /** A longer subject could never be revoked ({@code Revoker.revokeSubject}), and no issuer of ours writes one. */
  static final int MAX_SUBJECT_LENGTH = io.github.wsauth.lifetime.Revocation.MAX_SUBJECT_LENGTH;

  private final String issuer;
  private final String audience;
  private final Duration maxLifetime;
  private final Duration skew;
  private final Clock clock;

  ClockClaimsVerifier(String issuer, String audience, Duration maxLifetime, Duration skew, Clock clock) {
    this.issuer = Objects.requireNonNull(issuer);
    this.audience = Objects.requireNonNull(audience);
    this.maxLifetime = Objects.requireNonNull(maxLifetime);
    this.skew = Objects.requireNonNull(skew);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    check(claims.getClaim("iss"), claims.getClaim("aud"), claims.getClaim("sub"), claims.getClaim("jti"),
        instant(claims, "iat"), instant(claims, "exp"), instant(claims, "nbf"));
  }

  /**
   * The checks on claim values as Nimbus's claims set holds them (so {@link LeanJws} and the Nimbus path share
   * them): {@code iss}, {@code sub}, {@code jti} a {@code String} or null, {@code aud} null, a {@code String} or a
   * {@code List}; times null or an instant.
   */
  void check(Object iss, Object aud, Object sub, Object jti, Instant iat, Instant exp, Instant nbf)
      throws JwtRejection {
    if (!issuer.equals(stringClaim(iss, "iss"))) {
      throw invalid("issuer mismatch");
    }
    if (!isOnlyAudience(aud)) {
      throw invalid("audience mismatch");
    }
    String subject = stringClaim(sub, "sub");
    if (subject == null || subject.isEmpty()) {
      throw invalid("missing subject");
    }
    if (subject.length() > MAX_SUBJECT_LENGTH) {
      throw invalid("oversized subject");
    }
    String id = stringClaim(jti, "jti");
    if (id == null || id.isEmpty() || id.length() > MAX_JTI_LENGTH) {
      throw invalid("missing or oversized jti");
    }
    if (iat == null || exp == null) {
      throw invalid("missing iat or exp");
    }
    Instant now = clock.instant();
    Instant latest = now.plus(skew);
    if (iat.isAfter(latest)) {
      throw invalid("issued in the future");
    }
    if (nbf != null && nbf.isAfter(latest)) {
      throw invalid("not yet valid");
    }
    if (!exp.isAfter(iat)) {
      throw invalid("expires before it was issued");
    }
    if (Duration.between(iat, exp).compareTo(maxLifetime) > 0) {
      throw invalid("lifetime above the maximum");
    }
    if (now.isAfter(exp.plus(skew))) {
      throw new JwtRejection(RejectionReason.EXPIRED, "expired");
    }
  }

  private static JwtRejection invalid(String why) {
    return new JwtRejection(RejectionReason.INVALID_CLAIMS, why);
  }

  /** A claim that must be a JSON string if present; a number or object where a string belongs is invalid. */
  private static String stringClaim(Object v, String name) throws JwtRejection {
    if (v == null) {
      return null;
    }
    if (!(v instanceof String)) {
      throw invalid(name + " is not a string");
    }
    return (String) v;
  }

  /** Whether {@code aud} is the expected audience alone: that string, or a list holding just that string. */
  private boolean isOnlyAudience(Object v) throws JwtRejection {
    if (v == null) {
      return false;
    }
    if (!(v instanceof String) && !(v instanceof List)) {
      throw invalid("aud is neither a string nor an array");
    }
    List<?> values = v instanceof List ? (List<?>) v : List.of(v);
    for (Object o : values) {
      if (!(o instanceof String)) {
        throw invalid("aud holds a non-string");
      }
    }
    return values.size() == 1 && audience.equals(values.get(0));
  }

  /** NumericDate claims: JWTClaimsSet.parse already turned them into dates, or failed on a non-number. */
  private static Instant instant(JWTClaimsSet claims, String name) throws JwtRejection {
    Object v = claims.getClaim(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Date)) {
      throw invalid(name + " is not a NumericDate");
    }
    return ((Date) v).toInstant();
  }
}
