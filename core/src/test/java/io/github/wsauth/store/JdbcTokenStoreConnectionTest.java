package io.github.wsauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the JDBC store does with the connections it borrows, on embedded H2 behind a watching proxy: every statement
 * bounded by the query timeout, a connection handed back as it came, a failed commit that consumes nothing, retries
 * that end, and the dialect and table set-up. The {@code TokenStore} contract itself is run by the testkit module.
 */
class JdbcTokenStoreConnectionTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(START, ZoneOffset.UTC);

  private JdbcDataSource h2;
  /** The proxies handed out so far, newest last. */
  private final List<Watched> handedOut = new CopyOnWriteArrayList<>();

  @BeforeEach
  void newDatabase() {
    h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    h2.setUser("sa");
  }

  private static StoredToken entry(boolean singleUse) {
    return new StoredToken(TokenHash.of(UUID.randomUUID().toString()), "alice", Map.of("role", "admin"),
        START.plusSeconds(60), singleUse);
  }

  /** A store on H2 with its table created, for setting up rows without any proxy in the way. */
  private JdbcTokenStore plain() {
    return JdbcTokenStore.builder(h2).clock(CLOCK).createTableIfMissing(true).build();
  }

  /** A data source whose every connection is a {@link Watched} proxy set up by {@code setUp}. */
  private DataSource watched(java.util.function.Consumer<Watched> setUp) {
    return new FakeDataSource(() -> {
      Watched w = new Watched(h2.getConnection());
      setUp.accept(w);
      handedOut.add(w);
      return w.proxy();
    });
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void everyStatement_carriesTheQueryTimeout_beforeItRuns(boolean keepUsedTokens) {
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> {})).clock(CLOCK).createTableIfMissing(true)
        .queryTimeout(Duration.ofSeconds(7)).keepUsedTokens(keepUsedTokens).build();
    StoredToken single = entry(true);
    StoredToken reusable = entry(false);
    store.saveIfAbsent(single);
    store.saveIfAbsent(single); // the duplicate path: insert, replace-expired, read
    store.saveIfAbsent(reusable);
    store.find(single.hash());
    store.consume(single.hash());
    store.consume(single.hash());
    store.consume(reusable.hash());
    store.revoke(reusable.hash());
    store.revokeAll("alice");
    store.purgeExpired();

    List<String> executed = new ArrayList<>();
    handedOut.forEach(w -> executed.addAll(w.executed));
    assertThat(executed).hasSizeGreaterThan(15)
        .anySatisfy(e -> assertThat(e).startsWith("CREATE TABLE"))
        .anySatisfy(e -> assertThat(e).startsWith("INSERT"))
        .anySatisfy(e -> assertThat(e).startsWith(keepUsedTokens ? "UPDATE" : "DELETE"))
        .allSatisfy(e -> assertThat(e).endsWith(" [timeout 7 s]"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"autocommit, kept", "autocommit, deleted", "manual, kept", "manual, deleted"})
  void connection_isHandedBackInTheStateItCameIn(String mode) {
    boolean autoCommit = mode.startsWith("autocommit");
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> w.autoCommitAtStart = autoCommit)).clock(CLOCK)
        .createTableIfMissing(true).keepUsedTokens(mode.endsWith("kept")).build();
    StoredToken t = entry(true);
    assertThat(store.saveIfAbsent(t)).isTrue();
    assertThat(store.consume(t.hash()).isValid()).isTrue();
    assertThat(store.consume(t.hash()).isValid()).isFalse(); // the losing path
    store.find(t.hash());
    store.revokeAll("alice");

    assertThat(handedOut).hasSize(5).allSatisfy(w -> {
      assertThat(w.closed).isTrue();
      assertThat(w.autoCommitAtClose).as("auto-commit when handed back").isEqualTo(autoCommit);
    });
    // What was done is committed: another connection sees the token used (or gone).
    assertThat(plain().find(t.hash()).status()).isIn(TokenLookup.Status.ALREADY_USED, TokenLookup.Status.NOT_FOUND);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void consume_commitFails_rollsBackAndConsumesNothing(boolean keepUsedTokens) {
    StoredToken t = entry(true);
    plain().saveIfAbsent(t);
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> w.failCommits = 1)).clock(CLOCK)
        .keepUsedTokens(keepUsedTokens).build();

    assertThatThrownBy(() -> store.consume(t.hash())).isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessage("JDBC token store could not consume a token (SQLState 08006)");
    assertThat(handedOut.get(0).calls).contains("commit", "rollback");
    assertThat(plain().consume(t.hash()).isValid()).as("the failed consume used nothing up").isTrue();
  }

  @Test
  void consume_commitAndRollbackFail_theRollbackFailureTravelsWithTheCause() {
    StoredToken t = entry(true);
    plain().saveIfAbsent(t);
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> {
      w.failCommits = 1;
      w.failRollbacks = true;
    })).clock(CLOCK).build();

    assertThatThrownBy(() -> store.consume(t.hash())).isInstanceOf(TokenStoreUnavailableException.class)
        .cause().hasMessage("commit failed")
        .satisfies(cause -> assertThat(cause.getSuppressed()).singleElement()
            .satisfies(s -> assertThat(s).hasMessage("rollback failed")));
  }

  @Test
  void save_insertFailingForAnotherReason_isNotTakenForADuplicate() {
    plain().purgeExpired(); // creates the table
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> w.failExecute = sql -> sql.startsWith("INSERT")
        ? new SQLException("disk full", "53100") : null)).clock(CLOCK).build();

    assertThatThrownBy(() -> store.saveIfAbsent(entry(true))).isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessage("JDBC token store could not save a token (SQLState 53100)");
    assertThat(handedOut.get(0).executed).singleElement().satisfies(e -> assertThat(e).startsWith("INSERT"));
  }

  @Test
  void save_entryThatKeepsChanging_givesUpAfterThreeAttempts() {
    plain().purgeExpired();
    // Every insert collides, yet the row is never there to read: purged between the statements, again and again.
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> w.failExecute = sql -> sql.startsWith("INSERT")
        ? new SQLException("duplicate key", "23505") : null)).clock(CLOCK).build();

    assertThatThrownBy(() -> store.saveIfAbsent(entry(true))).isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessage("JDBC token store could not save a token: the entry kept changing");
    assertThat(handedOut.get(0).executed.stream().filter(e -> e.startsWith("INSERT"))).hasSize(3);
  }

  @Test
  void consume_rowThatKeepsChanging_givesUpAfterThreeAttempts() {
    StoredToken t = entry(true);
    plain().saveIfAbsent(t);
    // The consuming update never wins, yet the row reads as live and single-use each time.
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> w.fakeUpdateCount = sql -> sql.contains("SET state")
        ? 0 : null)).clock(CLOCK).build();

    assertThatThrownBy(() -> store.consume(t.hash())).isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessage("JDBC token store could not consume a token: the entry kept changing");
    assertThat(handedOut.get(0).executed.stream().filter(e -> e.contains("SET state"))).hasSize(3);
    assertThat(plain().consume(t.hash()).isValid()).isTrue();
  }

  @Test
  void consume_consumedRowUnreadableInItsOwnTransaction_isUnavailable_andConsumesNothing() {
    StoredToken t = entry(true);
    plain().saveIfAbsent(t);
    // The update wins, and the read in the same transaction finds no row (a driver or database gone wrong).
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> w.emptyResult = sql -> sql.startsWith("SELECT")))
        .clock(CLOCK).build();

    assertThatThrownBy(() -> store.consume(t.hash())).isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessage("JDBC token store could not consume a token (SQLState null)")
        .cause().hasMessage("the consumed row vanished inside its transaction");
    assertThat(plain().consume(t.hash()).isValid()).as("the failed consume used nothing up").isTrue();
  }

  @Test
  void configuredDialect_isUsed_whateverTheDatabaseCallsItself() {
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> w.productName = "H2 fork 9")).clock(CLOCK)
        .dialect(JdbcTokenStore.Dialect.H2).createTableIfMissing(true).build();
    assertThat(store.toString()).isEqualTo("JdbcTokenStore[table=wsauth_tokens, dialect=H2]");
    StoredToken t = entry(true);
    assertThat(store.saveIfAbsent(t)).isTrue();
    assertThat(store.consume(t.hash()).isValid()).isTrue();
    assertThat(handedOut.get(0).calls).doesNotContain("getMetaData");
  }

  @Test
  void databaseWithoutAProductName_isAConfigurationError() {
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> w.productName = Watched.NO_NAME)).clock(CLOCK).build();
    assertThatThrownBy(() -> store.find(TokenHash.of("x"))).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("JdbcTokenStore does not know the database 'null'");
  }

  @Test
  void createTable_statementFailingOnce_isRunAgain() {
    // Two nodes creating the table at once: one of them sees its CREATE fail, and IF NOT EXISTS makes the retry pass.
    int[] creates = {0};
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> w.failExecute = sql ->
        sql.startsWith("CREATE TABLE") && creates[0]++ == 0 ? new SQLException("catalog conflict", "23505") : null))
        .clock(CLOCK).createTableIfMissing(true).build();
    StoredToken t = entry(true);
    assertThat(store.saveIfAbsent(t)).isTrue();
    assertThat(creates[0]).isEqualTo(2);
    assertThat(plain().find(t.hash()).isValid()).isTrue();
  }

  @Test
  void createTable_statementFailingTwice_isUnavailable_withBothFailures() {
    JdbcTokenStore store = JdbcTokenStore.builder(watched(w -> w.failExecute = sql -> sql.startsWith("CREATE TABLE")
        ? new SQLException("permission denied", "42501") : null)).clock(CLOCK).createTableIfMissing(true).build();
    assertThatThrownBy(() -> store.saveIfAbsent(entry(true))).isInstanceOf(TokenStoreUnavailableException.class)
        .hasMessage("JDBC token store could not save a token (SQLState 42501)")
        .cause().satisfies(second -> assertThat(second.getSuppressed()).singleElement()
            .satisfies(first -> assertThat(first).hasMessage("permission denied")));
    // Nothing was set up: the next call tries again (and the database, fixed meanwhile, works).
    assertThat(JdbcTokenStore.builder(h2).clock(CLOCK).createTableIfMissing(true).build().saveIfAbsent(entry(true)))
        .isTrue();
  }

  /** A real H2 connection behind a proxy that records what the store does with it, and fails where told to. */
  static final class Watched implements InvocationHandler {
    static final String NO_NAME = "(none)";

    private final Connection real;
    final List<String> calls = new CopyOnWriteArrayList<>();
    /** Each statement executed, with the query timeout it carried: "SQL [timeout n s]". */
    final List<String> executed = new CopyOnWriteArrayList<>();
    Boolean autoCommitAtStart;
    Boolean autoCommitAtClose;
    boolean closed;
    int failCommits;
    boolean failRollbacks;
    String productName;
    Function<String, SQLException> failExecute = sql -> null;
    Function<String, Integer> fakeUpdateCount = sql -> null;
    java.util.function.Predicate<String> emptyResult = sql -> false;

    Watched(Connection real) {
      this.real = real;
    }

    Connection proxy() throws SQLException {
      if (autoCommitAtStart != null) {
        real.setAutoCommit(autoCommitAtStart);
      }
      return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
          this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      calls.add(name);
      switch (name) {
        case "commit":
          if (failCommits > 0) {
            failCommits--;
            throw new SQLException("commit failed", "08006");
          }
          break;
        case "rollback":
          if (failRollbacks) {
            real.rollback();
            throw new SQLException("rollback failed", "08006");
          }
          break;
        case "close":
          if (!closed) {
            autoCommitAtClose = real.getAutoCommit();
            closed = true;
          }
          break;
        case "getMetaData":
          if (productName != null) {
            DatabaseMetaData meta = real.getMetaData();
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DatabaseMetaData.class},
                (p, m, a) -> m.getName().equals("getDatabaseProductName")
                    ? (NO_NAME.equals(productName) ? null : productName) : call(m, meta, a));
          }
          break;
        case "prepareStatement":
          return statement(PreparedStatement.class, (PreparedStatement) call(method, real, args), (String) args[0]);
        case "createStatement":
          return statement(Statement.class, (Statement) call(method, real, args), null);
        default:
          break;
      }
      return call(method, real, args);
    }

    private <S extends Statement> S statement(Class<S> type, S statement, String preparedSql) {
      int[] timeout = {0};
      return type.cast(Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (p, m, a) -> {
        String name = m.getName();
        if (name.equals("setQueryTimeout")) {
          timeout[0] = (Integer) a[0];
        } else if (name.startsWith("execute")) {
          String sql = preparedSql != null ? preparedSql : (String) a[0];
          executed.add(sql + " [timeout " + timeout[0] + " s]");
          SQLException failure = failExecute.apply(sql);
          if (failure != null) {
            throw failure;
          }
          if (name.equals("executeQuery") && emptyResult.test(sql)) {
            return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {java.sql.ResultSet.class},
                (r, rm, ra) -> rm.getName().equals("next") ? Boolean.FALSE : null);
          }
          Integer fake = name.equals("executeUpdate") ? fakeUpdateCount.apply(sql) : null;
          if (fake != null) {
            return fake;
          }
        }
        return call(m, statement, a);
      }));
    }

    private static Object call(Method method, Object target, Object[] args) throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
