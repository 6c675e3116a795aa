/**
 * wsauth-testkit: the {@code TokenStore} contract tests and test helpers. Opened to JUnit, which calls the
 * contract's package-private test methods reflectively.
 */
module io.github.wsauth.testkit {
  requires transitive io.github.wsauth.core;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;

  exports io.github.wsauth.testkit;
  opens io.github.wsauth.testkit to org.junit.platform.commons;
}
