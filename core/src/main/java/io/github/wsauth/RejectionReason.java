package io.github.wsauth;

/**
 * Why a {@link TokenVerifier} rejected a token. Each reason has a short public description that is safe to send
 * to the client and to log: it never contains the token.
 */
public enum RejectionReason {
  /** The token does not have the expected shape, length or encoding. */
  MALFORMED("malformed token"),
  /** No such token: never issued, or forgotten. */
  UNKNOWN("unknown token"),
  /** The token expired (beyond the allowed clock skew). */
  EXPIRED("token expired"),
  /** A single-use token that was already used. */
  ALREADY_USED("token already used"),
  /** The token was revoked. */
  REVOKED("token revoked"),
  /** The signature does not verify, or the algorithm or key is not acceptable. */
  BAD_SIGNATURE("invalid signature"),
  /** The claims (issuer, audience, type, lifetime, ...) are not acceptable. */
  INVALID_CLAIMS("invalid token claims"),
  /** The credential verified, but does not belong to the user it was presented for (e.g. a Basic username). */
  SUBJECT_MISMATCH("credential does not match the user");

  private final String description;

  RejectionReason(String description) {
    this.description = description;
  }

  /** A short public description without any secret. */
  public String description() {
    return description;
  }
}
