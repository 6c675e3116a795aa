package io.github.wsauth.internal;

import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.TokenStore;

/**
 * Where a revoked token id that is not an opaque token in the store (a JWT {@code jti}) is recorded, so the JWT
 * verifier refuses that token until the record expires. Internal: written by {@code Revoker}, read by wsauth-jwt.
 */
public final class RevocationKeys {
  /** Domain separation: a revocation record can never equal an opaque token's hash or a single-use jti record. */
  static final String PREFIX = "wsauth-revoked-token-id:";

  private RevocationKeys() {}

  /** The store key of the revocation record of {@code tokenId}. */
  public static TokenHash of(String tokenId) {
    return TokenHash.of(PREFIX + tokenId);
  }

  /**
   * Whether {@code store} holds a live revocation record of {@code tokenId}.
   *
   * @throws io.github.wsauth.store.TokenStoreUnavailableException if the store failed
   */
  public static boolean isRevoked(TokenStore store, String tokenId) {
    TokenLookup.Status status = store.find(of(tokenId)).status();
    return status != TokenLookup.Status.NOT_FOUND && status != TokenLookup.Status.EXPIRED;
  }
}
