package io.github.wsauth.testkit.jdbc;

/**
 * The JDBC store on embedded H2 with {@code keepUsedTokens(false)} (a locked read and a delete in one transaction)
 * keeps the contract: exactly one winner, and a second use is {@code NOT_FOUND}. Same setup as {@link
 * H2JdbcTokenStoreContractTest}; only the mode differs.
 */
class H2DeletingJdbcTokenStoreContractTest extends H2JdbcTokenStoreContractTest {
  @Override
  protected boolean keepsUsedEntries() {
    return false;
  }
}
