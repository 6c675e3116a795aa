package io.github.wsauth.testkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.github.wsauth.lifetime.PostgresRevocationBus;
import io.github.wsauth.lifetime.Revocation;
import io.github.wsauth.store.TokenStoreUnavailableException;
import io.github.wsauth.testkit.MutableClock;
import io.github.wsauth.testkit.jdbc.Buses.LogCapture;
import io.github.wsauth.testkit.jdbc.Buses.Recorder;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link PostgresRevocationBus} on a real PostgreSQL: two buses with two data sources stand for two nodes. Delivery
 * across them, in order and once; nothing lost while a node is cut off (backend terminated, whole cluster
 * restarted); publish fails closed while the database is down; purge; close stops the thread.
 */
@ExtendWith(PostgresExtension.class)
class PostgresRevocationBusTest {
  private final List<AutoCloseable> open = new ArrayList<>();
  private PostgresCluster pg;
  private String table;

  @BeforeEach
  void setUp(PostgresCluster pg) {
    this.pg = pg;
    this.table = Buses.table();
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (!pg.isRunning()) {
        pg.startServer(); // leave the database up for the other tests
      }
    } finally {
      for (int i = open.size() - 1; i >= 0; i--) {
        open.get(i).close();
      }
    }
  }

  private <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private PostgresRevocationBus.Builder bus(DataSource ds) {
    return PostgresRevocationBus.builder(ds).table(table).createTableIfMissing(true);
  }

  /** Builds, subscribes, and waits until the bus has its starting point (a marker from itself arrives). */
  private Recorder subscribed(PostgresRevocationBus bus) throws Exception {
    Recorder r = new Recorder();
    bus.subscribe(r);
    bus.publish(Revocation.token("warm-up-" + bus.hashCode()));
    r.awaitSize(1, 10_000);
    r.received.clear();
    return r;
  }

  @Test
  void publishedOnA_isDeliveredOnB_andOnA_inTheSameOrder_once() throws Exception {
    PostgresRevocationBus a = track(bus(track(Buses.pool("bus-a", pg, 5_000))).build());
    PostgresRevocationBus b = track(bus(track(Buses.pool("bus-b", pg, 5_000))).build());
    Recorder onA = subscribed(a);
    Recorder onB = subscribed(b);
    // b's warm-up may still be on its way to a: wait for a marker behind it on both, then start from empty.
    a.publish(Revocation.token("sync"));
    assertThat(Buses.await(10_000, () -> onA.received.contains(Revocation.token("sync"))
        && onB.received.contains(Revocation.token("sync")))).isTrue();
    onA.received.clear();
    onB.received.clear();

    int n = 200;
    ExecutorService publishers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        PostgresRevocationBus from = t % 2 == 0 ? a : b;
        int thread = t;
        done.add(publishers.submit(() -> {
          for (int i = 0; i < n / 4; i++) {
            from.publish(i % 2 == 0 ? Revocation.subject("user-" + thread + "-" + i)
                : Revocation.token("tok-" + thread + "-" + i));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      publishers.shutdownNow();
    }
    onA.awaitSize(n, 10_000);
    onB.awaitSize(n, 10_000);
    // A few more polls: nothing arrives twice.
    a.publish(Revocation.subject("last"));
    onA.awaitSize(n + 1, 10_000);
    onB.awaitSize(n + 1, 10_000);

    List<Revocation> seenByA = onA.snapshot();
    List<Revocation> seenByB = onB.snapshot();
    assertThat(seenByB).extracting(Revocation::id).as("both nodes see the same revocations in the same (id) order")
        .isEqualTo(seenByA.stream().map(Revocation::id).toList());
    assertThat(seenByB).hasSize(n + 1);
    assertThat(new HashSet<>(seenByB)).as("no duplicates").hasSize(n + 1);
    assertThat(seenByB.get(n)).isEqualTo(Revocation.subject("last"));
    for (int t = 0; t < 4; t++) {
      // Per publishing thread, its own order is kept.
      String prefix = "-" + t + "-";
      List<Integer> order = seenByB.stream().filter(r -> r.id().contains(prefix))
          .map(r -> Integer.parseInt(r.id().substring(r.id().lastIndexOf('-') + 1))).toList();
      assertThat(order).isSorted().hasSize(n / 4);
    }
  }

  @Test
  void notificationWakesTheListener_withoutWaitingForThePoll() throws Exception {
    PostgresRevocationBus a = track(bus(track(Buses.pool("bus-a", pg, 5_000))).build());
    // A one-hour poll: only the notification can deliver within the second asserted below.
    PostgresRevocationBus b = track(bus(track(Buses.pool("bus-b", pg, 5_000))).pollInterval(Duration.ofHours(1))
        .build());
    Recorder onB = subscribed(b);
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      a.publish(Revocation.subject("alice-" + i));
      onB.awaitSize(i + 1, 1_000);
      System.out.printf("notification wake-up: delivered on b in %.1f ms%n", (System.nanoTime() - t0) / 1e6);
    }
  }

  @Test
  void withoutNotifications_aDriverThatDoesNotUnwrap_isPolled() throws Exception {
    DataSource hidden = hidingDriver(track(Buses.pool("bus-b", pg, 5_000)));
    PostgresRevocationBus a = track(bus(track(Buses.pool("bus-a", pg, 5_000))).build());
    PostgresRevocationBus b = track(bus(hidden).pollInterval(Duration.ofMillis(50)).build());
    Recorder onB = subscribed(b);
    a.publish(Revocation.subject("alice"));
    onB.awaitSize(1, 2_000);
    assertThat(onB.snapshot()).containsExactly(Revocation.subject("alice"));
  }

  @Test
  void revocationPublishedWhileBsConnectionIsTerminated_isDeliveredWhenBReconnects_once() throws Exception {
    PostgresRevocationBus a = track(bus(track(Buses.pool("bus-a", pg, 5_000))).build());
    // Non-pooling: the listener's connection is b's only backend. A 2 s backoff keeps b away long enough.
    PostgresRevocationBus b = track(bus(Buses.simple("bus-b-direct", pg))
        .reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(2)).build());
    Recorder onB = subscribed(b);
    try (LogCapture log = new LogCapture()) {
      assertThat(Buses.cutOff(pg, "bus-b-direct")).as("b's listener backend terminated").isEqualTo(1);
      a.publish(Revocation.subject("alice-secret-subject"));
      a.publish(Revocation.token("tok-secret-id"));
      assertThat(Buses.backends(pg, "bus-b-direct")).as("b still cut off when a published").isZero();
      assertThat(onB.snapshot()).isEmpty();

      onB.awaitSize(2, 15_000);
      a.publish(Revocation.subject("after"));
      onB.awaitSize(3, 5_000);
      assertThat(onB.snapshot()).containsExactly(Revocation.subject("alice-secret-subject"),
          Revocation.token("tok-secret-id"), Revocation.subject("after"));
      assertThat(log.lines).anySatisfy(l -> assertThat(l).contains("lost its database connection"));
      assertThat(log.lines).anySatisfy(l -> assertThat(l).contains("reconnected; delivered"));
      assertThat(String.join("\n", log.lines)).doesNotContain("secret");
    }
  }

  @Test
  void revocationPublishedBeforeAClusterRestart_isDeliveredWhenBReconnectsAfterIt() throws Exception {
    HikariDataSource poolA = track(Buses.pool("bus-a", pg, 2_000));
    PostgresRevocationBus a = track(bus(poolA).build());
    PostgresRevocationBus b = track(bus(track(Buses.pool("bus-b", pg, 2_000)))
        .reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(2)).build());
    Recorder onB = subscribed(b);

    assertThat(Buses.cutOff(pg, "bus-b")).as("b's backends terminated").isPositive();
    a.publish(Revocation.subject("alice"));
    assertThat(Buses.backends(pg, "bus-b")).as("b cut off when a published").isZero();
    long t0 = System.nanoTime();
    pg.stopServer();
    pg.startServer();
    onB.awaitSize(1, 30_000);
    System.out.printf("cluster restart: delivered on b %.0f ms after the restart began%n",
        (System.nanoTime() - t0) / 1e6);
    publishRetrying(a, Revocation.subject("after"), 20_000);
    onB.awaitSize(2, 5_000);
    assertThat(onB.snapshot()).containsExactly(Revocation.subject("alice"), Revocation.subject("after"));
  }

  @Test
  void aNodeCutOffRightAfterItsOwnPublish_stillWaitsItsBackoffBeforeReconnecting() throws Exception {
    PostgresRevocationBus b = track(bus(Buses.simple("bus-b-direct", pg))
        .reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(2)).build());
    Recorder onB = subscribed(b);
    for (int round = 0; round < 3; round++) {
      b.publish(Revocation.subject("own-" + round)); // leaves a wake-up for its listener thread
      Buses.cutOff(pg, "bus-b-direct");
      long t0 = System.nanoTime();
      boolean reconnectedEarly = Buses.await(500, () -> {
        try {
          return Buses.backends(pg, "bus-b-direct") > 0;
        } catch (Exception e) {
          return false;
        }
      });
      assertThat(reconnectedEarly).as("round %d: reconnected %d ms after the cut, within the 1 s minimum backoff",
          round, (System.nanoTime() - t0) / 1_000_000).isFalse();
      onB.awaitSize(round + 1, 10_000);
      // The notification of its own publish may have reached the listener before the cut: then the size above
      // says nothing about the reconnection, and the next round's window would see this round's (1-2 s later).
      assertThat(Buses.await(10_000, () -> {
        try {
          return Buses.backends(pg, "bus-b-direct") > 0;
        } catch (Exception e) {
          return false;
        }
      })).as("round %d: reconnected after its backoff", round).isTrue();
    }
  }

  @Test
  void publishWithTheDatabaseDown_throwsAndPublishesNothing_thenWorks() throws Exception {
    PostgresRevocationBus a = track(bus(track(Buses.pool("bus-a", pg, 1_000))).build());
    PostgresRevocationBus b = track(bus(track(Buses.pool("bus-b", pg, 1_000))).build());
    Recorder onB = subscribed(b);
    long before = Buses.rows(pg, table);

    pg.stopServer();
    assertThatThrownBy(() -> a.publish(Revocation.subject("alice-secret-subject")))
        .isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessageStartingWith("PostgreSQL revocation bus could not")
        .hasMessageContaining("SQLState")
        .hasMessageNotContaining("secret");
    pg.startServer();

    publishRetrying(a, Revocation.subject("bob"), 20_000);
    onB.awaitSize(1, 10_000);
    a.publish(Revocation.subject("carol"));
    onB.awaitSize(2, 5_000);
    assertThat(onB.snapshot()).containsExactly(Revocation.subject("bob"), Revocation.subject("carol"));
    assertThat(Buses.rows(pg, table)).as("the failed publish left no row").isEqualTo(before + 2);
  }

  @Test
  void publishBlockedByALock_timesOut_andPublishesNothing() throws Exception {
    PostgresRevocationBus a = track(bus(track(Buses.pool("bus-a", pg, 5_000))).queryTimeout(Duration.ofSeconds(1))
        .build());
    Recorder onA = subscribed(a);
    try (Connection blocker = Buses.simple("blocker", pg).getConnection()) {
      blocker.setAutoCommit(false);
      blocker.createStatement().execute("LOCK TABLE " + table + " IN SHARE ROW EXCLUSIVE MODE");
      assertThatThrownBy(() -> a.publish(Revocation.subject("alice")))
          .isInstanceOf(TokenStoreUnavailableException.class)
          .hasMessageContaining("SQLState 57014"); // query_canceled: the statement timeout
      blocker.rollback();
    }
    a.publish(Revocation.subject("bob"));
    onA.awaitSize(1, 5_000);
    assertThat(onA.snapshot()).containsExactly(Revocation.subject("bob"));
  }

  @Test
  void aPublishWaitsForOneInFlight_soARowThatCommitsLate_isNotSkipped() throws Exception {
    PostgresRevocationBus a = track(bus(track(Buses.pool("bus-a", pg, 5_000))).build());
    PostgresRevocationBus b = track(bus(track(Buses.pool("bus-b", pg, 5_000))).build());
    subscribed(a);
    Recorder onB = subscribed(b);
    ExecutorService publisher = Executors.newSingleThreadExecutor();
    try (Connection slow = Buses.simple("slow-publisher", pg).getConnection()) {
      // Another node's publish in flight: its row has taken the lower id but is not committed yet.
      slow.setAutoCommit(false);
      try (java.sql.Statement st = slow.createStatement()) {
        st.execute("INSERT INTO " + table + " (kind, target, created_at) VALUES ('subject', 'slow', now())");
      }
      Future<?> fast = publisher.submit(() -> a.publish(Revocation.subject("fast")));
      boolean publishedMeanwhile = Buses.await(1_000, fast::isDone);
      if (publishedMeanwhile) {
        Buses.await(2_000, () -> !onB.received.isEmpty()); // let B read past the uncommitted row, as it would
      }
      slow.commit();
      fast.get(10, TimeUnit.SECONDS);
      onB.awaitSize(2, 5_000);
      assertThat(onB.snapshot()).extracting(Revocation::id).containsExactly("slow", "fast");
      assertThat(publishedMeanwhile).as("the publish waited for the one in flight").isFalse();
    } finally {
      publisher.shutdownNow();
    }
  }

  @Test
  void aNewBus_startsAfterTheRevocationsPublishedBeforeIt() throws Exception {
    PostgresRevocationBus a = track(bus(track(Buses.pool("bus-a", pg, 5_000))).build());
    subscribed(a);
    a.publish(Revocation.subject("old"));
    PostgresRevocationBus b = track(bus(track(Buses.pool("bus-b", pg, 5_000))).build());
    Recorder onB = new Recorder();
    b.subscribe(onB);
    b.publish(Revocation.subject("new"));
    onB.awaitSize(1, 5_000);
    a.publish(Revocation.subject("newer"));
    onB.awaitSize(2, 5_000);
    assertThat(onB.snapshot()).containsExactly(Revocation.subject("new"), Revocation.subject("newer"));
  }

  @Test
  void rowsOlderThanTheRetention_arePurged_byTheListenerAndOnDemand() throws Exception {
    MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    PostgresRevocationBus a = track(bus(track(Buses.pool("bus-a", pg, 5_000))).clock(clock)
        .retention(Duration.ofHours(2)).build());
    Recorder onA = subscribed(a);
    a.publish(Revocation.subject("alice"));
    a.publish(Revocation.subject("bob"));
    onA.awaitSize(2, 5_000);
    assertThat(Buses.rows(pg, table)).isEqualTo(3);

    clock.advance(Duration.ofHours(1));
    a.publish(Revocation.subject("carol"));
    assertThat(a.purgeExpired()).as("nothing is two hours old yet").isZero();
    clock.advance(Duration.ofMinutes(61)); // the first three are past the retention; the listener purges hourly
    assertThat(Buses.await(30_000, () -> {
      try {
        return Buses.rows(pg, table) == 1;
      } catch (Exception e) {
        return false;
      }
    })).as("the listener thread purged the expired rows").isTrue();
    // Its next purge is an hour after that one; before it, only an explicit purge removes "carol".
    clock.advance(Duration.ofSeconds(59 * 60 + 30));
    assertThat(a.purgeExpired()).isEqualTo(1);
    assertThat(Buses.rows(pg, table)).isZero();
  }

  @Test
  void close_stopsTheThread_releasesItsConnection_andRefusesToPublish() throws Exception {
    HikariDataSource pool = track(Buses.pool("bus-a", pg, 5_000));
    PostgresRevocationBus a = bus(pool).build();
    subscribed(a);
    assertThat(a.isListening()).isTrue();
    assertThat(threadNamed("wsauth-revocations-" + table)).isTrue();
    assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(1);

    long t0 = System.nanoTime();
    a.close();
    long closeMillis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(a.isListening()).isFalse();
    assertThat(threadNamed("wsauth-revocations-" + table)).isFalse();
    assertThat(closeMillis).as("close waits at most one wait slice, not the poll interval").isLessThan(1_000);
    assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    assertThatThrownBy(() -> a.publish(Revocation.subject("alice"))).isInstanceOf(IllegalStateException.class);
  }

  private static boolean threadNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  private static void publishRetrying(PostgresRevocationBus bus, Revocation r, long millis) throws Exception {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (true) {
      try {
        bus.publish(r);
        return;
      } catch (TokenStoreUnavailableException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /** A data source whose connections do not unwrap to the driver: what another driver or proxy looks like. */
  private static DataSource hidingDriver(DataSource real) {
    return (DataSource) Proxy.newProxyInstance(PostgresRevocationBusTest.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, m, args) -> {
          Object result = m.invoke(real, args);
          if (result instanceof Connection c) {
            return Proxy.newProxyInstance(PostgresRevocationBusTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p2, m2, a2) -> {
                  if (m2.getName().equals("isWrapperFor")) {
                    return false;
                  }
                  if (m2.getName().equals("unwrap")) {
                    throw new java.sql.SQLException("not a wrapper");
                  }
                  try {
                    return m2.invoke(c, a2);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
          }
          return result;
        });
  }
}
