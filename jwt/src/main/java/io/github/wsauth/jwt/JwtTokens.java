package io.github.wsauth.jwt;

import com.nimbusds.jose.JOSEObjectType;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenVerifier;

/**
 * Entry point for signed, short-lived JWT tokens: {@link #issuer} for the HTTP app, {@link #verifier} for the
 * WebSocket servers. Both implement the core interfaces, so authenticators and adapters need nothing new.
 *
 * <pre>{@code
 * // HTTP app
 * TokenIssuer issuer = JwtTokens.issuer(JwtIssuerConfig.builder()
 *     .signingKey(ecPrivateJwk).issuer("https://app.example.com").audience("wss://ws.example.com").build());
 * String token = issuer.issue("alice").value();
 *
 * // WebSocket server
 * TokenVerifier verifier = JwtTokens.verifier(JwtVerifierConfig.builder()
 *     .issuer("https://app.example.com").audience("wss://ws.example.com")
 *     .algorithms(JWSAlgorithm.ES256).keys(new JWKSet(ecPublicJwk)).store(store).build());
 * }</pre>
 *
 * Every token carries the JOSE header {@code typ: wsauth+jwt} ({@link #TYPE}, the media type {@code
 * application/wsauth+jwt} with its prefix dropped as RFC 7515 §4.1.9 recommends) so a wsauth token cannot be
 * confused with an ID token or access token signed by the same key, and verifiers reject any other type
 * (RFC 8725 §3.11). Stateless and thread-safe.
 */
public final class JwtTokens {
  /** The {@code typ} header value of every wsauth JWT. */
  public static final JOSEObjectType TYPE = new JOSEObjectType("wsauth+jwt");

  private JwtTokens() {}

  /** An issuer signing with the configured key; see {@link JwtIssuerConfig}. */
  public static TokenIssuer issuer(JwtIssuerConfig config) {
    return new JwtTokenIssuer(java.util.Objects.requireNonNull(config, "config must not be null"));
  }

  /**
   * A verifier with its own lean reading of compact JWS tokens and JDK signature engines, which leaves the few
   * shapes no wsauth issuer makes to Nimbus's {@code DefaultJWTProcessor} (both decide alike; docs/JWT.md), and an
   * optional verified-token cache; see {@link JwtVerifierConfig}. Rejections map to
   * {@link io.github.wsauth.RejectionReason}: MALFORMED (length, shape, encoding, JSON), BAD_SIGNATURE
   * (algorithm, key, header, signature, or the key source failing), INVALID_CLAIMS (type, issuer, audience,
   * missing claims, times, lifetime), EXPIRED, ALREADY_USED (single-use {@code jti} seen before). A store failure
   * throws {@link io.github.wsauth.store.TokenStoreUnavailableException}.
   */
  public static TokenVerifier verifier(JwtVerifierConfig config) {
    return new JwtTokenVerifier(java.util.Objects.requireNonNull(config, "config must not be null"));
  }
}
