package io.github.wsauth.jakarta.tyrus;

import io.github.wsauth.jakarta.it.MalformedQueryScenarios;
import io.github.wsauth.jakarta.it.ServerHarness;

/** Issue 13, item 6 on standalone Tyrus 2.2: the configurator answers, without a body. */
class MalformedQueryTyrusTest extends MalformedQueryScenarios {
  @Override
  protected ServerHarness harness() {
    return new TyrusScenariosTest.TyrusHarness();
  }

  @Override
  protected String expectedBody() {
    return "";
  }
}
