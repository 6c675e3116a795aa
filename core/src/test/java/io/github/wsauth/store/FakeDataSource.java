package io.github.wsauth.store;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A data source whose connections come from a function: a fake, not a mock. */
final class FakeDataSource implements DataSource {
  interface ConnectionFactory {
    Connection open() throws SQLException;
  }

  private final ConnectionFactory factory;

  FakeDataSource(ConnectionFactory factory) {
    this.factory = factory;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return factory.open();
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return factory.open();
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getGlobal();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
