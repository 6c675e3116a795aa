package io.github.wsauth.benchmarks;

import io.github.wsauth.TokenPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** auth0 java-jwt on the token of {@link JwtPeersBenchmark}, with the same checks; HS256 and ES256 (no EdDSA). */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class JavaJwtBenchmark {
  @Param({"HS256", "ES256"})
  public String alg;

  private JwtPeers peers;

  @Setup
  public void setUp() throws Exception {
    TokenPolicy policy = TokenPolicy.builder().reusable().lifetime(Duration.ofHours(1)).build();
    JwtFixtures f = new JwtFixtures(alg);
    peers = new JwtPeers(f, f.issuer(policy, Clock.systemUTC()).issue("alice").value());
    peers.check();
  }

  @Benchmark
  public Object javaJwt() {
    return peers.javaJwt();
  }
}
