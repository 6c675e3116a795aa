package io.github.wsauth.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Selects verification keys for a JWS header, allowing only:
 * <ul>
 *   <li>a header with no parameters other than {@code alg}, {@code typ} and {@code kid}: no {@code crit}, and no
 *       {@code jwk}, {@code jku}, {@code x5u}, {@code x5c} (keys are never taken from, or fetched for, the token:
 *       RFC 8725 §3.10), no {@code b64}, {@code cty} or {@code zip};</li>
 *   <li>an {@code alg} in the configured allow-list, compared exactly;</li>
 *   <li>a {@code kid}, matched against keys of the one type (and curve, and minimum size) bound to that
 *       {@code alg}, whose {@code use} is {@code sig} or absent, whose {@code alg} is that algorithm or absent,
 *       and which are not revoked.</li>
 * </ul>
 * Anything else selects no key, which Nimbus turns into a rejection. Thread-safe if the key source is.
 */
final class AllowListKeySelector implements JWSKeySelector<SecurityContext> {
  static final Set<String> ALLOWED_HEADER_PARAMS = Set.of("alg", "typ", "kid");

  private final Set<KeyBinding> allowed;
  private final JWKSource<SecurityContext> keySource;
  /**
   * Java keys converted from the key source's JWK objects (JWKs are immutable): converting decodes the key, and
   * for EC and RSA builds it through a {@code KeyFactory}, on every verification otherwise.
   */
  private final IdentityCache<Key> converted = new IdentityCache<>();

  AllowListKeySelector(Set<KeyBinding> allowed, JWKSource<SecurityContext> keySource) {
    this.allowed = Set.copyOf(allowed);
    this.keySource = keySource;
  }

  @Override
  public List<? extends Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
    if (!ALLOWED_HEADER_PARAMS.containsAll(header.getIncludedParams())) {
      return List.of();
    }
    Optional<KeyBinding> binding = KeyBinding.of(header.getAlgorithm());
    String kid = header.getKeyID();
    if (binding.isEmpty() || !allowed.contains(binding.get()) || kid == null || kid.isEmpty()) {
      return List.of();
    }
    return keys(binding.get(), kid, context);
  }

  /** Whether {@code binding} is in the allow-list. */
  boolean allows(KeyBinding binding) {
    return allowed.contains(binding);
  }

  /**
   * The verification keys for {@code kid} among the keys of {@code b}'s type (and curve, and minimum size), whose
   * {@code use} is {@code sig} or absent, whose {@code alg} is {@code b}'s or absent, and which are not revoked.
   * The caller has checked the header, the allow-list and that {@code kid} is not empty.
   */
  List<Key> keys(KeyBinding b, String kid, SecurityContext context) throws KeySourceException {
    JWKMatcher.Builder matcher = new JWKMatcher.Builder()
        .keyType(b.keyType)
        .keyID(kid)
        .keyUses(KeyUse.SIGNATURE, null)
        .algorithms(b.algorithm, null)
        .nonRevokedOnly(true);
    if (b.curve != null) {
      matcher.curve(b.curve);
    }
    List<JWK> jwks = keySource.get(new JWKSelector(matcher.build()), context);
    List<Key> keys = new ArrayList<>(jwks.size());
    for (JWK jwk : jwks) {
      // The matcher already filtered by type; fits() re-checks type, curve and size against the binding.
      if (b.fits(jwk)) {
        verificationKey(b, jwk).ifPresent(keys::add);
      }
    }
    return keys;
  }

  private Optional<Key> verificationKey(KeyBinding b, JWK jwk) {
    Key key = converted.get(jwk, b);
    if (key != null) {
      return Optional.of(key);
    }
    Optional<Key> fresh = toVerificationKey(b, jwk);
    fresh.ifPresent(k -> converted.put(jwk, b, k));
    return fresh;
  }

  private static Optional<Key> toVerificationKey(KeyBinding b, JWK jwk) {
    try {
      switch (b) {
        case HS256:
          return Optional.of(((OctetSequenceKey) jwk).toSecretKey());
        case ES256:
          return Optional.of(((ECKey) jwk).toECPublicKey());
        case RS256:
          return Optional.of(((RSAKey) jwk).toRSAPublicKey());
        case EDDSA:
          return Optional.of(Ed25519Jdk.publicKey((OctetKeyPair) jwk));
        default:
          return Optional.empty();
      }
    } catch (JOSEException | RuntimeException e) {
      // A key in the set that does not convert (bad point, wrong length) is skipped, not trusted.
      return Optional.empty();
    }
  }
}
