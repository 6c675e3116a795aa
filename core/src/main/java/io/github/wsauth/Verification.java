package io.github.wsauth;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link TokenVerifier#verify}: {@link Verified} with an {@link Identity}, or {@link Rejected}
 * with a {@link RejectionReason}. An infrastructure failure is not a verification: it is a {@link
 * io.github.wsauth.store.TokenStoreUnavailableException}.
 */
public sealed interface Verification permits Verification.Verified, Verification.Rejected {

  /** A verified token. */
  static Verified verified(Identity identity) {
    return new Verified(identity);
  }

  /** A rejected token. */
  static Rejected rejected(RejectionReason reason) {
    return new Rejected(reason);
  }

  /** The identity, if verified. */
  default Optional<Identity> verifiedIdentity() {
    return this instanceof Verified v ? Optional.of(v.identity) : Optional.empty();
  }

  /** Whether the token was verified. */
  default boolean isVerified() {
    return this instanceof Verified;
  }

  /**
   * The token is valid.
   *
   * @param identity who it was issued to
   */
  record Verified(Identity identity) implements Verification {
    /** Validates. */
    public Verified {
      Objects.requireNonNull(identity, "identity must not be null");
    }
  }

  /**
   * The token is not acceptable.
   *
   * @param reason why; safe to log and to send
   */
  record Rejected(RejectionReason reason) implements Verification {
    /** Validates. */
    public Rejected {
      Objects.requireNonNull(reason, "reason must not be null");
    }
  }
}
