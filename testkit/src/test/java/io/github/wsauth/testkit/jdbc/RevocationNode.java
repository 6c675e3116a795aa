package io.github.wsauth.testkit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.wsauth.lifetime.PostgresRevocationBus;
import io.github.wsauth.lifetime.Revocation;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One server node's side of cross-node revocation: a HikariCP pool (connections named after the node), a {@link
 * PostgresRevocationBus} on it, and the node's action for each revocation. The action is what a real node does
 * with a revocation (close the matching live connections); {@link RevocationNodeMain} prints it instead, and a
 * node with a connection registry passes the registry's close method here.
 */
final class RevocationNode implements AutoCloseable {
  private final HikariDataSource pool;
  private final PostgresRevocationBus bus;

  private RevocationNode(HikariDataSource pool, PostgresRevocationBus bus) {
    this.pool = pool;
    this.bus = bus;
  }

  /**
   * Starts a node and returns once its bus is listening (its own warm-up revocation came back through the
   * database), so that every revocation published afterwards reaches {@code action}.
   */
  static RevocationNode start(String name, String jdbcUrl, String user, String table, Duration minBackoff,
      Consumer<Revocation> action) throws InterruptedException {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setMaximumPoolSize(4);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(2_000);
    config.setValidationTimeout(500);
    config.setInitializationFailTimeout(-1);
    config.addDataSourceProperty("ApplicationName", name);
    HikariDataSource pool = new HikariDataSource(config);
    PostgresRevocationBus bus = PostgresRevocationBus.builder(pool).table(table).createTableIfMissing(true)
        .reconnectBackoff(minBackoff, minBackoff.multipliedBy(4)).build();
    String warmUp = "warm-up-" + name + "-" + System.nanoTime();
    CountDownLatch ready = new CountDownLatch(1);
    bus.subscribe(r -> {
      if (r.id().equals(warmUp)) {
        ready.countDown();
      } else {
        action.accept(r);
      }
    });
    bus.publish(Revocation.token(warmUp));
    if (!ready.await(30, TimeUnit.SECONDS)) {
      bus.close();
      pool.close();
      throw new IllegalStateException("node " + name + ": the bus did not deliver its warm-up revocation");
    }
    return new RevocationNode(pool, bus);
  }

  /** Publishes through this node's bus. */
  void publish(Revocation r) {
    bus.publish(r);
  }

  @Override
  public void close() {
    bus.close();
    pool.close();
  }
}
