package io.github.wsauth.jakarta.tomcat;

import io.github.wsauth.jakarta.it.ServerHarness;
import io.github.wsauth.jakarta.it.SharedTable;

/** The shared scenario table on embedded Tomcat 11 behind WsAuthFilter. */
class TomcatSharedTableTest extends SharedTable {
  @Override
  protected ServerHarness harness() {
    return new TomcatScenariosTest.TomcatHarness();
  }
}
