package io.github.wsauth;

import java.util.Objects;

/** {@link TokenVerifier#opaque}: shape check, SHA-256, one atomic consume. */
final class OpaqueTokenVerifier implements TokenVerifier {
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
    TokenLookup lookup = store.consume(TokenHash.of(token));
    switch (lookup.status()) {
      case VALID:
        StoredToken t = lookup.token().orElseThrow();
        return Verification.verified(
            Identity.of(t.subject(), t.attributes(), t.expiresAt().minus(policy.clockSkew())));
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
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
        return false;
      }
    }
    return (base64urlValue(token.charAt(token.length() - 1)) & 0x3) == 0;
  }

  private static int base64urlValue(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
      return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
      return c - '0' + 52;
    }
    return c == '-' ? 62 : 63;
  }

  @Override
  public String toString() {
    return "OpaqueTokenVerifier[" + policy + "]";
  }
}
