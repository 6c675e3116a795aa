package io.github.wsauth.jwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the tests move by hand. Core and jwt tests cannot use {@code wsauth-testkit}'s {@code MutableClock} (the
 * testkit depends on core), so this is the same idea in a few lines.
 */
public final class TestClock extends Clock {
  /** Where {@link #atStart()} stands. */
  public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  private volatile Instant now;

  private TestClock(Instant now) {
    this.now = now;
  }

  /** A clock at {@link #START}. */
  public static TestClock atStart() {
    return new TestClock(START);
  }

  /** A clock at {@code now}. */
  public static TestClock at(Instant now) {
    return new TestClock(now);
  }

  /** Moves the clock. */
  public synchronized void advance(Duration d) {
    now = now.plus(d);
  }

  /** Sets the clock. */
  public void set(Instant instant) {
    now = instant;
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
