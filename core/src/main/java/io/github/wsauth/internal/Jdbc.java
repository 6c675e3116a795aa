package io.github.wsauth.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The JDBC helpers {@code JdbcTokenStore} and {@code PostgresRevocationBus} share: the table-name check (the name is
 * written into SQL unquoted, so it must be a plain identifier), statements with a timeout, a rollback that keeps the
 * original failure.
 *
 * <p>Internal: shared by wsauth's modules, not part of the API. Stateless, thread-safe.
 */
public final class Jdbc {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,47}");

  private Jdbc() {}

  /**
   * {@code table} if it is a plain identifier of at most 48 characters, optionally schema-qualified; else an
   * {@link IllegalArgumentException} whose message shows {@code example} (a qualified name).
   */
  public static String validateTable(String table, String example) {
    Objects.requireNonNull(table, "table must not be null");
    String[] parts = table.split("\\.", -1);
    if (parts.length > 2 || !IDENTIFIER.matcher(parts[0]).matches()
        || (parts.length == 2 && !IDENTIFIER.matcher(parts[1]).matches())) {
      throw new IllegalArgumentException("table must be an identifier of letters, digits and '_' (at most 48, "
          + "not starting with a digit), optionally qualified by a schema like '" + example + "'");
    }
    return table;
  }

  /** A prepared statement on {@code c} that the driver cancels after {@code queryTimeoutSeconds}. */
  public static PreparedStatement prepare(Connection c, String statement, int queryTimeoutSeconds)
      throws SQLException {
    PreparedStatement ps = c.prepareStatement(statement);
    ps.setQueryTimeout(queryTimeoutSeconds);
    return ps;
  }

  /** Rolls {@code c} back after {@code cause}; a failing rollback is added to {@code cause} as suppressed. */
  public static void rollbackQuietly(Connection c, Exception cause) {
    try {
      c.rollback();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
