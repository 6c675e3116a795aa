package io.github.wsauth;

import io.github.wsauth.store.TokenStore;

/**
 * Verifies a token string and tells who it belongs to, or why it is rejected.
 *
 * <pre>{@code
 * TokenVerifier verifier = TokenVerifier.opaque(store, TokenPolicy.defaults());
 * Verification v = verifier.verify(token);   // Verified(identity) or Rejected(reason)
 * }</pre>
 *
 * <p>Contract: hostile input is a {@link Verification.Rejected}, never an exception; an infrastructure failure
 * throws {@link io.github.wsauth.store.TokenStoreUnavailableException} and consumes nothing. Implementations are
 * thread-safe and never put the token into a log line or an exception message.
 */
@FunctionalInterface
public interface TokenVerifier {

  /** Verifies {@code token}. */
  Verification verify(String token);

  /**
   * Verifies opaque tokens issued by {@link TokenIssuer#opaque}: a shape check, then one SHA-256 and one atomic
   * {@link TokenStore#consume}. Use the same policy as the issuer.
   */
  static TokenVerifier opaque(TokenStore store, TokenPolicy policy) {
    return new OpaqueTokenVerifier(store, policy);
  }

  /**
   * Dispatches by token shape so one server accepts opaque tokens and JWTs: a token with dots (JWS compact
   * serialisation) goes to {@code jwt}, any other to {@code opaque}.
   */
  static TokenVerifier byShape(TokenVerifier opaque, TokenVerifier jwt) {
    return new ShapeDispatchingVerifier(opaque, jwt);
  }
}
