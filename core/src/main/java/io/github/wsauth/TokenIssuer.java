package io.github.wsauth;

import io.github.wsauth.store.TokenStore;
import java.time.Clock;
import java.util.Map;

/**
 * Issues tokens for an authenticated subject, in the HTTP app the user is logged in to.
 *
 * <pre>{@code
 * TokenStore store = TokenStore.inMemory(Clock.systemUTC());
 * TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), Clock.systemUTC());
 * IssuedToken token = issuer.issue("alice");            // single-use, 30 seconds
 * }</pre>
 *
 * Implementations are thread-safe. The JWT issuer lives in {@code io.github.wsauth.jwt}.
 */
public interface TokenIssuer {

  /**
   * Issues a token for {@code subject} with attributes.
   *
   * @param subject the authenticated user; 1 to 256 characters, no control characters or unpaired surrogates
   * @param attributes extra attributes returned in the {@link Identity}; at most 32 entries
   * @throws io.github.wsauth.store.TokenStoreUnavailableException if the token could not be recorded
   */
  IssuedToken issue(String subject, Map<String, String> attributes);

  /** Issues a token for {@code subject} without attributes. */
  default IssuedToken issue(String subject) {
    return issue(subject, Map.of());
  }

  /**
   * Opaque tokens: 256 bits from {@link java.security.SecureRandom}, base64url without padding (43 characters);
   * only their SHA-256 is saved in {@code store}, under {@code policy}.
   */
  static TokenIssuer opaque(TokenStore store, TokenPolicy policy, Clock clock) {
    return new OpaqueTokenIssuer(store, policy, clock);
  }
}
