package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import org.junit.jupiter.api.Test;

class ExpiryTimerTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  /** A scheduler that records tasks; the test runs them by hand. */
  private static final class ManualScheduler implements TaskScheduler {
    final List<Runnable> tasks = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();
    int cancelled;

    @Override
    public TaskScheduler.Cancellable schedule(Runnable task, Duration delay) {
      tasks.add(task);
      delays.add(delay);
      return () -> cancelled++;
    }

    void runLast() {
      tasks.get(tasks.size() - 1).run();
    }
  }

  private static final class RecordingConnection implements ExpiryTimer.Connection {
    final List<String> closes = new ArrayList<>();
    boolean open = true;

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close(int code, String reason) {
      closes.add(code + " " + reason);
    }
  }

  private final Identity identity = Identity.of("alice", Map.of(), START.plusSeconds(30));

  @Test
  void fire_afterExpiry_closesWithTheConfiguredCodeAndReason() {
    ManualScheduler scheduler = new ManualScheduler();
    RecordingConnection connection = new RecordingConnection();
    ExpiryTimer.start(identity, Clock.fixed(START.plusSeconds(31), ZoneOffset.UTC), 4401, scheduler, connection);
    assertThat(scheduler.delays).containsExactly(Duration.ZERO);
    scheduler.runLast();
    assertThat(connection.closes).containsExactly("4401 authentication expired");
  }

  @Test
  void fire_early_rearmsForTheRest_andDoesNotClose() {
    ManualScheduler scheduler = new ManualScheduler();
    RecordingConnection connection = new RecordingConnection();
    ExpiryTimer.start(identity, Clock.fixed(START, ZoneOffset.UTC), ExpiryTimer.DEFAULT_CLOSE_CODE, scheduler,
        connection);
    assertThat(scheduler.delays).containsExactly(Duration.ofSeconds(30).plusMillis(1));
    scheduler.runLast(); // the clock has not moved: woken up early
    assertThat(connection.closes).isEmpty();
    assertThat(scheduler.tasks).hasSize(2);
  }

  @Test
  void cancel_stopsTheTimer_andAClosedConnectionIsNotClosedAgain() {
    ManualScheduler scheduler = new ManualScheduler();
    RecordingConnection connection = new RecordingConnection();
    ExpiryTimer timer = ExpiryTimer.start(identity, Clock.fixed(START.plusSeconds(60), ZoneOffset.UTC), 1008,
        scheduler, connection);
    timer.cancel();
    assertThat(scheduler.cancelled).isEqualTo(1);
    scheduler.runLast();
    assertThat(connection.closes).isEmpty();

    RecordingConnection gone = new RecordingConnection();
    gone.open = false;
    ExpiryTimer.start(identity, Clock.fixed(START.plusSeconds(60), ZoneOffset.UTC), 1008, scheduler, gone);
    scheduler.runLast();
    assertThat(gone.closes).isEmpty();
  }

  @Test
  void cancel_whileAnEarlyWakeUpRearms_cancelsTheNewWakeUpToo() {
    List<String> log = new ArrayList<>();
    ExpiryTimer[] timer = new ExpiryTimer[1];
    TaskScheduler racing = (task, delay) -> {
      int n = log.size();
      log.add("scheduled " + n);
      if (n == 1) {
        timer[0].cancel(); // the connection closes while fire() re-arms: cancel() still sees the old wake-up
      }
      return () -> log.add("cancelled " + n);
    };
    List<Runnable> tasks = new ArrayList<>();
    TaskScheduler recording = (task, delay) -> {
      tasks.add(task);
      return racing.schedule(task, delay);
    };
    timer[0] = ExpiryTimer.start(identity, Clock.fixed(START, ZoneOffset.UTC), 1008, recording,
        new RecordingConnection());
    tasks.get(0).run(); // woken up early: re-arms
    assertThat(log).containsExactly("scheduled 0", "scheduled 1", "cancelled 0", "cancelled 1");
  }

  @Test
  void checkCloseCode_refusesReservedCodes() {
    assertThat(ExpiryTimer.checkCloseCode(4408)).isEqualTo(4408);
    assertThatThrownBy(() -> ExpiryTimer.checkCloseCode(1006))
        .hasMessage("expiry close code must be 1000, 1001, 1008 or 3000-4999: 1006");
  }
}
