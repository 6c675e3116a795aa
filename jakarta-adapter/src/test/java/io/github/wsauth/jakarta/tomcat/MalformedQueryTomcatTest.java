package io.github.wsauth.jakarta.tomcat;

import io.github.wsauth.jakarta.it.MalformedQueryScenarios;
import io.github.wsauth.jakarta.it.ServerHarness;

/** Issue 13, item 6 on Tomcat 11: before the fix Tomcat answered 500 after the token was consumed. */
class MalformedQueryTomcatTest extends MalformedQueryScenarios {
  @Override
  protected ServerHarness harness() {
    return new TomcatScenariosTest.TomcatHarness();
  }

  @Override
  protected String expectedBody() {
    return "malformed query string\n";
  }
}
