package io.github.wsauth;

/**
 * Where in a WebSocket connection a {@link Credential} travelled.
 *
 * <p>The source decides how a failure is answered: credentials read from the upgrade request are rejected
 * with an HTTP status before the upgrade, a first-message credential with a close code after it.
 */
public enum CredentialSource {
  /** The first text message after the handshake; the safest place for browsers. */
  FIRST_MESSAGE,
  /** A query parameter such as {@code ?token=}; URLs leak into logs, so use single-use, short-lived tokens. */
  QUERY_PARAMETER,
  /** A cookie on the WebSocket server's own origin, always paired with an {@link OriginPolicy}. */
  COOKIE,
  /** {@code Authorization: Basic} (RFC 7617), e.g. from {@code ws://user:token@host/}; the password is the token. */
  AUTHORIZATION_BASIC,
  /** {@code Authorization: Bearer} (RFC 6750), for programs: browsers cannot set it on a WebSocket. */
  AUTHORIZATION_BEARER,
  /** An entry such as {@code authorization.bearer.<token>} in {@code Sec-WebSocket-Protocol}. */
  SUBPROTOCOL
}
