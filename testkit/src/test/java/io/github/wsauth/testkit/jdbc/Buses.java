package io.github.wsauth.testkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.wsauth.lifetime.Revocation;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.postgresql.ds.PGSimpleDataSource;

/** Helpers of the revocation bus tests: pools named per node, a recording listener, database-side counts. */
final class Buses {
  static final String LOGGER = "io.github.wsauth.lifetime.PostgresRevocationBus";

  private Buses() {}

  static String table() {
    return "revocations_" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A HikariCP pool whose connections carry {@code application_name = name} and that keeps no idle connection,
   * so that the database shows exactly the connections the node is using.
   */
  static HikariDataSource pool(String name, PostgresCluster pg, long connectionTimeoutMillis) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(pg.jdbcUrl());
    config.setUsername(pg.user());
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(connectionTimeoutMillis);
    config.setValidationTimeout(500);
    config.setInitializationFailTimeout(-1);
    config.addDataSourceProperty("ApplicationName", name);
    return new HikariDataSource(config);
  }

  /** A plain (non-pooling) pgjdbc data source: every getConnection is a new backend named {@code name}. */
  static PGSimpleDataSource simple(String name, PostgresCluster pg) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(pg.jdbcUrl());
    ds.setUser(pg.user());
    ds.setApplicationName(name);
    ds.setConnectTimeout(2);
    return ds;
  }

  /** Backends the database has for {@code applicationName}. */
  static int backends(PostgresCluster pg, String applicationName) throws Exception {
    try (Connection c = simple("wsauth-test-admin", pg).getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
            + applicationName + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Terminates every backend of {@code applicationName}, as an operator or a failover would; returns how many. */
  static int terminate(PostgresCluster pg, String applicationName) throws Exception {
    try (Connection c = simple("wsauth-test-admin", pg).getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            + " WHERE application_name = '" + applicationName + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /**
   * Terminates every backend of {@code applicationName} and waits (at most 5 s) until they are gone from
   * {@code pg_stat_activity} (pg_terminate_backend only signals them); returns how many were terminated.
   */
  static int cutOff(PostgresCluster pg, String applicationName) throws Exception {
    int terminated = terminate(pg, applicationName);
    boolean gone = await(5_000, () -> {
      try {
        return backends(pg, applicationName) == 0;
      } catch (Exception e) {
        return false;
      }
    });
    assertThat(gone).as("the terminated backends of %s exited", applicationName).isTrue();
    return terminated;
  }

  static long rows(PostgresCluster pg, String table) throws Exception {
    try (Connection c = simple("wsauth-test-admin", pg).getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Polls {@code condition} every 10 ms until it holds or {@code millis} pass; returns whether it held. */
  static boolean await(long millis, Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + millis * 1_000_000;
    while (!condition.get()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** A listener that records what it receives, in order. */
  static final class Recorder implements Consumer<Revocation> {
    final List<Revocation> received = new CopyOnWriteArrayList<>();

    @Override
    public void accept(Revocation r) {
      received.add(r);
    }

    List<Revocation> snapshot() {
      return new ArrayList<>(received);
    }

    void awaitSize(int n, long millis) throws InterruptedException {
      assertThat(await(millis, () -> received.size() >= n)).as("%d revocation(s) delivered within %d ms, got %d",
          n, millis, received.size()).isTrue();
    }
  }

  /** Captures the bus's log lines, to check that no subject or token id is in them. */
  static final class LogCapture extends Handler implements AutoCloseable {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(LOGGER);

    LogCapture() {
      logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
      StringBuilder line = new StringBuilder(String.valueOf(record.getMessage()));
      if (record.getParameters() != null) {
        for (Object p : record.getParameters()) {
          line.append(' ').append(p);
        }
      }
      if (record.getThrown() != null) {
        line.append(' ').append(record.getThrown());
      }
      lines.add(line.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }
}
