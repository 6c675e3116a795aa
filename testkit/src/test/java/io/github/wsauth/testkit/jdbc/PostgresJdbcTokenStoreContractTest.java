package io.github.wsauth.testkit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.store.JdbcTokenStore;
import io.github.wsauth.testkit.MutableClock;
import io.github.wsauth.testkit.TokenStoreContractTest;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The JDBC store on PostgreSQL ({@code ON CONFLICT}, {@code UPDATE ... RETURNING}) keeps the contract. The table
 * is created from the documented DDL ({@link JdbcTokenStore.Dialect#ddl}), as a migration would.
 */
@ExtendWith(PostgresExtension.class)
class PostgresJdbcTokenStoreContractTest extends TokenStoreContractTest {
  private static final String TABLE = "contract_tokens";
  private static HikariDataSource pool;

  @BeforeAll
  static void createTable(PostgresCluster pg) throws Exception {
    pool = Pools.pool("pg-contract", pg.jdbcUrl(), pg.user(), 20, 10_000);
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      for (String ddl : JdbcTokenStore.Dialect.POSTGRESQL.ddl(TABLE)) {
        st.execute(ddl);
      }
    }
  }

  @AfterAll
  static void closePool() {
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  protected TokenStore createStore(MutableClock clock) throws Exception {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.execute("TRUNCATE TABLE " + TABLE);
    }
    return JdbcTokenStore.builder(pool).table(TABLE).clock(clock).keepUsedTokens(keepsUsedEntries()).build();
  }
}
