package io.github.wsauth.jakarta.jetty;

import io.github.wsauth.jakarta.it.CookieBridgeScenarios;
import io.github.wsauth.jakarta.it.ServerHarness;

/** The servlet cookie bridge on Jetty, installed with {@code WsAuthCookieBridgeServlet.install}. */
class JettyCookieBridgeTest extends CookieBridgeScenarios {
  @Override
  protected ServerHarness harness() {
    return new JettyScenariosTest.JettyHarness();
  }
}
