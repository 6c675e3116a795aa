package io.github.wsauth.jakarta.tomcat;

import io.github.wsauth.jakarta.it.CookieBridgeScenarios;
import io.github.wsauth.jakarta.it.ServerHarness;

/** The servlet cookie bridge on Tomcat, installed with {@code WsAuthCookieBridgeServlet.install}. */
class TomcatCookieBridgeTest extends CookieBridgeScenarios {
  @Override
  protected ServerHarness harness() {
    return new TomcatScenariosTest.TomcatHarness();
  }
}
