package io.github.wsauth.benchmarks;

import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.internal.RevocationKeys;
import io.github.wsauth.store.TokenStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the revocation checks cost a reusable HS256 JWT verification (issue 15): the same token verified without a
 * store ({@code noStore}: no revocation record read) and with the in-memory store ({@code withStore}: the
 * {@code jti}'s record and the subject's "revoked before T" records, two {@code find}s when nothing was revoked);
 * {@code subjectLookup} is the subject check alone ({@code RevocationKeys.isSubjectRevoked}: one {@code find}, so
 * one SHA-256 of the record key and one map lookup).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Benchmark)
public class JwtRevocationCheckBenchmark {
  private String token;
  private TokenVerifier noStore;
  private TokenVerifier withStore;
  private TokenStore store;
  private Instant issuedAt;

  @Setup
  public void setUp() throws Exception {
    Clock clock = Clock.systemUTC();
    TokenPolicy policy = TokenPolicy.builder().reusable().lifetime(Duration.ofHours(1)).build();
    JwtFixtures f = new JwtFixtures("HS256");
    store = TokenStore.inMemory(clock);
    issuedAt = clock.instant();
    token = f.issuer(policy, clock).issue("alice").value();
    noStore = f.verifier(policy, null, clock);
    withStore = f.verifier(policy, store, clock);
    // another subject revoked: records exist in the store, none of them alice's
    RevocationKeys.revokeSubjectBefore(store, "bob", clock.instant(), Duration.ofHours(1));
    if (!noStore.verify(token).isVerified() || !withStore.verify(token).isVerified()) {
      throw new IllegalStateException("the benchmark token is rejected");
    }
  }

  @Benchmark
  public Verification noStore() {
    return noStore.verify(token);
  }

  @Benchmark
  public Verification withStore() {
    return withStore.verify(token);
  }

  @Benchmark
  public boolean subjectLookup() {
    return RevocationKeys.isSubjectRevoked(store, "alice", issuedAt);
  }
}
