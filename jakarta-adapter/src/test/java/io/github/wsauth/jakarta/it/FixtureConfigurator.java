package io.github.wsauth.jakarta.it;

import io.github.wsauth.jakarta.WsAuthConfigurator;

/** The annotated-endpoint pattern: a no-argument subclass of {@link WsAuthConfigurator}. */
public final class FixtureConfigurator extends WsAuthConfigurator {
  public FixtureConfigurator() {
    super(Fixture.current().handshakeConfig);
  }
}
