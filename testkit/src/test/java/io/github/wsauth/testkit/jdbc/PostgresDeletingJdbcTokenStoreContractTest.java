package io.github.wsauth.testkit.jdbc;

/**
 * The JDBC store on PostgreSQL with {@code keepUsedTokens(false)} ({@code DELETE ... RETURNING}) keeps the
 * contract: exactly one winner, and a second use is {@code NOT_FOUND}. Same database, table and DDL as {@link
 * PostgresJdbcTokenStoreContractTest}; only the mode differs.
 */
class PostgresDeletingJdbcTokenStoreContractTest extends PostgresJdbcTokenStoreContractTest {
  @Override
  protected boolean keepsUsedEntries() {
    return false;
  }
}
