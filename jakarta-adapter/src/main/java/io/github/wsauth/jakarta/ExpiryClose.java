package io.github.wsauth.jakarta;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.github.wsauth.Identity;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

/**
 * Closes a session with 1008 when its identity expires. The clock decides; the scheduler only wakes us up, and a
 * wake-up before the clock says "expired" (clock adjustments, a manual test scheduler) re-arms for the rest.
 */
final class ExpiryClose {
  static final String REASON = "authentication expired";
  private static final Duration MARGIN = Duration.ofMillis(1);

  private final Session session;
  private final Identity identity;
  private final Clock clock;
  private final TaskScheduler scheduler;
  private volatile TaskScheduler.Cancellable pending;
  private volatile boolean cancelled;

  private ExpiryClose(Session session, Identity identity, Clock clock, TaskScheduler scheduler) {
    this.session = session;
    this.identity = identity;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  static TaskScheduler.Cancellable schedule(Session session, Identity identity, Clock clock,
      TaskScheduler scheduler) {
    ExpiryClose e = new ExpiryClose(session, identity, clock, scheduler);
    e.arm(clock.instant());
    return e::cancel;
  }

  private void arm(Instant now) {
    // isExpiredAt is strict (now after expiresAt): wake up just past the instant.
    Duration delay = Duration.between(now, identity.expiresAt()).plus(MARGIN);
    pending = scheduler.schedule(this::fire, delay.isNegative() ? Duration.ZERO : delay);
    if (cancelled) {
      pending.cancel();
    }
  }

  private void fire() {
    if (cancelled || !session.isOpen()) {
      return;
    }
    Instant now = clock.instant();
    if (!identity.isExpiredAt(now)) {
      arm(now);
      return;
    }
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, REASON));
    } catch (IOException | RuntimeException e) {
      // The connection is going away anyway.
    }
  }

  private void cancel() {
    cancelled = true;
    TaskScheduler.Cancellable p = pending;
    if (p != null) {
      p.cancel();
    }
  }
}
