package io.github.wsauth.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

import io.github.wsauth.internal.Jdbc;

/**
 * A {@link TokenStore} in a database table, for several server processes that must share token state: a token
 * issued through one node is consumed exactly once on whichever node the client reaches. PostgreSQL is the
 * reference database; H2 works too (embedded, for trying it without a server). Uses only {@code java.sql} and a
 * {@link DataSource} you provide, normally a connection pool.
 *
 * <pre>{@code
 * TokenStore store = JdbcTokenStore.builder(dataSource)   // e.g. a HikariDataSource
 *     .table("wsauth_tokens")
 *     .createTableIfMissing(true)                         // or run Dialect.POSTGRESQL.ddl(...) in a migration
 *     .build();
 * TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), Clock.systemUTC());
 * TokenVerifier verifier = TokenVerifier.opaque(store, TokenPolicy.defaults());
 * }</pre>
 *
 * <h2>How it keeps the contract</h2>
 * <ul>
 *   <li>Only the SHA-256 of a token is stored ({@code token_hash}), never the token.</li>
 *   <li>{@link #consume} decides the winner in one statement: {@code UPDATE ... SET state = 'used' WHERE
 *       token_hash = ? AND state = 'live' AND expires_at >= ?}, with {@code RETURNING} on PostgreSQL. The
 *       database serialises concurrent updates of a row, so exactly one caller in any number of processes sees
 *       the row change. Without {@code RETURNING} (H2) the update count decides (1 = won) and the row is read in
 *       the same transaction. Losers are classified by a follow-up read, which is informational only. Used and
 *       revoked rows stay as tombstones until they expire, so a second use is told apart as {@code
 *       ALREADY_USED}; with {@link Builder#keepUsedTokens(boolean) keepUsedTokens(false)} consume deletes the row
 *       instead ({@code DELETE ... RETURNING}; portably a locked read and a delete in one transaction) and a
 *       second use is {@code NOT_FOUND}.</li>
 *   <li>{@link #saveIfAbsent} is one {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE expired} on PostgreSQL; on
 *       H2 an insert whose duplicate-key failure is followed by an update that only replaces an expired row.</li>
 *   <li>Time comes from the configured {@link Clock} and is a parameter of every query: an expired row is never
 *       returned as valid, whatever the database's own clock says. Times are kept to the microsecond, rounding
 *       towards expiry.</li>
 *   <li>Every {@link SQLException} becomes a {@link TokenStoreUnavailableException} (HTTP 503 / close 1011) whose
 *       message holds no secret; so does a row that does not decode. A failed consume leaves the row as it was:
 *       single statements in autocommit mode, or a rolled-back transaction.</li>
 * </ul>
 *
 * <p>The dialect is detected from {@link DatabaseMetaData} on first use unless {@linkplain Builder#dialect set};
 * the optional table creation also happens on first use, so a server that starts while its database is down
 * answers 503 and recovers without a restart. Expired rows are removed only by {@link #purgeExpired()}: schedule it
 * (every few minutes is plenty). See {@link Dialect#ddl(String)} for the table.
 *
 * <p>Thread-safe; share one instance per table and process.
 */
