package io.github.wsauth.lifetime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Waits for PostgreSQL notifications through the PostgreSQL JDBC driver's {@code
 * org.postgresql.PGConnection#getNotifications(int)}, which blocks on the socket until a notification arrives or
 * the timeout passes (no query, no round trip). Found by reflection, because core depends on nothing but the JDK:
 * the connection (or the pool's proxy of it) is unwrapped to the driver's public interface, and the method is
 * called through that interface.
 *
 * <p>This is the only place that knows the driver. Any other driver (or a proxy that does not unwrap) gives
 * {@code null} from {@link #find}, and the bus falls back to reading the table every poll interval.
 */
final class PgjdbcNotifications {
  static final String PG_CONNECTION = "org.postgresql.PGConnection";

  private final Object pgConnection;
  private final Method getNotifications;

  private PgjdbcNotifications(Object pgConnection, Method getNotifications) {
    this.pgConnection = pgConnection;
    this.getNotifications = getNotifications;
  }

  /** The driver's notification wait on {@code c}, or {@code null} if {@code c} is not a pgjdbc connection. */
  static PgjdbcNotifications find(Connection c) {
    Set<ClassLoader> loaders = new LinkedHashSet<>();
    addIfPresent(loaders, c.getClass().getClassLoader());
    addIfPresent(loaders, Thread.currentThread().getContextClassLoader());
    addIfPresent(loaders, PgjdbcNotifications.class.getClassLoader());
    for (ClassLoader loader : loaders) {
      try {
        Class<?> type = Class.forName(PG_CONNECTION, false, loader);
        if (c.isWrapperFor(type)) {
          return new PgjdbcNotifications(c.unwrap(type), type.getMethod("getNotifications", int.class));
        }
      } catch (ClassNotFoundException | NoSuchMethodException | SQLException | LinkageError | SecurityException e) {
        // Not this loader, or a driver too old to wait: try the next, else poll.
      }
    }
    return null;
  }

  private static void addIfPresent(Set<ClassLoader> loaders, ClassLoader loader) {
    if (loader != null) {
      loaders.add(loader);
    }
  }

  /**
   * Blocks at most {@code timeoutMillis} (at least 1) for notifications on the connection.
   *
   * @return whether at least one arrived
   * @throws SQLException if the connection failed (the driver's own exception)
   */
  boolean await(int timeoutMillis) throws SQLException {
    try {
      Object[] received = (Object[]) getNotifications.invoke(pgConnection, Math.max(1, timeoutMillis));
      return received != null && received.length > 0;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SQLException sql) {
        throw sql;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new SQLException("waiting for notifications failed: " + cause.getClass().getName(), "08000", cause);
    } catch (IllegalAccessException e) {
      throw new SQLException("cannot call " + PG_CONNECTION + ".getNotifications", "08000", e);
    }
  }
}
