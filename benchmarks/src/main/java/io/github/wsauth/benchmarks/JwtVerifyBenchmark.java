package io.github.wsauth.benchmarks;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
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

/**
 * JWT verification, HS256, ES256 and EdDSA: our verifier against a bare Nimbus {@link DefaultJWTProcessor}
 * configured with the same checks (see {@link JwtFixtures}). Reusable-policy tokens, so no {@code jti} store is
 * involved and one token can be verified again and again; {@link JwtSingleUseBenchmark} covers single use.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(4)
@State(Scope.Benchmark)
public class JwtVerifyBenchmark {
  @Param({"HS256", "ES256", "EdDSA"})
  public String alg;

  private String token;
  private TokenVerifier verifier;
  private DefaultJWTProcessor<SecurityContext> baseline;

  @Setup
  public void setUp() throws Exception {
    JwtFixtures.Reusable r = new JwtFixtures(alg).reusable();
    token = r.token();
    verifier = r.wsauth();
    baseline = r.nimbus();
  }

  @Benchmark
  public Verification wsauth() {
    return verifier.verify(token);
  }

  @Benchmark
  public JWTClaimsSet baselineNimbus() throws Exception {
    return baseline.process(token, null);
  }
}
