package io.github.wsauth.jakarta;

import java.util.List;

import io.github.wsauth.AuthDecision;

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
  private final transient AuthDecision.Rejected rejected;

  HandshakeRejectedException(AuthDecision.Rejected rejected) {
    super("WebSocket handshake rejected (" + rejected.status() + "): " + rejected.reason(), null, false, false);
    this.status = rejected.status();
    this.rejected = rejected;
  }

  /** The refusal, rendered by {@link WsAuthFilter} as {@link AuthDecision.Rejected#httpResponse()}. */
  AuthDecision.Rejected rejected() {
    return rejected == null ? new AuthDecision.Rejected(status, List.of(), "handshake rejected") : rejected;
  }

  /** The HTTP status wsauth decided on (the container may have sent another one). */
  public int status() {
    return status;
  }
}
