package io.github.wsauth.lifetime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsauth.store.TokenStoreUnavailableException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresRevocationBus} without a database: configuration checks, the DDL, and a database that is down
 * (publish fails closed naming only the SQLState, the listener keeps retrying with backoff and logs nothing
 * secret, close stops it). The behaviour on a real PostgreSQL is tested in the testkit module.
 */
class PostgresRevocationBusUnitTest {

  /** A data source whose every connection attempt fails like an unreachable database. */
  private static final class DownDataSource {
    final AtomicInteger attempts = new AtomicInteger();

    DataSource dataSource() {
      return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
          (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
              attempts.incrementAndGet();
              throw new SQLException("Connection to db.internal:5432 refused", "08001");
            }
            throw new UnsupportedOperationException(method.getName());
          });
    }
  }

  @Test
  void builder_refusesNamesThatWouldBeWrittenIntoSqlUnchecked_andOutOfRangeDurations() {
    DataSource ds = new DownDataSource().dataSource();
    PostgresRevocationBus.Builder b = PostgresRevocationBus.builder(ds);
    assertThatThrownBy(() -> b.table("revocations; DROP TABLE users")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("table must be an identifier");
    assertThatThrownBy(() -> b.table("1st")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.table("a.b.c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.channel("Mixed")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("channel must be");
    assertThatThrownBy(() -> b.channel("x".repeat(64))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.pollInterval(Duration.ofMillis(9))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.retention(Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.queryTimeout(Duration.ofMillis(999))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.reconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("min backoff must not exceed max backoff");
    assertThatThrownBy(() -> PostgresRevocationBus.builder(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void ddl_createsTheTableAndItsPurgeIndex_inTheTablesSchema() {
    List<String> ddl = PostgresRevocationBus.ddl("auth.revocations");
    assertThat(ddl).hasSize(2);
    assertThat(ddl.get(0)).startsWith("CREATE TABLE IF NOT EXISTS auth.revocations (")
        .contains("id          BIGSERIAL PRIMARY KEY")
        .contains("CHECK (kind IN ('subject', 'token'))")
        .contains("CHECK (char_length(target) BETWEEN 1 AND 256)");
    assertThat(ddl.get(1))
        .isEqualTo("CREATE INDEX IF NOT EXISTS revocations_created_at_idx ON auth.revocations (created_at)");
    assertThatThrownBy(() -> PostgresRevocationBus.ddl("x y")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void channel_defaultsToTheTableName() {
    DownDataSource down = new DownDataSource();
    try (PostgresRevocationBus bus = PostgresRevocationBus.builder(down.dataSource()).table("Auth.Revs").build()) {
      assertThat(bus.channel()).isEqualTo("auth_revs");
      assertThat(bus.table()).isEqualTo("Auth.Revs");
      assertThat(bus.toString()).isEqualTo("PostgresRevocationBus[table=Auth.Revs, channel=auth_revs]");
    }
  }

  @Test
  void channel_derivedFromALongSchemaQualifiedTable_isRefusedAtBuild_63CharactersAreFine() {
    DownDataSource down = new DownDataSource();
    String schema = "s".repeat(48);
    String longest = schema + "." + "t".repeat(14); // channel: 48 + 1 + 14 = 63 characters
    try (PostgresRevocationBus bus = PostgresRevocationBus.builder(down.dataSource()).table(longest).build()) {
      assertThat(bus.channel()).hasSize(63).isEqualTo(schema + "_" + "t".repeat(14));
    }
    String table = schema + "." + "t".repeat(15);
    assertThatThrownBy(() -> PostgresRevocationBus.builder(down.dataSource()).table(table).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("the default channel derived from table " + table
            + " is 64 characters, over the 63 PostgreSQL allows: set channel(...)");
    try (PostgresRevocationBus bus = PostgresRevocationBus.builder(down.dataSource()).table(table)
        .channel("revocations").build()) {
      assertThat(bus.channel()).isEqualTo("revocations");
      assertThat(bus.table()).isEqualTo(table);
    }
  }

  @Test
  void databaseDown_publishFailsClosed_listenerRetriesWithBackoff_logsNoSubject_closeStopsIt() throws Exception {
    DownDataSource down = new DownDataSource();
    List<String> logged = new CopyOnWriteArrayList<>();
    Handler handler = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add(r.getMessage() + " " + java.util.Arrays.toString(r.getParameters()));
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger logger = Logger.getLogger(PostgresRevocationBus.class.getName());
    logger.addHandler(handler);
    PostgresRevocationBus bus = PostgresRevocationBus.builder(down.dataSource())
        .reconnectBackoff(Duration.ofMillis(10), Duration.ofMillis(40)).build();
    try {
      assertThatThrownBy(() -> bus.publish(Revocation.subject("alice-the-subject")))
          .isInstanceOf(TokenStoreUnavailableException.class)
          .hasMessage("PostgreSQL revocation bus could not get a connection (SQLState 08001)");
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (down.attempts.get() < 5 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(down.attempts.get()).as("the listener keeps reconnecting").isGreaterThanOrEqualTo(5);
      assertThat(bus.isListening()).isTrue();
      assertThat(logged).anySatisfy(l -> assertThat(l).contains("lost its database connection").contains("08001"));
      assertThat(String.join("\n", logged)).doesNotContain("alice");

      int before = down.attempts.get();
      assertThatThrownBy(() -> bus.publish(Revocation.token("tok\0en"))).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a revocation id must not contain a NUL character");
      assertThat(down.attempts.get() - before).as("refused before any connection").isLessThanOrEqualTo(1);
    } finally {
      bus.close();
      logger.removeHandler(handler);
    }
    assertThat(bus.isListening()).as("close stops the listener thread").isFalse();
    assertThatThrownBy(() -> bus.publish(Revocation.subject("bob"))).isInstanceOf(IllegalStateException.class)
        .hasMessage("revocation bus is closed");
    assertThatThrownBy(() -> bus.subscribe(r -> {})).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aConnectionOfAnotherDriver_hasNoNotificationWait() {
    Connection other = (Connection) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("isWrapperFor")) {
            return false;
          }
          throw new UnsupportedOperationException(method.getName());
        });
    assertThat(PgjdbcNotifications.find(other)).isNull();
  }
}
