package io.github.wsauth.store;

/**
 * The token store failed: a database is down, a connection timed out, the store is full. This is not a
 * rejection of the client's credential, and the operation consumed nothing.
 *
 * <p>Adapters answer it with HTTP 503 before the upgrade and close code 1011 after it. Messages never contain a
 * token or a password.
 */
public class TokenStoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that must not contain a secret. */
  public TokenStoreUnavailableException(String message) {
    super(message);
  }

  /** Creates the exception with a message that must not contain a secret, and the underlying cause. */
  public TokenStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
