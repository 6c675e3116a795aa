package io.github.wsauth.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * What every handshake benchmark does around its servers: the fixtures for its credential kind, pinning the fork
 * to one CPU before the last warmup iterations ({@link HandshakeFixtures}), and a fresh batch of single-use tokens
 * before each invocation (untimed). Subclasses set {@link #fixtures} in their trial setup.
 */
abstract class HandshakeBenchmarkBase {
  protected HandshakeFixtures fixtures;
  /** The upgrade requests of the next invocation, each with a token issued for it. */
  protected byte[][] requests;

  @Setup(Level.Iteration)
  public void pin(IterationParams iteration) {
    fixtures.beforeIteration(iteration);
  }

  @Setup(Level.Invocation)
  public void tokens() {
    requests = fixtures.requests(HandshakeFixtures.HANDSHAKES);
  }
}
