package io.github.wsauth;

import java.util.Objects;

import io.github.wsauth.internal.CloseCodes;
import io.github.wsauth.internal.Utf8;

/**
 * What {@link FirstMessageAuthenticator} decided about a first message: {@link Accepted}, or {@link Rejected} with
 * the close code and reason to close the connection with.
 */
public sealed interface FirstMessageResult permits FirstMessageResult.Accepted, FirstMessageResult.Rejected {

  /**
   * The connection is authenticated.
   *
   * @param identity who connected
   */
  record Accepted(Identity identity) implements FirstMessageResult {
    /** Validates. */
    public Accepted {
      Objects.requireNonNull(identity, "identity must not be null");
    }
  }

  /**
   * Close the connection (after the upgrade, so no HTTP answer: compare {@link AuthDecision.Rejected}).
   *
   * @param closeCode the WebSocket close code (RFC 6455 §7.4), e.g. 1008, 1009, 1011 or a 4xxx code: one a server
   *     may send (1000-1003, 1007-1014, 3000-4999)
   * @param reason a short public reason, at most 123 bytes of UTF-8, never a secret
   */
  record Rejected(int closeCode, String reason) implements FirstMessageResult {
    /**
     * Validates.
     *
     * @throws IllegalArgumentException if a server may not send the code, or the reason is longer than 123 bytes
     */
    public Rejected {
      if (!CloseCodes.sendable(closeCode)) {
        throw new IllegalArgumentException("not a close code a server may send: " + closeCode);
      }
      Objects.requireNonNull(reason, "reason must not be null");
      if (Utf8.length(reason) > CloseCodes.MAX_REASON_BYTES) {
        throw new IllegalArgumentException("a close reason is at most 123 bytes of UTF-8");
      }
    }
  }
}
