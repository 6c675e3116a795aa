package io.github.wsauth;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One authentication outcome, for metrics and audit. It never holds a secret.
 *
 * @param stage the handshake or the first message
 * @param accepted whether the connection was authenticated
 * @param source where the credential travelled, if one was found
 * @param subject who was authenticated (accepted events only)
 * @param reason a short public reason ("accepted" for success)
 * @param code the HTTP status (handshake) or close code (first message) sent on rejection, 101 or 0 on success
 * @param remoteAddress the peer, if known
 */
public record AuthEvent(Stage stage, boolean accepted, Optional<CredentialSource> source, Optional<String> subject,
    String reason, int code, Optional<InetSocketAddress> remoteAddress) {

  /** Validates. */
  public AuthEvent {
    Objects.requireNonNull(stage, "stage must not be null");
    Objects.requireNonNull(source, "source must not be null");
    Objects.requireNonNull(subject, "subject must not be null");
    Objects.requireNonNull(reason, "reason must not be null");
    Objects.requireNonNull(remoteAddress, "remoteAddress must not be null");
  }

  /** Where authentication happened. */
  public enum Stage {
    /** The HTTP upgrade request. */
    HANDSHAKE,
    /** The first WebSocket message. */
    FIRST_MESSAGE
  }
}
