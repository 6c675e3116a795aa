package io.github.wsauth.jakarta;

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

  HandshakeRejectedException(int status, String reason) {
    super("WebSocket handshake rejected (" + status + "): " + reason, null, false, false);
    this.status = status;
  }

  /** The HTTP status wsauth decided on (the container may have sent another one). */
  public int status() {
    return status;
  }
}
