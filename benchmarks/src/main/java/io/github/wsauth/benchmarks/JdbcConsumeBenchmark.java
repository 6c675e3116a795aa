package io.github.wsauth.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.JdbcTokenStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Single-use consume on PostgreSQL: {@link JdbcTokenStore#consume} against a hand-written baseline, one {@code
 * DELETE ... RETURNING} by primary key with the expiry check, on its own narrow table (hash, subject, expiry).
 *
 * <p>Two configurations of the store: the default ({@code wsauthConsume}, one {@code UPDATE ... RETURNING} that
 * leaves a tombstone, so a replay is told apart as already used) and {@code keepUsedTokens(false)} ({@code
 * wsauthConsumeDeleting}, one {@code DELETE ... RETURNING}: the baseline's job). {@code baselineUpdateReturning}
 * splits the difference: the default store's statement, written by hand.
 *
 * <p>All go through the same HikariCP pool to the same server, one thread. Same batch method as {@link
 * OpaqueTokenBenchmark}: each iteration's untimed setup empties every table and inserts exactly {@code batchSize}
 * fresh rows into each, so all sides always start from tables of the same size. PostgreSQL runs on the same
 * machine (see {@link BenchmarkPostgres}); the figure is dominated by the round trip and the server's work, which is
 * the point: the store should add little on top of the one statement it needs.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, batchSize = JdbcConsumeBenchmark.BATCH)
@Measurement(iterations = 15, batchSize = JdbcConsumeBenchmark.BATCH)
@Fork(1)
@State(Scope.Benchmark)
public class JdbcConsumeBenchmark {
  static final int BATCH = 2_000;
  private static final String BASELINE_TABLE = "bench_baseline_tokens";
  /** The table of the store that deletes consumed tokens ({@code keepUsedTokens(false)}). */
  private static final String DELETING_TABLE = "bench_deleting_tokens";
  private static final String BASELINE_DELETE = "DELETE FROM " + BASELINE_TABLE
      + " WHERE token_hash = ? AND expires_at >= ? RETURNING subject, expires_at";
  /** A second table in the store's own schema, for the store's statement written by hand. */
  private static final String UPDATE_TABLE = "bench_update_tokens";
  private static final String BASELINE_UPDATE = "UPDATE " + UPDATE_TABLE + " SET state = 'used', used_at = ?"
      + " WHERE token_hash = ? AND state = 'live' AND single_use = TRUE AND expires_at >= ?"
      + " RETURNING subject, attributes, expires_at, single_use, state";

  private BenchmarkPostgres postgres;
  private HikariDataSource pool;
  private JdbcTokenStore store;
  private JdbcTokenStore deletingStore;
  private TokenHash[] storeHashes;
  private TokenHash[] deletingHashes;
  private byte[][] baselineHashes;
  private byte[][] updateHashes;
  private int cursor;

