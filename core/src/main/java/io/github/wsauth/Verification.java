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

  /** A rejected token, described by its reason's {@link RejectionReason#description()}. */
  static Rejected rejected(RejectionReason reason) {
    return new Rejected(reason);
  }

  /**
   * A rejected token with a more precise public description, e.g. {@code "invalid token claims (audience
   * mismatch)"}: it names the check that failed, never a value from the token.
   *
   * @throws IllegalArgumentException if {@code detail} is empty, longer than {@value Rejected#MAX_DETAIL_LENGTH}
   *     characters or holds a control character
   */
  static Rejected rejected(RejectionReason reason, String detail) {
    return new Rejected(reason, detail);
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
   * The token is not acceptable. Not an answer to send: a {@link HandshakeAuthenticator} turns it into an {@link
   * AuthDecision.Rejected} (HTTP), a {@link FirstMessageAuthenticator} into a {@link FirstMessageResult.Rejected}
   * (close code).
   *
   * @param reason why
   * @param detail a short public description of why, safe to log and to send (it names the failed check, never a
   *     value from the token); by default the reason's {@link RejectionReason#description()}
   */
  record Rejected(RejectionReason reason, String detail) implements Verification {
    /** Longest detail accepted: it may end up in a close frame's reason (at most 123 bytes). */
    public static final int MAX_DETAIL_LENGTH = 100;

    /** Validates. */
    public Rejected {
      Objects.requireNonNull(reason, "reason must not be null");
      Objects.requireNonNull(detail, "detail must not be null");
      if (detail.isEmpty() || detail.length() > MAX_DETAIL_LENGTH) {
        throw new IllegalArgumentException("detail must be 1 to " + MAX_DETAIL_LENGTH + " characters");
      }
      for (int i = 0; i < detail.length(); i++) {
        char c = detail.charAt(i);
        if (c < 0x20 || c >= 0x7f) {
          throw new IllegalArgumentException("detail must be printable ASCII");
        }
      }
    }

    /** Rejected with the reason's own description. */
    public Rejected(RejectionReason reason) {
      this(reason, Objects.requireNonNull(reason, "reason must not be null").description());
    }
  }
}
