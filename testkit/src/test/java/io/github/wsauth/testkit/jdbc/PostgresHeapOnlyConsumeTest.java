package io.github.wsauth.testkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.JdbcTokenStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On the documented PostgreSQL table, every consume of the default store is a heap-only (HOT) update: the new row
 * version stays on its page and no index gets an entry, which is what the table's fill factor is for. Read from
 * PostgreSQL's own counters ({@code n_tup_upd}, {@code n_tup_hot_upd}) through a single-connection pool, so the
 * backend that did the updates is the one that flushes its statistics.
 */
@ExtendWith(PostgresExtension.class)
class PostgresHeapOnlyConsumeTest {
  private static final int TOKENS = 2_000;

  @Test
  void everyConsume_isAHeapOnlyUpdate(PostgresCluster pg) throws Exception {
    String table = "hot_tokens_" + UUID.randomUUID().toString().substring(0, 8);
    try (HikariDataSource pool = Pools.pool("pg-hot", pg.jdbcUrl(), pg.user(), 1, 10_000)) {
      JdbcTokenStore store = JdbcTokenStore.builder(pool).table(table).createTableIfMissing(true).build();
      Instant expiry = Instant.now().plusSeconds(600);
      List<TokenHash> hashes = new ArrayList<>();
      for (int i = 0; i < TOKENS; i++) {
        TokenHash h = TokenHash.of(UUID.randomUUID().toString());
        hashes.add(h);
        assertThat(store.saveIfAbsent(new StoredToken(h, "alice", Map.of(), expiry, true))).isTrue();
      }
      try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
        st.execute("VACUUM ANALYZE " + table); // pages packed to the fill factor, as after a quiet night
      }
      for (TokenHash h : hashes) {
        assertThat(store.consume(h).isValid()).isTrue();
      }
      try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
        st.execute("SELECT pg_stat_force_next_flush()");
        st.execute("SELECT pg_stat_clear_snapshot()");
        try (ResultSet rs = st.executeQuery(
            "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = '" + table + "'")) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).as("updates").isEqualTo(TOKENS);
          assertThat(rs.getLong(2)).as("heap-only updates").isEqualTo(TOKENS);
        }
      }
    }
  }
}
