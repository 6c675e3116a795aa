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

/** The JDBC store on embedded H2 (portable statements: update count, duplicate-key handling) keeps the contract. */
class H2JdbcTokenStoreContractTest extends TokenStoreContractTest {
  private static HikariDataSource pool;

  @BeforeAll
  static void openDatabase() {
    pool = Pools.pool("h2-contract", "jdbc:h2:mem:wsauth_contract;DB_CLOSE_DELAY=-1", "sa", 20, 10_000);
  }

  @AfterAll
  static void closeDatabase() {
    pool.close();
  }

  @Override
  protected TokenStore createStore(MutableClock clock) throws Exception {
    JdbcTokenStore store = JdbcTokenStore.builder(pool).clock(clock).createTableIfMissing(true)
        .keepUsedTokens(keepsUsedEntries()).build();
    store.purgeExpired(); // creates the table on first use
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.execute("TRUNCATE TABLE " + store.table());
    }
    return store;
  }
}
