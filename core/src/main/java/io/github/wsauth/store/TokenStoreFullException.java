package io.github.wsauth.store;

/**
 * The store holds its configured maximum of outstanding tokens and refuses another, rather than growing without
 * bound. A subclass of {@link TokenStoreUnavailableException}, so a verifier that records JWT ids fails closed.
 */
public final class TokenStoreFullException extends TokenStoreUnavailableException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception. */
  public TokenStoreFullException(String message) {
    super(message);
  }
}
