package io.github.wsauth.jakarta.jetty;

import io.github.wsauth.jakarta.it.MalformedQueryScenarios;
import io.github.wsauth.jakarta.it.ServerHarness;

/** Issue 13, item 6 on Jetty 12 (ee10), wsauth's filter in front of Jetty's upgrade filter. */
class MalformedQueryJettyTest extends MalformedQueryScenarios {
  @Override
  protected ServerHarness harness() {
    return new JettyScenariosTest.JettyHarness();
  }

  @Override
  protected String expectedBody() {
    return "malformed query string\n";
  }
}
