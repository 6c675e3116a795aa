package io.github.wsauth.jakarta;

import java.io.IOException;

import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.internal.ExpiryTimer;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

/** Drives core's {@link ExpiryTimer} for a Jakarta session, on the configured clock and scheduler. */
final class ExpiryClose {
  static final String REASON = ExpiryTimer.REASON;

  private ExpiryClose() {}

  static TaskScheduler.Cancellable schedule(Session session, Identity identity, JakartaAuthConfig config) {
    return ExpiryTimer.start(identity, config.clock(), config.expiryCloseCode(), config.scheduler(),
        new ExpiryTimer.Connection() {
          @Override
          public boolean isOpen() {
            return session.isOpen();
          }

          @Override
          public void close(int code, String reason) {
            try {
              session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
            } catch (IOException e) {
              // The connection is going away anyway.
            }
          }
        })::cancel;
  }
}
