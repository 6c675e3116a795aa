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
 * @param subject the authenticated subject (user id); never empty
 * @param attributes attributes issued with the token; copied, never null
 * @param expiresAt when the credential that authenticated the connection expires
 * @param source where the credential travelled; empty when a verifier is called directly rather than through
 *     an authenticator
 */
public record Identity(String subject, Map<String, String> attributes, Instant expiresAt,
    Optional<CredentialSource> source) implements Principal {

  /** Validates and copies. */
  public Identity {
    Objects.requireNonNull(subject, "subject must not be null");
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    Objects.requireNonNull(source, "source must not be null");
    if (subject.isEmpty()) {
      throw new IllegalArgumentException("subject must not be empty");
    }
    attributes = Map.copyOf(attributes);
  }

  /** An identity without a known source. */
  public static Identity of(String subject, Map<String, String> attributes, Instant expiresAt) {
    return new Identity(subject, attributes, expiresAt, Optional.empty());
  }

  /** This identity, tagged with where its credential travelled. */
  public Identity withSource(CredentialSource source) {
    return new Identity(subject, attributes, expiresAt, Optional.of(source));
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
}
