package io.github.wsauth.jakarta;

import java.util.List;
import java.util.Map;

/**
 * Thrown from {@code modifyHandshake} when a handshake is rejected on a container that offers the configurator no
 * way to answer with a status (a servlet container without {@link WsAuthFilter} in front of its upgrade). The
 * container then fails the upgrade with its own error status and never creates the endpoint: the connection is
 * refused, but without a proper 401. Install {@link WsAuthFilter} to get real 400/401/403/503 answers.
 *
 * <p>The message holds the public reason only, never a credential.
 */
public final class HandshakeRejectedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient String reason;
  private final transient List<String> challenges;
  private final transient Map<String, String> headers;

  HandshakeRejectedException(int status, String reason) {
    this(status, reason, List.of(), Map.of());
  }

  HandshakeRejectedException(int status, String reason, List<String> challenges, Map<String, String> headers) {
    super("WebSocket handshake rejected (" + status + "): " + reason, null, false, false);
    this.status = status;
    this.reason = reason;
    this.challenges = List.copyOf(challenges);
    this.headers = Map.copyOf(headers);
  }

  /** The public reason (for {@link WsAuthFilter}'s answer). */
  String reason() {
    return reason;
  }

  /** The {@code WWW-Authenticate} challenges of the answer. */
  List<String> challenges() {
    return challenges == null ? List.of() : challenges;
  }

  /** Other headers of the answer, e.g. {@code Sec-WebSocket-Version: 13} with a 426. */
  Map<String, String> headers() {
    return headers == null ? Map.of() : headers;
  }

  /** The HTTP status wsauth decided on (the container may have sent another one). */
  public int status() {
    return status;
  }
}
