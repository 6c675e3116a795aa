package io.github.wsauth.testkit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** HikariCP pools as the tests (and the docs) configure them: small, and quick to give up when the database is down. */
final class Pools {
  private Pools() {}

  static HikariDataSource pool(String name, String jdbcUrl, String user, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    // A handshake waits at most this long for a connection before it gets 503.
    config.setConnectionTimeout(1_000);
    config.setValidationTimeout(500);
    // Start even when the database is down: the store answers 503 until it is back.
    config.setInitializationFailTimeout(-1);
    return new HikariDataSource(config);
  }
}