public final class JdbcTokenStore implements TokenStore {
  /** The default table name. */
  public static final String DEFAULT_TABLE = "wsauth_tokens";
  /** The default statement timeout. */
  public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);

  private static final String SQLSTATE_UNIQUE_VIOLATION = "23505";
  private static final int MAX_ATTEMPTS = 3;

  private final DataSource dataSource;
  private final String table;
  private final Clock clock;
  private final Dialect configuredDialect;
  private final boolean createTableIfMissing;
  private final int queryTimeoutSeconds;
  private final boolean keepUsedTokens;
  private final Object initLock = new Object();
  private volatile TokenTableSql sql;

  /** The SQL dialects the store speaks. */
  public enum Dialect {
    /** PostgreSQL 12 or later: {@code ON CONFLICT} and {@code RETURNING}. The reference database. */
    POSTGRESQL,
    /** H2 2.x: portable statements (update count, duplicate-key handling). */
    H2;

    /**
     * The statements that create the table and its two indexes ({@code expires_at} for the purge, {@code subject}
     * for {@link JdbcTokenStore#revokeAll}), each with {@code IF NOT EXISTS}. Run them in a migration, or let
     * {@link Builder#createTableIfMissing(boolean)} run them.
     *
     * @throws IllegalArgumentException if the table name is not a plain (optionally schema-qualified) identifier
     */
    public List<String> ddl(String table) {
      return TokenTableSql.ddl(this, validateTable(table));
    }
  }

  private JdbcTokenStore(Builder b) {
    this.dataSource = b.dataSource;
    this.table = b.table;
    this.clock = b.clock;
    this.configuredDialect = b.dialect;
    this.createTableIfMissing = b.createTableIfMissing;
    this.queryTimeoutSeconds = b.queryTimeoutSeconds;
    this.keepUsedTokens = b.keepUsedTokens;
  }

  /** Starts a builder for a store on {@code dataSource} (normally a connection pool). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The table this store uses. */
  public String table() {
    return table;
  }

  @Override
  public boolean saveIfAbsent(StoredToken token) {
    Objects.requireNonNull(token, "token must not be null");
    OffsetDateTime now = nowCeil();
    return run("save a token", (c, s) -> {
      if (s.dialect == Dialect.POSTGRESQL) {
        try (PreparedStatement ps = prepare(c, s.insert)) {
          bindEntry(ps, token);
          ps.setObject(6, now);
          return ps.executeUpdate() == 1;
        }
      }
      return saveIfAbsentPortably(c, s, token, now);
    });
  }

  private boolean saveIfAbsentPortably(Connection c, TokenTableSql s, StoredToken token, OffsetDateTime now)
      throws SQLException {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try (PreparedStatement ps = prepare(c, s.insert)) {
        bindEntry(ps, token);
        ps.executeUpdate();
        return true;
      } catch (SQLException e) {
        if (!SQLSTATE_UNIQUE_VIOLATION.equals(e.getSQLState())) {
          throw e;
        }
      }
      try (PreparedStatement ps = prepare(c, s.replaceExpired)) {
        ps.setString(1, token.subject());
        ps.setString(2, AttributeCodec.encode(token.attributes()));
        ps.setObject(3, floor(token.expiresAt()));
        ps.setBoolean(4, token.singleUse());
        ps.setBytes(5, token.hash().bytes());
        ps.setObject(6, now);
        if (ps.executeUpdate() == 1) {
          return true;
        }
      }
      if (read(c, s, token.hash(), now).isPresent()) {
        return false;
      }
      // The row was purged between the insert and the update: try again.
    }
    throw new TokenStoreUnavailableException("JDBC token store could not save a token: the entry kept changing");
  }

  @Override
  public TokenLookup find(TokenHash hash) {
    Objects.requireNonNull(hash, "hash must not be null");
    OffsetDateTime now = nowCeil();
    return run("find a token", (c, s) -> classify(read(c, s, hash, now), true));
  }

  @Override
  public TokenLookup consume(TokenHash hash) {
    Objects.requireNonNull(hash, "hash must not be null");
    OffsetDateTime now = nowCeil();
    return run("consume a token", (c, s) -> {
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        Optional<StoredToken> won;
        if (keepUsedTokens) {
          won = s.dialect == Dialect.POSTGRESQL ? consumeReturning(c, s, hash, now) : consumeThenRead(c, s, hash, now);
        } else {
          won = s.dialect == Dialect.POSTGRESQL ? deleteReturning(c, s, hash, now) : readThenDelete(c, s, hash, now);
        }
        if (won.isPresent()) {
          return TokenLookup.valid(won.get());
        }
        TokenLookup lost = classify(read(c, s, hash, now), false);
        if (lost != null) {
          return lost;
        }
        // A live single-use row the update missed: an expired row was replaced meanwhile. Race for it again.
      }
      throw new TokenStoreUnavailableException("JDBC token store could not consume a token: the entry kept changing");
    });
  }

  private Optional<StoredToken> consumeReturning(Connection c, TokenTableSql s, TokenHash hash, OffsetDateTime now)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, s.consume)) {
      bindConsume(ps, hash, now);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(entry(rs, hash)) : Optional.empty();
      }
    }
  }

  /** Delete-on-consume on PostgreSQL: one {@code DELETE ... RETURNING}; the row that comes back is the win. */
  private Optional<StoredToken> deleteReturning(Connection c, TokenTableSql s, TokenHash hash, OffsetDateTime now)
      throws SQLException {
    try (PreparedStatement ps = prepare(c, s.consumeByDelete)) {
      ps.setBytes(1, hash.bytes());
      ps.setObject(2, now);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(entry(rs, hash)) : Optional.empty();
      }
    }
  }

  /**
   * The portable delete-on-consume: in one transaction, read and lock the row, then delete it if it is still
   * live; the delete count decides the winner, and the row read under the lock is the row deleted. Any failure
   * rolls back, so nothing is consumed.
   */
  private Optional<StoredToken> readThenDelete(Connection c, TokenTableSql s, TokenHash hash, OffsetDateTime now)
      throws SQLException {
    c.setAutoCommit(false);
    try {
      Optional<Row> row = read(c, s.selectForUpdate, hash, now);
      int deleted = 0;
      if (row.isPresent()) {
        try (PreparedStatement ps = prepare(c, s.consumeByDelete)) {
          ps.setBytes(1, hash.bytes());
          ps.setObject(2, now);
          deleted = ps.executeUpdate();
        }
      }
      if (deleted != 1) {
        c.rollback();
        return Optional.empty();
      }
      c.commit();
      return Optional.of(row.get().token);
    } catch (SQLException | RuntimeException e) {
      Jdbc.rollbackQuietly(c, e);
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  /**
   * The portable consume: the update count decides the winner; the winner reads its row inside the same
   * transaction (it holds the row lock), and any failure rolls the update back so nothing is consumed.
   */
  private Optional<StoredToken> consumeThenRead(Connection c, TokenTableSql s, TokenHash hash, OffsetDateTime now)
      throws SQLException {
    c.setAutoCommit(false);
    try {
      int updated;
      try (PreparedStatement ps = prepare(c, s.consume)) {
        bindConsume(ps, hash, now);
        updated = ps.executeUpdate();
      }
      if (updated != 1) {
        c.rollback();
        return Optional.empty();
      }
      Optional<Row> row = read(c, s, hash, now);
      if (row.isEmpty()) {
        throw new SQLException("the consumed row vanished inside its transaction");
      }
      c.commit();
      return Optional.of(row.get().token);
    } catch (SQLException | RuntimeException e) {
      Jdbc.rollbackQuietly(c, e);
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  @Override
  public boolean revoke(TokenHash hash) {
    Objects.requireNonNull(hash, "hash must not be null");
    OffsetDateTime now = nowCeil();
    return run("revoke a token", (c, s) -> {
      try (PreparedStatement ps = prepare(c, s.revoke)) {
        ps.setObject(1, now);
        ps.setBytes(2, hash.bytes());
        ps.setObject(3, now);
        return ps.executeUpdate() == 1;
      }
    });
  }

  @Override
  public int revokeAll(String subject) {
    Objects.requireNonNull(subject, "subject must not be null");
    OffsetDateTime now = nowCeil();
    return run("revoke a subject's tokens", (c, s) -> {
      try (PreparedStatement ps = prepare(c, s.revokeAll)) {
        ps.setObject(1, now);
        ps.setString(2, subject);
        ps.setObject(3, now);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public int purgeExpired() {
    OffsetDateTime now = nowCeil();
    return run("purge expired tokens", (c, s) -> {
      try (PreparedStatement ps = prepare(c, s.purge)) {
        ps.setObject(1, now);
        return ps.executeUpdate();
      }
    });
  }

  /**
   * Turns a row into a lookup. Returns null for a live single-use row when the caller just failed to consume it
   * ({@code forFind} false): the row changed between the two statements.
   */
  private static TokenLookup classify(Optional<Row> found, boolean forFind) throws SQLDataException {
    if (found.isEmpty()) {
      return TokenLookup.notFound();
    }
    Row row = found.get();
    if (row.expired) {
      return TokenLookup.expired();
    }
    switch (row.state) {
      case TokenTableSql.LIVE:
        return forFind || !row.token.singleUse() ? TokenLookup.valid(row.token) : null;
      case TokenTableSql.USED:
        return TokenLookup.alreadyUsed();
      case TokenTableSql.REVOKED:
        return TokenLookup.revoked();
      default:
        // A row this store did not write: fail closed rather than guess.
        throw new SQLDataException("token table holds an unknown state");
    }
  }

  private Optional<Row> read(Connection c, TokenTableSql s, TokenHash hash, OffsetDateTime now) throws SQLException {
    return read(c, s.select, hash, now);
  }

  private Optional<Row> read(Connection c, String select, TokenHash hash, OffsetDateTime now) throws SQLException {
    try (PreparedStatement ps = prepare(c, select)) {
      ps.setObject(1, now);
      ps.setBytes(2, hash.bytes());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Row(entry(rs, hash), rs.getString(5), rs.getInt(6) == 1));
      }
    }
  }

  /** Rebuilds an entry from the columns subject, attributes, expires_at, single_use (1 to 4). */
  private static StoredToken entry(ResultSet rs, TokenHash hash) throws SQLException {
    OffsetDateTime expiresAt = rs.getObject(3, OffsetDateTime.class);
    return new StoredToken(hash, rs.getString(1), AttributeCodec.decode(rs.getString(2)), expiresAt.toInstant(),
        rs.getBoolean(4));
  }

  private static void bindEntry(PreparedStatement ps, StoredToken token) throws SQLException {
    ps.setBytes(1, token.hash().bytes());
    ps.setString(2, token.subject());
    ps.setString(3, AttributeCodec.encode(token.attributes()));
    ps.setObject(4, floor(token.expiresAt()));
    ps.setBoolean(5, token.singleUse());
  }

  private static void bindConsume(PreparedStatement ps, TokenHash hash, OffsetDateTime now) throws SQLException {
    ps.setObject(1, now);
    ps.setBytes(2, hash.bytes());
    ps.setObject(3, now);
  }

  private PreparedStatement prepare(Connection c, String statement) throws SQLException {
    return Jdbc.prepare(c, statement, queryTimeoutSeconds);
  }

  /** Runs work on a pooled connection in autocommit mode; every failure becomes "unavailable". */
  private <T> T run(String operation, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      if (!autoCommit) {
        c.setAutoCommit(true);
      }
      try {
        return work.run(c, ready(c));
      } finally {
        if (!autoCommit) {
          c.setAutoCommit(false);
        }
      }
    } catch (SQLException e) {
      throw new TokenStoreUnavailableException(
          "JDBC token store could not " + operation + " (SQLState " + e.getSQLState() + ")", e);
    }
  }

  /** Detects the dialect and creates the table, once, on the first connection that works. */
  private TokenTableSql ready(Connection c) throws SQLException {
    TokenTableSql s = sql;
    if (s != null) {
      return s;
    }
    synchronized (initLock) {
      if (sql == null) {
        Dialect d = configuredDialect != null ? configuredDialect : detect(c.getMetaData());
        if (createTableIfMissing) {
          createTable(c, d);
        }
        sql = new TokenTableSql(d, table);
      }
      return sql;
    }
  }

  private void createTable(Connection c, Dialect d) throws SQLException {
    for (String ddl : TokenTableSql.ddl(d, table)) {
      try {
        execute(c, ddl);
      } catch (SQLException first) {
        // Two nodes creating the same table at once can collide even with IF NOT EXISTS (PostgreSQL's catalog
        // has its own unique indexes); once the other node is done, IF NOT EXISTS makes this a no-op.
        try {
          execute(c, ddl);
        } catch (SQLException second) {
          second.addSuppressed(first);
          throw second;
        }
      }
    }
  }

  private void execute(Connection c, String statement) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.setQueryTimeout(queryTimeoutSeconds);
      st.execute(statement);
    }
  }

  private static Dialect detect(DatabaseMetaData meta) throws SQLException {
    String product = meta.getDatabaseProductName();
    String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
    if (p.contains("postgresql")) {
      return Dialect.POSTGRESQL;
    }
    if (p.equals("h2")) {
      return Dialect.H2;
    }
    throw new IllegalStateException("JdbcTokenStore does not know the database '" + product
        + "'; supported: PostgreSQL, H2 (set Builder.dialect(...) if yours speaks one of them)");
  }

  /** The store's time rounded up to the microsecond: an entry is never valid later than it should be. */
  private OffsetDateTime nowCeil() {
    Instant now = clock.instant();
    Instant micros = now.truncatedTo(ChronoUnit.MICROS);
    return OffsetDateTime.ofInstant(micros.equals(now) ? now : micros.plus(1, ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  /** An expiry rounded down to the microsecond: an entry never lives longer than it should. */
  private static OffsetDateTime floor(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  static String validateTable(String table) {
    return Jdbc.validateTable(table, "auth.wsauth_tokens");
  }

  @Override
  public String toString() {
    TokenTableSql s = sql;
    return "JdbcTokenStore[table=" + table + ", dialect="
        + (s != null ? s.dialect : configuredDialect != null ? configuredDialect : "auto")
        + (keepUsedTokens ? "" : ", usedTokens=deleted") + "]";
  }

  /** One row as read, with whether it is expired at the time of the read. */
  private record Row(StoredToken token, String state, boolean expired) {}

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection c, TokenTableSql s) throws SQLException;
  }

  /**
   * Configures a {@link JdbcTokenStore}. Defaults: table {@value #DEFAULT_TABLE}, {@link Clock#systemUTC()},
   * dialect detected on first use, no table creation, a 5-second statement timeout, used tokens kept until they
   * expire. Not thread-safe.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private String table = DEFAULT_TABLE;
    private Clock clock = Clock.systemUTC();
    private Dialect dialect;
    private boolean createTableIfMissing;
    private int queryTimeoutSeconds = (int) DEFAULT_QUERY_TIMEOUT.getSeconds();
    private boolean keepUsedTokens = true;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
    }

    /**
     * The table: a plain identifier of at most 48 characters, optionally schema-qualified ({@code
     * auth.wsauth_tokens}). It is written into SQL unquoted, so the database folds its case as usual.
     */
    public Builder table(String table) {
      this.table = validateTable(table);
      return this;
    }

    /** The clock that decides expiry; use the same clock as the issuer. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** Sets the dialect instead of detecting it from the database's metadata. */
    public Builder dialect(Dialect dialect) {
      this.dialect = Objects.requireNonNull(dialect, "dialect must not be null");
      return this;
    }

    /** Whether to create the table and its indexes ({@link Dialect#ddl}) on first use if they are missing. */
    public Builder createTableIfMissing(boolean create) {
      this.createTableIfMissing = create;
      return this;
    }

    /**
     * The timeout of each statement (at least one second), rounded down to whole seconds as JDBC takes it (1.9 s is
     * 1 s); a timed-out statement changes nothing.
     */
    public Builder queryTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout must not be null");
      if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.getSeconds() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("query timeout must be between one second and Integer.MAX_VALUE seconds");
      }
      this.queryTimeoutSeconds = (int) timeout.getSeconds();
      return this;
    }

    /**
     * Whether a consumed single-use token stays in the table as a used entry until it expires (the default), so
     * that a replay is reported as {@code ALREADY_USED}: an attempt to use a token twice, worth an alert, told
     * apart from a token that never existed. With {@code false}, consume deletes the row instead (on PostgreSQL
     * one {@code DELETE ... RETURNING} rather than an {@code UPDATE}, which writes a new row version: about a
     * quarter less database time per consume, see docs/BENCHMARKS.md), and a replay is {@code NOT_FOUND}. Either
     * way exactly one caller wins a single-use token, and a replay is refused.
     */
    public Builder keepUsedTokens(boolean keep) {
      this.keepUsedTokens = keep;
      return this;
    }

    /** Builds the store. It does not connect: the first operation does. */
    public JdbcTokenStore build() {
      return new JdbcTokenStore(this);
    }
  }
}
