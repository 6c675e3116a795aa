package io.github.wsauth;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * One authentication outcome, for metrics and audit. It never holds a secret.
 *
 * <p>An immutable value (equal when every part is equal). It was a record until 0.x; the accessors kept their
 * names and their {@code Optional} results, so listeners compile unchanged, but the optional parts are now stored
 * as plain values and the constructor takes {@code null} for "absent" rather than an {@code Optional}.
 */
public final class AuthEvent {
  private final Stage stage;
  private final boolean accepted;
  private final CredentialSource source;
  private final String subject;
  private final String reason;
  private final int code;
  private final InetSocketAddress remoteAddress;

  /**
   * Creates an event.
   *
   * @param stage the handshake or the first message
   * @param accepted whether the connection was authenticated
   * @param source where the credential travelled, or {@code null} if none was found
   * @param subject who was authenticated (accepted events only), or {@code null}
   * @param reason a short public reason ("accepted" for success)
   * @param code the HTTP status (handshake) or close code (first message) sent on rejection, 101 or 0 on success
   * @param remoteAddress the peer, or {@code null} if unknown
   */
  public AuthEvent(Stage stage, boolean accepted, CredentialSource source, String subject, String reason, int code,
      InetSocketAddress remoteAddress) {
    this.stage = Objects.requireNonNull(stage, "stage must not be null");
    this.accepted = accepted;
    this.source = source;
    this.subject = subject;
    this.reason = Objects.requireNonNull(reason, "reason must not be null");
    this.code = code;
    this.remoteAddress = remoteAddress;
  }

  /**
   * Where authentication happened.
   *
   * @return the handshake or the first message
   */
  public Stage stage() {
    return stage;
  }

  /**
   * Whether the connection was authenticated.
   *
   * @return {@code true} for an accepted connection
   */
  public boolean accepted() {
    return accepted;
  }

  /**
   * Where the credential travelled.
   *
   * @return the credential's source, empty if none was found
   */
  public Optional<CredentialSource> source() {
    return Optional.ofNullable(source);
  }

  /**
   * Who was authenticated.
   *
   * @return the subject of an accepted event, empty otherwise
   */
  public Optional<String> subject() {
    return Optional.ofNullable(subject);
  }

  /**
   * The short public reason.
   *
   * @return "accepted" for success, otherwise why the connection was refused
   */
  public String reason() {
    return reason;
  }

  /**
   * The HTTP status (handshake) or close code (first message) sent on rejection.
   *
   * @return the code, 101 or 0 on success
   */
  public int code() {
    return code;
  }

  /**
   * The peer.
   *
   * @return the remote address, empty if unknown
   */
  public Optional<InetSocketAddress> remoteAddress() {
    return Optional.ofNullable(remoteAddress);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthEvent e && stage == e.stage && accepted == e.accepted && source == e.source
        && Objects.equals(subject, e.subject) && reason.equals(e.reason) && code == e.code
        && Objects.equals(remoteAddress, e.remoteAddress);
  }

  @Override
  public int hashCode() {
    return Objects.hash(stage, accepted, source, subject, reason, code, remoteAddress);
  }

  @Override
  public String toString() {
    return "AuthEvent[stage=" + stage + ", accepted=" + accepted + ", source=" + source() + ", subject=" + subject()
        + ", reason=" + reason + ", code=" + code + ", remoteAddress=" + remoteAddress() + "]";
  }

  /** Where authentication happened. */
  public enum Stage {
    /** The HTTP upgrade request. */
    HANDSHAKE,
    /** The first WebSocket message. */
    FIRST_MESSAGE
  }
}
