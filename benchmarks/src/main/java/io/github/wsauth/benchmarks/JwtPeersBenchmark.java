package io.github.wsauth.benchmarks;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.jwt.JwtTokens;
import io.github.wsauth.jwt.JwtVerifierConfig;
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
 * JWT verification of one reusable token by wsauth (the lean path; and a hit of its verified-token cache) and by
 * the other Java JWT libraries with the same checks ({@link JwtPeers}), bare Nimbus ({@link
 * JwtFixtures#baselineProcessor}), and the floor: the JDK's MAC or signature verification of the same bytes.
 * auth0 java-jwt has no EdDSA, so it has its own class ({@link JavaJwtBenchmark}). Run with {@code -prof gc} for
 * the allocation per verification ({@code benchmarks/run.sh --only jwt-peers}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class JwtPeersBenchmark {
  @Param({"HS256", "ES256", "EdDSA"})
  public String alg;

  private String token;
  private TokenVerifier wsauth;
  private TokenVerifier wsauthCached;
  private DefaultJWTProcessor<SecurityContext> nimbus;
  private JwtPeers peers;

  @Setup
  public void setUp() throws Exception {
    JwtFixtures f = new JwtFixtures(alg);
    JwtFixtures.Reusable r = f.reusable();
    token = r.token();
    wsauth = r.wsauth();
    nimbus = r.nimbus();
    wsauthCached = JwtTokens.verifier(JwtVerifierConfig.builder().issuer(JwtFixtures.ISSUER)
        .audience(JwtFixtures.AUDIENCE).algorithms(f.algorithm).keys(f.verificationKeys).policy(r.policy())
        .clock(r.clock()).verifiedTokenCache(1024).build());
    if (!wsauthCached.verify(token).isVerified()) {
      throw new IllegalStateException("wsauth's cached verifier rejects the benchmark token");
    }
    peers = new JwtPeers(f, token);
    peers.check();
  }

  @Benchmark
  public Verification wsauth() {
    return wsauth.verify(token);
  }

  @Benchmark
  public Verification wsauthCacheHit() {
    return wsauthCached.verify(token);
  }

  @Benchmark
  public JWTClaimsSet nimbus() throws Exception {
    return nimbus.process(token, null);
  }

  @Benchmark
  public Object jjwt() {
    return peers.jjwt();
  }

  @Benchmark
  public Object jose4j() throws Exception {
    return peers.jose4j();
  }

  @Benchmark
  public boolean jdkFloor() throws Exception {
    return peers.jdk();
  }
}
