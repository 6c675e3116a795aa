package io.github.wsauth.jwt;

import com.nimbusds.jwt.proc.BadJWTException;
import io.github.wsauth.RejectionReason;

/**
 * Thrown by our own pipeline stages (type and claims verifiers) through Nimbus's processor, carrying the
 * {@link RejectionReason} so the verifier does not have to guess it from Nimbus's message text. Never leaves the
 * package; its message never holds token content.
 */
final class JwtRejection extends BadJWTException {
  private static final long serialVersionUID = 1L;

  private final transient RejectionReason reason;

  JwtRejection(RejectionReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  RejectionReason reason() {
    return reason;
  }

  /** No stack trace: these are expected outcomes of hostile input, made often and never logged with a trace. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }
}
