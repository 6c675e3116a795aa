package io.github.wsauth.lifetime;

import java.util.Objects;

/**
 * What was revoked: every token and connection of a subject, or one token.
 *
 * <p>The token id is what identifies a token without being it: the hex SHA-256 of an opaque token (as
 * {@link io.github.wsauth.store.TokenHash#toHex()} gives it) or a JWT's {@code jti}. {@link #toString()} shows
 * neither the subject nor the token id.
 *
 * @param kind whether {@code id} is a subject or a token id
 * @param id the subject (never empty, at most {@value #MAX_SUBJECT_LENGTH} characters: every subject an issuer
 *     accepts) or the token id (never empty, at most {@value #MAX_ID_LENGTH} characters)
 */
public record Revocation(Kind kind, String id) {

  /** The longest token id a revocation carries. */
  public static final int MAX_ID_LENGTH = 255;
  /** The longest subject a revocation carries: the longest subject the issuers accept. */
  public static final int MAX_SUBJECT_LENGTH = io.github.wsauth.internal.Subjects.MAX_SUBJECT_LENGTH;

  /** What a revocation names. */
  public enum Kind {
    /** Every token and live connection of one subject. */
    SUBJECT,
    /** One token (opaque token hash or JWT {@code jti}) and the live connections it authenticated. */
    TOKEN
  }

  /**
   * Validates.
   *
   * @throws IllegalArgumentException if a subject is empty or longer than {@value #MAX_SUBJECT_LENGTH} characters,
   *     or a token id is empty or longer than {@value #MAX_ID_LENGTH}
   */
  public Revocation {
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(id, "id must not be null");
    if (kind == Kind.SUBJECT && (id.isEmpty() || id.length() > MAX_SUBJECT_LENGTH)) {
      throw new IllegalArgumentException("subject must be 1 to " + MAX_SUBJECT_LENGTH + " characters");
    }
    if (kind == Kind.TOKEN && (id.isEmpty() || id.length() > MAX_ID_LENGTH)) {
      throw new IllegalArgumentException("id must be 1 to " + MAX_ID_LENGTH + " characters");
    }
  }

  /** Revokes every token and live connection of {@code subject}. */
  public static Revocation subject(String subject) {
    return new Revocation(Kind.SUBJECT, subject);
  }

  /** Revokes one token, named by its token id (opaque token hash or JWT {@code jti}). */
  public static Revocation token(String tokenId) {
    return new Revocation(Kind.TOKEN, tokenId);
  }

  /** Shows the kind only: subjects and token ids stay out of logs. */
  @Override
  public String toString() {
    return "Revocation[" + kind + "]";
  }
}
