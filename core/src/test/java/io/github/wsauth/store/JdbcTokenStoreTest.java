package io.github.wsauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store's own behaviour on embedded H2: configuration, DDL, failure handling and rounding. The {@code
 * TokenStore} contract itself (on H2 and PostgreSQL) is run by the testkit module.
 */
class JdbcTokenStoreTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  private JdbcDataSource h2;

  @BeforeEach
  void newDatabase() {
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    h2.setUser("sa");
  }

  private JdbcTokenStore store(DataSource ds, Clock clock) {
    return JdbcTokenStore.builder(ds).clock(clock).createTableIfMissing(true).build();
  }

  private static StoredToken entry(String subject, Map<String, String> attributes, Instant expiresAt) {
    return new StoredToken(TokenHash.of(UUID.randomUUID().toString()), subject, attributes, expiresAt, true);
  }

  @Test
  void builder_tableName_mustBeAPlainIdentifier() {
    for (String bad : new String[] {"", "1tokens", "tokens;drop table x", "a.b.c", "\"tokens\"", "to kens",
        "t".repeat(49), ".tokens", "tokens."}) {
      assertThatThrownBy(() -> JdbcTokenStore.builder(h2).table(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("identifier");
    }
    assertThat(JdbcTokenStore.builder(h2).table("auth.wsauth_tokens").build().table())
        .isEqualTo("auth.wsauth_tokens");
    assertThat(JdbcTokenStore.builder(h2).build().table()).isEqualTo(JdbcTokenStore.DEFAULT_TABLE);
  }

  @Test
  void builder_badArguments_failFast() {
    assertThatThrownBy(() -> JdbcTokenStore.builder(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> JdbcTokenStore.builder(h2).clock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> JdbcTokenStore.builder(h2).queryTimeout(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one second");
    assertThatThrownBy(() -> JdbcTokenStore.builder(h2).queryTimeout(Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one second");
    assertThatThrownBy(() -> JdbcTokenStore.builder(h2).queryTimeout(Duration.ofSeconds(Integer.MAX_VALUE + 1L)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Integer.MAX_VALUE seconds");
    assertThat(JdbcTokenStore.builder(h2).queryTimeout(Duration.ofSeconds(1))).isNotNull();
    assertThat(JdbcTokenStore.builder(h2).queryTimeout(Duration.ofSeconds(Integer.MAX_VALUE))).isNotNull();
    assertThatThrownBy(() -> JdbcTokenStore.builder(h2).dialect(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void ddl_h2_inASchema_isExactlyThis() {
    assertThat(JdbcTokenStore.Dialect.H2.ddl("auth.tokens")).containsExactly(
        "CREATE TABLE IF NOT EXISTS auth.tokens (\n"
            + "  token_hash  BINARY(32) NOT NULL PRIMARY KEY,\n"
            + "  subject     CHARACTER VARYING NOT NULL,\n"
            + "  attributes  CHARACTER VARYING NOT NULL,\n"
            + "  expires_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,\n"
            + "  single_use  BOOLEAN NOT NULL,\n"
            + "  state       VARCHAR(7) NOT NULL,\n"
            + "  used_at     TIMESTAMP(6) WITH TIME ZONE,\n"
            + "  revoked_at  TIMESTAMP(6) WITH TIME ZONE,\n"
            + "  CHECK (state IN ('live', 'used', 'revoked'))\n"
            + ")",
        // H2 takes an index name's schema; PostgreSQL puts the index in the table's schema (below).
        "CREATE INDEX IF NOT EXISTS auth.tokens_expires_at_idx ON auth.tokens (expires_at)",
        "CREATE INDEX IF NOT EXISTS auth.tokens_subject_idx ON auth.tokens (subject)");
    assertThat(JdbcTokenStore.Dialect.H2.ddl("tokens").get(1))
        .isEqualTo("CREATE INDEX IF NOT EXISTS tokens_expires_at_idx ON tokens (expires_at)");
    assertThat(JdbcTokenStore.Dialect.POSTGRESQL.ddl("auth.tokens").get(0))
        .contains("  subject     TEXT NOT NULL,\n  attributes  TEXT NOT NULL,\n")
        .contains("  CHECK (octet_length(token_hash) = 32),\n  CHECK (state IN");
  }

  @Test
  void ddl_postgresql_hasHashKeyAndPurgeAndSubjectIndexes() {
    String all = String.join(";\n", JdbcTokenStore.Dialect.POSTGRESQL.ddl("auth.tokens"));
    assertThat(all)
        .contains("CREATE TABLE IF NOT EXISTS auth.tokens")
        .contains("token_hash  BYTEA NOT NULL PRIMARY KEY")
        .contains("octet_length(token_hash) = 32")
        .contains("CREATE INDEX IF NOT EXISTS tokens_expires_at_idx ON auth.tokens (expires_at)")
        .contains("CREATE INDEX IF NOT EXISTS tokens_subject_idx ON auth.tokens (subject)")
        // Free space on every page so that consume's UPDATE is heap-only and touches no index.
        .contains(") WITH (fillfactor = 70)");
    assertThat(String.join(";\n", JdbcTokenStore.Dialect.H2.ddl("tokens"))).doesNotContain("fillfactor");
    assertThatThrownBy(() -> JdbcTokenStore.Dialect.H2.ddl("x; --")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void ddl_h2_runsTwiceInASchema() throws Exception {
    try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA auth");
      for (int i = 0; i < 2; i++) {
        for (String ddl : JdbcTokenStore.Dialect.H2.ddl("auth.tokens")) {
          st.execute(ddl);
        }
      }
    }
    JdbcTokenStore store = JdbcTokenStore.builder(h2).table("auth.tokens").build();
    StoredToken t = entry("alice", Map.of(), Instant.now().plusSeconds(60));
    assertThat(store.saveIfAbsent(t)).isTrue();
    assertThat(store.consume(t.hash()).isValid()).isTrue();
  }

  @Test
  void firstUse_detectsDialectAndCreatesTable() {
    JdbcTokenStore store = store(h2, Clock.fixed(START, ZoneOffset.UTC));
    assertThat(store.toString()).contains("dialect=auto");
    assertThat(store.find(TokenHash.of("x")).status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
    assertThat(store.toString()).isEqualTo("JdbcTokenStore[table=wsauth_tokens, dialect=H2]");
  }

  @Test
  void unknownDatabase_isAConfigurationError() {
    DataSource oracle = new FakeDataSource(() -> failingConnection(h2, m -> false, "Oracle"));
    JdbcTokenStore store = store(oracle, Clock.systemUTC());
    assertThatThrownBy(() -> store.find(TokenHash.of("x")))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("Oracle").hasMessageContaining("dialect");
  }

  @Test
  void attributes_roundTripThroughJson() {
    JdbcTokenStore store = store(h2, Clock.fixed(START, ZoneOffset.UTC));
    Map<String, String> attributes = Map.of("quote", "say \"hi\"\\", "unicode", "ünï €", "empty", "");
    StoredToken t = entry("alice", attributes, START.plusSeconds(30));
    store.saveIfAbsent(t);
    assertThat(store.consume(t.hash()).token().orElseThrow().attributes()).isEqualTo(attributes);
  }

  @Test
  void attributes_controlAndSupplementaryCharacters_roundTrip() {
    JdbcTokenStore store = store(h2, Clock.fixed(START, ZoneOffset.UTC));
    Map<String, String> attributes = Map.of("ctl", "a\u0000b\nc\u001f", "emoji", "\ud83d\ude00", "k\u0007", "\u2028");
    StoredToken t = entry("alice", attributes, START.plusSeconds(30));
    store.saveIfAbsent(t);
    assertThat(store.consume(t.hash()).token().orElseThrow().attributes()).isEqualTo(attributes);
  }

  @Test
  void attributes_unpairedSurrogate_refusedAndNothingSaved() {
    JdbcTokenStore store = store(h2, Clock.fixed(START, ZoneOffset.UTC));
    StoredToken t = entry("alice", Map.of("k", "\ud800"), START.plusSeconds(30));
    assertThatThrownBy(() -> store.saveIfAbsent(t)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attributes must not contain unpaired surrogates");
    assertThat(store.find(t.hash()).status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
  }

  @Test
  void expiry_subMicrosecond_roundsTowardsExpiry() {
    MovableClock clock = new MovableClock(START);
    JdbcTokenStore store = store(h2, clock);
    StoredToken t = entry("alice", Map.of(), START.plusNanos(500));
    store.saveIfAbsent(t);
    assertThat(store.find(t.hash()).isValid()).isTrue();
    clock.now = START.plusNanos(1);
    assertThat(store.consume(t.hash()).status()).isEqualTo(TokenLookup.Status.EXPIRED);
  }

  @Test
  void connectionFailure_isUnavailable_andSaysWhichOperation() {
    DataSource down = new FakeDataSource(() -> {
      throw new SQLTransientConnectionException("Connection to 10.0.0.1:5432 refused", "08001");
    });
    JdbcTokenStore store = store(down, Clock.systemUTC());
    TokenHash hash = TokenHash.of("a-secret-token-value");
    assertThatThrownBy(() -> store.consume(hash))
        .isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessage("JDBC token store could not consume a token (SQLState 08001)")
        .hasCauseInstanceOf(SQLTransientConnectionException.class);
    assertThatThrownBy(() -> store.saveIfAbsent(entry("alice", Map.of(), START)))
        .isInstanceOf(TokenStoreUnavailableException.class).hasMessageContaining("save");
    assertThatThrownBy(store::purgeExpired).isInstanceOf(TokenStoreUnavailableException.class);
    assertThatThrownBy(() -> store.revokeAll("alice")).isInstanceOf(TokenStoreUnavailableException.class);
  }

  @Test
  void keepUsedTokensFalse_consumeDeletesTheRow_andAReplayIsNotFound() throws Exception {
    Clock clock = Clock.fixed(START, ZoneOffset.UTC);
    JdbcTokenStore store = JdbcTokenStore.builder(h2).clock(clock).createTableIfMissing(true)
        .keepUsedTokens(false).build();
    StoredToken t = entry("alice", Map.of("role", "admin"), START.plusSeconds(30));
    StoredToken other = entry("bob", Map.of(), START.plusSeconds(30));
    store.saveIfAbsent(t);
    store.saveIfAbsent(other);

    TokenLookup won = store.consume(t.hash());
    assertThat(won.isValid()).isTrue();
    assertThat(won.token().orElseThrow().attributes()).isEqualTo(Map.of("role", "admin"));
    assertThat(rows(store.table())).as("the consumed row is gone, the other stays").isEqualTo(1);
    assertThat(store.consume(t.hash()).status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
    assertThat(store.toString()).contains("usedTokens=deleted");
  }

  @Test
  void keepUsedTokensFalse_failureAfterTheLockedRead_rollsBackAndConsumesNothing() throws Exception {
    Clock clock = Clock.fixed(START, ZoneOffset.UTC);
    StoredToken t = entry("alice", Map.of(), START.plusSeconds(30));
    store(h2, clock).saveIfAbsent(t);
    AtomicBoolean fail = new AtomicBoolean(true);
    // The delete that follows the locked read fails once (the connection drops mid-transaction).
    DataSource flaky = new FakeDataSource(() -> failingConnection(h2,
        sql -> sql.startsWith("DELETE") && fail.getAndSet(false), null));
    JdbcTokenStore store = JdbcTokenStore.builder(flaky).clock(clock).keepUsedTokens(false).build();

    assertThatThrownBy(() -> store.consume(t.hash())).isInstanceOf(TokenStoreUnavailableException.class);
    assertThat(store.consume(t.hash()).isValid()).as("nothing was consumed").isTrue();
    assertThat(store.consume(t.hash()).status()).isEqualTo(TokenLookup.Status.NOT_FOUND);
  }

  private long rows(String table) throws SQLException {
    try (Connection c = h2.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void consume_failureAfterWinningTheUpdate_rollsBackAndConsumesNothing() throws Exception {
    Clock clock = Clock.fixed(START, ZoneOffset.UTC);
    StoredToken t = entry("alice", Map.of(), START.plusSeconds(30));
    store(h2, clock).saveIfAbsent(t);
    AtomicBoolean fail = new AtomicBoolean(true);
    // The read that follows the winning update fails once (the connection drops mid-transaction).
    DataSource flaky = new FakeDataSource(() -> failingConnection(h2,
        sql -> sql.startsWith("SELECT") && fail.getAndSet(false), null));
    JdbcTokenStore store = store(flaky, clock);

    assertThatThrownBy(() -> store.consume(t.hash())).isInstanceOf(TokenStoreUnavailableException.class);
    assertThat(store.consume(t.hash()).isValid()).as("nothing was consumed").isTrue();
    assertThat(store.consume(t.hash()).status()).isEqualTo(TokenLookup.Status.ALREADY_USED);
  }

  @Test
  void pooledConnectionsWithoutAutocommit_stillPersist() throws Exception {
    Clock clock = Clock.fixed(START, ZoneOffset.UTC);
    DataSource manual = new FakeDataSource(() -> {
      Connection c = h2.getConnection();
      c.setAutoCommit(false);
      return c;
    });
    StoredToken t = entry("alice", Map.of(), START.plusSeconds(30));
    JdbcTokenStore store = store(manual, clock);
    assertThat(store.saveIfAbsent(t)).isTrue();
    assertThat(store.consume(t.hash()).isValid()).isTrue();
    assertThat(store(h2, clock).find(t.hash()).status()).isEqualTo(TokenLookup.Status.ALREADY_USED);
  }

  @Test
  void malformedRow_failsClosed() throws Exception {
    Clock clock = Clock.fixed(START, ZoneOffset.UTC);
    JdbcTokenStore store = store(h2, clock);
    StoredToken t = entry("alice", Map.of("a", "b"), START.plusSeconds(30));
    store.saveIfAbsent(t);
    try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE wsauth_tokens SET attributes = '{\"a\": 1}'");
    }
    assertThatThrownBy(() -> store.find(t.hash())).isInstanceOf(TokenStoreUnavailableException.class);
    assertThatThrownBy(() -> store.consume(t.hash())).isInstanceOf(TokenStoreUnavailableException.class);
    try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("UPDATE wsauth_tokens SET attributes = '{\"a\": \"b\"}'");
    }
    assertThat(store.consume(t.hash()).isValid()).as("the failed consume used nothing up").isTrue();
  }

  @Test
  void onlyTheHashIsStored() throws Exception {
    JdbcTokenStore store = store(h2, Clock.fixed(START, ZoneOffset.UTC));
    String token = "the-token-itself";
    store.saveIfAbsent(new StoredToken(TokenHash.of(token), "alice", Map.of(), START.plusSeconds(30), true));
    try (Connection c = h2.getConnection(); Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT * FROM wsauth_tokens")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBytes("token_hash")).isEqualTo(TokenHash.of(token).bytes());
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        assertThat(String.valueOf(rs.getObject(i))).doesNotContain(token);
      }
    }
  }

  /** A connection to the real H2 database that fails statements matching {@code failWhen}. */
  private static Connection failingConnection(DataSource real, Predicate<String> failWhen, String productName)
      throws SQLException {
    Connection c = real.getConnection();
    return (Connection) Proxy.newProxyInstance(JdbcTokenStoreTest.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          if (method.getName().equals("prepareStatement") && failWhen.test((String) args[0])) {
            throw new SQLException("connection reset", "08006");
          }
          if (method.getName().equals("getMetaData") && productName != null) {
            DatabaseMetaData meta = c.getMetaData();
            return Proxy.newProxyInstance(JdbcTokenStoreTest.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (p, m, a) ->
                    m.getName().equals("getDatabaseProductName") ? productName : m.invoke(meta, a));
          }
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** A clock the test moves by the nanosecond. */
  private static final class MovableClock extends Clock {
    volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
