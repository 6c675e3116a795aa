package io.github.wsauth.jakarta.jetty;

import io.github.wsauth.jakarta.it.ServerHarness;
import io.github.wsauth.jakarta.it.SharedTable;

/** The shared scenario table on embedded Jetty 12 behind WsAuthFilter. */
class JettySharedTableTest extends SharedTable {
  @Override
  protected ServerHarness harness() {
    return new JettyScenariosTest.JettyHarness();
  }
}
