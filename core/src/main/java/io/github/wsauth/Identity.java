package io.github.wsauth;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is on the other end of an authenticated connection. Also a {@link Principal} whose name is the subject,
 * so servlet and WebSocket APIs can return it from {@code getUserPrincipal()}.
 *
 * <p>An immutable value (equal when every accessor is equal). Its optional parts, the credential source and the
 * token id, are returned as {@link Optional}s and never stored as such. {@link #toString()} shows neither the
 * subject nor the token id.
 */
public final class Identity implements Principal {
  private final String subject;
  private final Map<String, String> attributes;
  private final Instant expiresAt;
  private final CredentialSource source;
  private final String tokenId;

  private Identity(String subject, Map<String, String> attributes, Instant expiresAt, CredentialSource source,
      String tokenId) {
    Objects.requireNonNull(subject, "subject must not be null");
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    if (subject.isEmpty()) {
      throw new IllegalArgumentException("subject must not be empty");
    }
    this.subject = subject;
    this.attributes = Map.copyOf(attributes);
    this.expiresAt = expiresAt;
    this.source = source;
    this.tokenId = tokenId;
  }

  /**
   * An identity without a known source or token id.
   *
   * @param subject the authenticated subject (user id); never empty
   * @param attributes attributes issued with the token; copied
   * @param expiresAt when the credential that authenticated the connection expires
   */
  public static Identity of(String subject, Map<String, String> attributes, Instant expiresAt) {
    return new Identity(subject, attributes, expiresAt, null, null);
  }

  /** This identity, tagged with where its credential travelled. */
  public Identity withSource(CredentialSource source) {
    Objects.requireNonNull(source, "source must not be null");
    return new Identity(subject, attributes, expiresAt, source, tokenId);
  }

  /**
   * This identity, tagged with the id of the token that authenticated it: the hex SHA-256 of an opaque token
   * ({@link io.github.wsauth.store.TokenHash#toHex()}) or a JWT's {@code jti}. Verifiers set it; it names the
   * token for {@link io.github.wsauth.lifetime.Revocation#token revocation} without being it.
   *
   * @throws IllegalArgumentException if empty or longer than
   *     {@value io.github.wsauth.lifetime.Revocation#MAX_ID_LENGTH} characters
   */
  public Identity withTokenId(String tokenId) {
    Objects.requireNonNull(tokenId, "tokenId must not be null");
    if (tokenId.isEmpty() || tokenId.length() > io.github.wsauth.lifetime.Revocation.MAX_ID_LENGTH) {
      throw new IllegalArgumentException("tokenId must be 1 to "
          + io.github.wsauth.lifetime.Revocation.MAX_ID_LENGTH + " characters");
    }
    return new Identity(subject, attributes, expiresAt, source, tokenId);
  }

  /** The authenticated subject (user id); never empty. */
  public String subject() {
    return subject;
  }

  /** Attributes issued with the token; never null. */
  public Map<String, String> attributes() {
    return attributes;
  }

  /** When the credential that authenticated the connection expires. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /**
   * Where the credential travelled; empty when a verifier is called directly rather than through an
   * authenticator.
   */
  public Optional<CredentialSource> source() {
    return Optional.ofNullable(source);
  }

  /** The id of the token that authenticated this identity (see {@link #withTokenId}); empty if unknown. */
  public Optional<String> tokenId() {
    return Optional.ofNullable(tokenId);
  }

  /** One attribute, if present. */
  public Optional<String> attribute(String name) {
    return Optional.ofNullable(attributes.get(name));
  }

  /** Whether the credential has expired at {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return now.isAfter(expiresAt);
  }

  /** The subject, as {@link Principal} requires. */
  @Override
  public String getName() {
    return subject;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Identity other && subject.equals(other.subject) && attributes.equals(other.attributes)
        && expiresAt.equals(other.expiresAt) && Objects.equals(source, other.source)
        && Objects.equals(tokenId, other.tokenId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(subject, attributes, expiresAt, source, tokenId);
  }

  /** Shows the source and expiry only: the subject, attributes and token id stay out of logs. */
  @Override
  public String toString() {
    return "Identity[source=" + (source == null ? "-" : source.name()) + ", expiresAt=" + expiresAt + "]";
  }
}
