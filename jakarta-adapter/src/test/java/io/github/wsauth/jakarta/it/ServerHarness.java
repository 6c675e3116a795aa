package io.github.wsauth.jakarta.it;

/** Starts one container on an ephemeral port with a {@link Fixture.Deployment}. */
public interface ServerHarness {
  /** Starts the server and returns its port. */
  int start(Fixture.Deployment deployment) throws Exception;

  /** Stops the server. */
  void stop() throws Exception;
}
