package io.github.wsauth;

import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.TokenHash;
import java.util.Arrays;
import java.util.Objects;

/** {@link TokenVerifier#opaque}: shape check, SHA-256, one atomic consume. */
final class OpaqueTokenVerifier implements TokenVerifier {
  private static final byte[] BASE64URL_VALUE = base64urlValues();

  private final TokenStore store;
  private final TokenPolicy policy;

  OpaqueTokenVerifier(TokenStore store, TokenPolicy policy) {
    this.store = Objects.requireNonNull(store, "store must not be null");
    this.policy = Objects.requireNonNull(policy, "policy must not be null");
  }

  @Override
  public Verification verify(String token) {
    if (token == null || !isOpaqueShape(token)) {
      return Verification.rejected(RejectionReason.MALFORMED);
    }
    TokenHash hash = TokenHash.of(token);
    TokenLookup lookup = store.consume(hash);
    switch (lookup.status()) {
      case VALID:
        StoredToken t = lookup.token().orElseThrow();
        return Verification.verified(
            Identity.of(t.subject(), t.attributes(), t.expiresAt().minus(policy.clockSkew()))
                .withTokenId(hash.toHex()));
      case EXPIRED:
        return Verification.rejected(RejectionReason.EXPIRED);
      case ALREADY_USED:
        return Verification.rejected(RejectionReason.ALREADY_USED);
      case REVOKED:
        return Verification.rejected(RejectionReason.REVOKED);
      default:
        return Verification.rejected(RejectionReason.UNKNOWN);
    }
  }

  /**
   * Exactly 43 base64url characters whose last one leaves the 2 unused bits zero: the one canonical encoding of
   * 256 bits, so no two strings map to the same token bytes.
   */
  static boolean isOpaqueShape(String token) {
    if (token.length() != OpaqueTokenIssuer.TOKEN_LENGTH) {
      return false;
    }
    int last = 0;
    for (int i = 0; i < OpaqueTokenIssuer.TOKEN_LENGTH; i++) {
      char c = token.charAt(i);
      if (c >= BASE64URL_VALUE.length || (last = BASE64URL_VALUE[c]) < 0) {
        return false;
      }
    }
    return (last & 0x3) == 0;
  }

  /** The value of each base64url character, -1 for every other ASCII character. */
  private static byte[] base64urlValues() {
    byte[] values = new byte[128];
    Arrays.fill(values, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      values[alphabet.charAt(i)] = (byte) i;
    }
    return values;
  }

  @Override
  public String toString() {
    return "OpaqueTokenVerifier[" + policy + "]";
  }
}