  @Setup(Level.Trial)
  public void start() throws Exception {
    postgres = BenchmarkPostgres.obtain();
    HikariConfig config = new HikariConfig();
    config.setPoolName("wsauth-bench");
    config.setJdbcUrl(postgres.jdbcUrl);
    config.setUsername(postgres.user);
    if (postgres.password != null) {
      config.setPassword(postgres.password);
    }
    config.setMaximumPoolSize(2);
    pool = new HikariDataSource(config);
    store = JdbcTokenStore.builder(pool).createTableIfMissing(true).build();
    store.purgeExpired(); // first use: detects the dialect and creates the table
    deletingStore = JdbcTokenStore.builder(pool).table(DELETING_TABLE).createTableIfMissing(true)
        .keepUsedTokens(false).build();
    deletingStore.purgeExpired();
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + BASELINE_TABLE + " (token_hash BYTEA NOT NULL PRIMARY KEY,"
          + " subject TEXT NOT NULL, expires_at TIMESTAMP(6) WITH TIME ZONE NOT NULL)");
      for (String ddl : JdbcTokenStore.Dialect.POSTGRESQL.ddl(UPDATE_TABLE)) {
        st.execute(ddl);
      }
    }
  }

  @Setup(Level.Iteration)
  public void fill(IterationParams iteration) throws SQLException {
    int n = iteration.getBatchSize();
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.execute("TRUNCATE " + String.join(", ", store.table(), DELETING_TABLE, BASELINE_TABLE, UPDATE_TABLE));
    }
    SplittableRandom random = new SplittableRandom();
    Instant expiry = Instant.now().plusSeconds(600);
    storeHashes = new TokenHash[n];
    deletingHashes = new TokenHash[n];
    baselineHashes = new byte[n][];
    updateHashes = new byte[n][];
    byte[] bytes = new byte[TokenHash.LENGTH];
    for (int i = 0; i < n; i++) {
      random.nextBytes(bytes);
      storeHashes[i] = TokenHash.fromBytes(bytes);
      store.saveIfAbsent(new StoredToken(storeHashes[i], "alice", Map.of(), expiry, true));
      random.nextBytes(bytes);
      deletingHashes[i] = TokenHash.fromBytes(bytes);
      deletingStore.saveIfAbsent(new StoredToken(deletingHashes[i], "alice", Map.of(), expiry, true));
      random.nextBytes(bytes);
      baselineHashes[i] = bytes.clone();
      random.nextBytes(bytes);
      updateHashes[i] = bytes.clone();
    }
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO " + BASELINE_TABLE + " (token_hash, subject, expires_at) VALUES (?, ?, ?)")) {
      for (byte[] h : baselineHashes) {
        ps.setBytes(1, h);
        ps.setString(2, "alice");
        ps.setObject(3, OffsetDateTime.ofInstant(expiry, ZoneOffset.UTC));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO " + UPDATE_TABLE + " (token_hash, subject, attributes, expires_at, single_use, state)"
            + " VALUES (?, ?, '', ?, TRUE, 'live')")) {
      for (byte[] h : updateHashes) {
        ps.setBytes(1, h);
        ps.setString(2, "alice");
        ps.setObject(3, OffsetDateTime.ofInstant(expiry, ZoneOffset.UTC));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      for (String table : new String[] {store.table(), DELETING_TABLE, BASELINE_TABLE, UPDATE_TABLE}) {
        st.execute("VACUUM ANALYZE " + table);
      }
    }
    cursor = 0;
  }

  @TearDown(Level.Trial)
  public void stop() {
    pool.close();
    postgres.destroy();
  }

  @Benchmark
  public TokenLookup wsauthConsume() {
    TokenLookup lookup = store.consume(storeHashes[cursor++]);
    if (lookup.status() != TokenLookup.Status.VALID) {
      throw new IllegalStateException("benchmark token not consumed: " + lookup.status());
    }
    return lookup;
  }

  /**
   * The store with {@code keepUsedTokens(false)}: the same job as the baseline (a consumed token is deleted, a
   * replay is not told apart from an unknown token), through the store's code.
   */
  @Benchmark
  public TokenLookup wsauthConsumeDeleting() {
    TokenLookup lookup = deletingStore.consume(deletingHashes[cursor++]);
    if (lookup.status() != TokenLookup.Status.VALID) {
      throw new IllegalStateException("benchmark token not consumed: " + lookup.status());
    }
    return lookup;
  }

  @Benchmark
  public String baselineDeleteReturning() throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(BASELINE_DELETE)) {
      ps.setBytes(1, baselineHashes[cursor++]);
      ps.setObject(2, OffsetDateTime.now(Clock.systemUTC()));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("baseline row not deleted");
        }
        rs.getObject(2, OffsetDateTime.class);
        return rs.getString(1);
      }
    }
  }

  /**
   * Not the baseline but a decomposition: the store's own {@code UPDATE ... RETURNING} written by hand
   * (no statement timeout, no dialect dispatch), on a table of the store's schema. The gap to {@code
   * baselineDeleteReturning} is the tombstone design; the gap from here to {@code wsauthConsume} is the store's
   * Java code.
   */
  @Benchmark
  public String baselineUpdateReturning() throws SQLException {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(BASELINE_UPDATE)) {
      OffsetDateTime now = OffsetDateTime.now(Clock.systemUTC());
      ps.setObject(1, now);
      ps.setBytes(2, updateHashes[cursor++]);
      ps.setObject(3, now);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("baseline row not updated");
        }
        rs.getString(2);
        rs.getObject(3, OffsetDateTime.class);
        rs.getBoolean(4);
        return rs.getString(1);
      }
    }
  }
}
