package io.github.wsauth.store;

import java.util.List;

/**
 * The SQL of a {@link JdbcTokenStore} for one dialect and one table. Every statement takes the time as a
 * parameter (the store's {@link java.time.Clock}), never the database's {@code now()}, so expiry follows the
 * clock the application was configured with and tests can move it.
 *
 * <p>The table name is interpolated, so it is validated as a plain identifier (optionally schema-qualified)
 * before it gets here; every value is a bind parameter.
 */
final class TokenTableSql {
  static final String LIVE = "live";
  static final String USED = "used";
  static final String REVOKED = "revoked";

  /** Columns read back to rebuild an entry, in this order. */
  private static final String ENTRY_COLUMNS = "subject, attributes, expires_at, single_use, state";

  final JdbcTokenStore.Dialect dialect;
  final String table;

  /**
   * PostgreSQL: one statement that inserts, or replaces an expired entry; update count 1 = saved, 0 = a live
   * entry exists. Parameters: hash, subject, attributes, expires_at, single_use, now.
   * H2: a plain insert (duplicates are resolved by {@link #replaceExpired}). Parameters: the first five.
   */
  final String insert;
  /** Replaces an entry only if it has expired. Parameters: subject, attributes, expires_at, single_use, hash, now. */
  final String replaceExpired;
  /**
   * Marks a live, unexpired, single-use entry used. Parameters: used_at, hash, now. On PostgreSQL it returns the
   * entry ({@code RETURNING}); elsewhere the update count says whether this caller won.
   */
  final String consume;
  /**
   * Consumes by deleting a live single-use row (for stores that keep no used entries). PostgreSQL: {@code DELETE
   * ... RETURNING}, parameters token_hash, now; elsewhere a plain delete with the same parameters, the count
   * deciding.
   */
  final String consumeByDelete;
  /** Reads and locks a row inside a transaction (portable delete-on-consume). Parameters: now, token_hash. */
  final String selectForUpdate;
  /** Reads an entry and whether it is expired. Parameters: now, hash. Columns: entry columns, then expired (0/1). */
  final String select;
  /** Revokes one live, unexpired entry. Parameters: revoked_at, hash, now. */
  final String revoke;
  /** Revokes a subject's live, unexpired entries. Parameters: revoked_at, subject, now. */
  final String revokeAll;
  /** Deletes expired entries. Parameter: now. */
  final String purge;
  /** Touches the table without reading rows: succeeds exactly when it exists. */
  final String probe;

  TokenTableSql(JdbcTokenStore.Dialect dialect, String table) {
    this.dialect = dialect;
    this.table = table;
    String values = "(token_hash, subject, attributes, expires_at, single_use, state) VALUES (?, ?, ?, ?, ?, '"
        + LIVE + "')";
    if (dialect == JdbcTokenStore.Dialect.POSTGRESQL) {
      insert = "INSERT INTO " + table + " AS t " + values
          + " ON CONFLICT (token_hash) DO UPDATE SET subject = EXCLUDED.subject, attributes = EXCLUDED.attributes,"
          + " expires_at = EXCLUDED.expires_at, single_use = EXCLUDED.single_use, state = '" + LIVE + "',"
          + " used_at = NULL, revoked_at = NULL WHERE t.expires_at < ?";
      consume = "UPDATE " + table + " SET state = '" + USED + "', used_at = ?"
          + " WHERE token_hash = ? AND state = '" + LIVE + "' AND single_use = TRUE AND expires_at >= ?"
          + " RETURNING " + ENTRY_COLUMNS;
    } else {
      insert = "INSERT INTO " + table + " " + values;
      consume = "UPDATE " + table + " SET state = '" + USED + "', used_at = ?"
          + " WHERE token_hash = ? AND state = '" + LIVE + "' AND single_use = TRUE AND expires_at >= ?";
    }
    String deleteLive = "DELETE FROM " + table
        + " WHERE token_hash = ? AND state = '" + LIVE + "' AND single_use = TRUE AND expires_at >= ?";
    consumeByDelete = dialect == JdbcTokenStore.Dialect.POSTGRESQL
        ? deleteLive + " RETURNING " + ENTRY_COLUMNS
        : deleteLive;
    replaceExpired = "UPDATE " + table + " SET subject = ?, attributes = ?, expires_at = ?, single_use = ?,"
        + " state = '" + LIVE + "', used_at = NULL, revoked_at = NULL WHERE token_hash = ? AND expires_at < ?";
    select = "SELECT " + ENTRY_COLUMNS + ", CASE WHEN expires_at < ? THEN 1 ELSE 0 END FROM " + table
        + " WHERE token_hash = ?";
    selectForUpdate = select + " FOR UPDATE";
    revoke = "UPDATE " + table + " SET state = '" + REVOKED + "', revoked_at = ?"
        + " WHERE token_hash = ? AND state = '" + LIVE + "' AND expires_at >= ?";
    revokeAll = "UPDATE " + table + " SET state = '" + REVOKED + "', revoked_at = ?"
        + " WHERE subject = ? AND state = '" + LIVE + "' AND expires_at >= ?";
    purge = "DELETE FROM " + table + " WHERE expires_at < ?";
    probe = "SELECT 1 FROM " + table + " WHERE 1 = 0";
  }

  /** Percentage of each PostgreSQL heap page filled by inserts; the rest takes the consumed versions. */
  static final int PG_FILLFACTOR = 70;

  /** The statements that create the table and its indexes if they are missing. */
  static List<String> ddl(JdbcTokenStore.Dialect dialect, String table) {
    boolean pg = dialect == JdbcTokenStore.Dialect.POSTGRESQL;
    String binary = pg ? "BYTEA" : "BINARY(32)";
    String text = pg ? "TEXT" : "CHARACTER VARYING";
    String timestamp = "TIMESTAMP(6) WITH TIME ZONE";
    String hashCheck = pg ? "CHECK (octet_length(token_hash) = 32)," : "";
    String create = "CREATE TABLE IF NOT EXISTS " + table + " (\n"
        + "  token_hash  " + binary + " NOT NULL PRIMARY KEY,\n"
        + "  subject     " + text + " NOT NULL,\n"
        + "  attributes  " + text + " NOT NULL,\n"
        + "  expires_at  " + timestamp + " NOT NULL,\n"
        + "  single_use  BOOLEAN NOT NULL,\n"
        + "  state       VARCHAR(7) NOT NULL,\n"
        + "  used_at     " + timestamp + ",\n"
        + "  revoked_at  " + timestamp + ",\n"
        + (hashCheck.isEmpty() ? "" : "  " + hashCheck + "\n")
        + "  CHECK (state IN ('" + LIVE + "', '" + USED + "', '" + REVOKED + "'))\n"
        + ")"
        // Room on every page for the row version that consume writes, so that UPDATE is a heap-only (HOT) update:
        // it touches no index, which is what makes it cost about what a DELETE does (docs/BENCHMARKS.md).
        + (pg ? " WITH (fillfactor = " + PG_FILLFACTOR + ")" : "");
    int dot = table.lastIndexOf('.');
    String bareTable = table.substring(dot + 1);
    // PostgreSQL puts an index in its table's schema and refuses a qualified index name; H2 takes the name's schema.
    String indexPrefix = pg ? "" : table.substring(0, dot + 1); // "" when the name is not qualified (dot = -1)
    return List.of(
        create,
        "CREATE INDEX IF NOT EXISTS " + indexPrefix + bareTable + "_expires_at_idx ON " + table + " (expires_at)",
        "CREATE INDEX IF NOT EXISTS " + indexPrefix + bareTable + "_subject_idx ON " + table + " (subject)");
  }
}
