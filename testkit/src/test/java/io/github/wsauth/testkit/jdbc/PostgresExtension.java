package io.github.wsauth.testkit.jdbc;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class the JVM's one throwaway {@link PostgresCluster}, started on first use. Without PostgreSQL
 * binaries the tests are skipped with a message locally, and FAIL when {@code CI=true}: CI must run them
 * ({@code .ci/postgres.sh} installs PostgreSQL).
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class MyTest {
 *   @Test void t(PostgresCluster pg) { ... pg.jdbcUrl() ... }
 * }
 * }</pre>
 */
final class PostgresExtension implements BeforeAllCallback, ParameterResolver {
  private static PostgresCluster cluster;
  private static Throwable startFailure;

  /** The shared cluster, starting it if needed; skips or fails the caller if PostgreSQL is absent. */
  static synchronized PostgresCluster cluster() {
    if (cluster != null) {
      return cluster;
    }
    if (startFailure != null) {
      throw new IllegalStateException("the test PostgreSQL failed to start earlier", startFailure);
    }
    Path bin = binaries();
    try {
      cluster = PostgresCluster.start(bin);
      return cluster;
    } catch (Exception e) {
      startFailure = e;
      throw new IllegalStateException("could not start the test PostgreSQL", e);
    }
  }

  /** Where the PostgreSQL binaries are; skips the caller if there are none, or fails it when {@code CI=true}. */
  static Path binaries() {
    Optional<Path> bin = PostgresCluster.findBinaries();
    if (bin.isEmpty()) {
      String message = "PostgreSQL binaries not found (looked in $WSAUTH_PG_BIN, /usr/lib/postgresql/*/bin, PATH);"
          + " install them with .ci/postgres.sh or apt-get install postgresql";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("CI=true but " + message);
      }
      System.err.println("SKIPPING the PostgreSQL tests: " + message);
      Assumptions.abort(message);
    }
    return bin.get();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster();
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == PostgresCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return cluster();
  }
}
