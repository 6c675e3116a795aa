package io.github.wsauth.benchmarks;

import io.github.wsauth.TokenVerifier;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * wsauth's ES256 and EdDSA verification against the JDK floor ({@link JwtPeers#jdk()}), <em>paired</em>: each
 * invocation verifies the token once with wsauth and once with the bare JDK {@code Signature}, in alternating
 * order, and times each with {@link System#nanoTime()} (about 25 ns against 400-900 µs of signature work). On a
 * shared machine the time of one signature check drifts by ±10-15% from one iteration or JVM to the next
 * ({@link JwtPeersBenchmark} measures the two in different forks, minutes apart, so that drift lands in one and
 * not the other); here both see the same drift, and the ratio of the two sums ({@code wsauthNanos / floorNanos},
 * per iteration) is what wsauth adds to the signature. The primary score is the time of the pair.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(3)
@State(Scope.Thread)
public class JwtSignatureOverheadBenchmark {
  @Param({"ES256", "EdDSA"})
  public String alg;

  private String token;
  private TokenVerifier wsauth;
  private JwtPeers floor;
  private boolean wsauthFirst;

  /** Nanoseconds spent in each of the two verifications during one iteration (JMH sums them per iteration). */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Times {
    /** Nanoseconds in wsauth's {@code verify} during the iteration. */
    public long wsauthNanos;
    /** Nanoseconds in the JDK floor's {@code Signature.verify} during the iteration. */
    public long floorNanos;

    /** Starts each iteration from zero. */
    @Setup(Level.Iteration)
    public void reset() {
      wsauthNanos = 0;
      floorNanos = 0;
    }
  }

  @Setup
  public void setUp() throws Exception {
    JwtFixtures f = new JwtFixtures(alg);
    JwtFixtures.Reusable r = f.reusable();
    token = r.token();
    wsauth = r.wsauth();
    floor = new JwtPeers(f, token);
    if (!floor.jdk()) {
      throw new IllegalStateException("the JDK floor rejects the benchmark token");
    }
  }

  @Benchmark
  public boolean pair(Times times) throws Exception {
    boolean ok;
    wsauthFirst = !wsauthFirst;
    if (wsauthFirst) {
      long t0 = System.nanoTime();
      ok = wsauth.verify(token).isVerified();
      long t1 = System.nanoTime();
      ok &= floor.jdk();
      long t2 = System.nanoTime();
      times.wsauthNanos += t1 - t0;
      times.floorNanos += t2 - t1;
    } else {
      long t0 = System.nanoTime();
      ok = floor.jdk();
      long t1 = System.nanoTime();
      ok &= wsauth.verify(token).isVerified();
      long t2 = System.nanoTime();
      times.floorNanos += t1 - t0;
      times.wsauthNanos += t2 - t1;
    }
    if (!ok) {
      throw new IllegalStateException("a verification failed");
    }
    return ok;
  }
}
