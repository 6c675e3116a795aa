package io.github.wsauth.benchmarks;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

/**
 * Single-use HS256 JWTs: our verifier records each {@code jti} in the in-memory store, so every call needs a
 * fresh token. Same batch method as {@link OpaqueTokenBenchmark}: each iteration (untimed setup) issues exactly
 * {@code batchSize} tokens into a fresh store; JMH reports the time per batch. The baseline is the bare Nimbus
 * processor on the same tokens (it records nothing), so the difference includes the {@code jti} bookkeeping.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, batchSize = JwtSingleUseBenchmark.BATCH)
@Measurement(iterations = 10, batchSize = JwtSingleUseBenchmark.BATCH)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JwtSingleUseBenchmark {
  static final int BATCH = 20_000;

  /** A batch of single-use HS256 tokens and a fresh store for their ids. */
  @State(Scope.Thread)
  public static class Batch {
    final Clock clock = Clock.systemUTC();
    final TokenPolicy policy = TokenPolicy.builder().singleUse().lifetime(Duration.ofMinutes(10)).build();
    JwtFixtures fixtures;
    TokenIssuer issuer;
    DefaultJWTProcessor<SecurityContext> baseline;
    TokenVerifier verifier;
    String[] tokens;
    int cursor;

    @Setup(Level.Trial)
    public void keys() throws Exception {
      fixtures = new JwtFixtures("HS256");
      issuer = fixtures.issuer(policy, clock);
      baseline = fixtures.baselineProcessor(policy);
    }

    @Setup(Level.Iteration)
    public void batch(IterationParams iteration) {
      int n = iteration.getBatchSize();
      verifier = fixtures.verifier(policy, TokenStore.inMemory(clock, Math.max(TokenStore.DEFAULT_MAX_TOKENS, 2 * n)),
          clock);
      tokens = new String[n];
      for (int i = 0; i < n; i++) {
        tokens[i] = issuer.issue("alice").value();
      }
      cursor = 0;
      System.gc();
    }
  }

  @Benchmark
  public Verification wsauthSingleUse(Batch b) {
    return b.verifier.verify(b.tokens[b.cursor++]);
  }

  @Benchmark
  public JWTClaimsSet baselineNimbus(Batch b) throws Exception {
    return b.baseline.process(b.tokens[b.cursor++], null);
  }
}
