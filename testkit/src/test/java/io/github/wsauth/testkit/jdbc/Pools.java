package io.github.wsauth.testkit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** HikariCP pools as the tests (and the docs) configure them: small, lazy, with a bounded wait for a connection. */
final class Pools {
  private Pools() {}

  /** A pool whose borrowers wait at most {@code connectionTimeoutMillis} for a connection. */
  static HikariDataSource pool(String name, String jdbcUrl, String user, int size, long connectionTimeoutMillis) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(connectionTimeoutMillis);
    config.setValidationTimeout(500);
    // Start even when the database is down: the store answers 503 until it is back.
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }
}
