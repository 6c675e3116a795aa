package io.github.wsauth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link HandshakeAuthenticator} decided about an upgrade request: {@link Accepted} with an {@link
 * Identity}, or {@link Rejected} with the HTTP answer to send instead of the upgrade.
 */
public sealed interface AuthDecision permits AuthDecision.Accepted, AuthDecision.Rejected {

  /** Whether the request was accepted. */
  default boolean isAccepted() {
    return this instanceof Accepted;
  }

  /** The identity, if accepted. */
  default Optional<Identity> acceptedIdentity() {
    return this instanceof Accepted a ? Optional.of(a.identity) : Optional.empty();
  }

  /**
   * Upgrade the connection: who connected, and the application subprotocol to select, if any. A value class rather
   * than a record so that no {@code Optional} is a component: {@link #subprotocol()} returns one.
   */
  final class Accepted implements AuthDecision {
    private final Identity identity;
    private final String subprotocol;

    /**
     * Validates.
     *
     * @param identity who connected
     * @param subprotocol the application subprotocol to select in the handshake response, or null for none; never
     *     a token entry
     */
    public Accepted(Identity identity, String subprotocol) {
      this.identity = Objects.requireNonNull(identity, "identity must not be null");
      this.subprotocol = subprotocol;
    }

    /** Who connected. */
    public Identity identity() {
      return identity;
    }

    /** The application subprotocol to select in the handshake response, if any; never a token entry. */
    public Optional<String> subprotocol() {
      return Optional.ofNullable(subprotocol);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Accepted a && identity.equals(a.identity) && Objects.equals(subprotocol, a.subprotocol);
    }

    @Override
    public int hashCode() {
      return Objects.hash(identity, subprotocol);
    }

    @Override
    public String toString() {
      return "Accepted[identity=" + identity + ", subprotocol=" + subprotocol() + "]";
    }
  }

  /**
   * Refuse the upgrade with an HTTP answer. This is the only rejection that becomes an HTTP response (before the
   * upgrade); {@link Verification.Rejected} is why a token failed (input to this decision), and {@link
   * FirstMessageResult.Rejected} is the close code after the upgrade.
   *
   * @param status 400 (malformed credential), 401 (missing or invalid), 403 (origin), or 503 (store failure); the
   *     handshake checks add 405, 426, 414 and 431
   * @param challenges {@code WWW-Authenticate} values to send, one header each (RFC 7617, RFC 6750 §3)
   * @param reason a short public reason for the response body and logs; never contains a secret
   */
  record Rejected(int status, List<String> challenges, String reason) implements AuthDecision {
    /** Validates and copies. */
    public Rejected {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status must be 4xx or 5xx");
      }
      challenges = List.copyOf(challenges);
      Objects.requireNonNull(reason, "reason must not be null");
    }

    /** The complete HTTP answer (status, headers, body) every adapter sends for this rejection. */
    public HttpRejection httpResponse() {
      return HttpRejection.of(status, challenges, reason);
    }
  }
}
