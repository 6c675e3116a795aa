package io.github.wsauth.benchmarks;

import io.github.wsauth.IssuedToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
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
 * Opaque tokens on the in-memory store: issue, and verify (a single-use consume), against bare JDK baselines.
 *
 * <p>Single-use verification destroys its input, so every invocation needs a fresh token. Each benchmark runs in
 * {@link Mode#SingleShotTime} with a batch size: one iteration calls the method exactly {@code batchSize} times
 * and JMH reports the time per call. A {@code @Setup(Level.Iteration)} method, which JMH never times, issues
 * exactly that many tokens (it reads the batch size from {@link IterationParams}) into a fresh store, and
 * fills the baseline map with the same number of keys; the benchmark methods walk a cursor through the batch.
 * So both sides look up a map of the same size, the timer is read once per batch rather than once per call,
 * and no invocation ever sees a spent token.
 *
 * <p>Baselines, all on the same batch: {@code baselineSha256} (the SHA-256 of the token's bytes),
 * {@code baselineMapRemove} ({@code ConcurrentHashMap.remove} of a precomputed SHA-256 key) and {@code
 * baselineHashAndRemove} (both, which is what verification must do at the least), and {@code
 * baselineHashRemoveAndClock} (plus the clock read that checking expiry needs). For issue, {@code
 * baselineRandomToken} (32 bytes from {@link SecureRandom}, base64url).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, batchSize = OpaqueTokenBenchmark.BATCH)
@Measurement(iterations = 10, batchSize = OpaqueTokenBenchmark.BATCH)
@Fork(value = 2, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class OpaqueTokenBenchmark {
  /** Calls per iteration (and tokens per batch): large enough to amortise the timer, small enough to set up fast. */
  static final int BATCH = 100_000;

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  /** A batch of freshly issued single-use tokens, their store, and a baseline map of the same size. */
  @State(Scope.Thread)
  public static class Batch {
    final Clock clock = Clock.systemUTC();
    // Long enough that no token of a batch expires while the batch is consumed; reusable = false (the default).
    final TokenPolicy policy = TokenPolicy.builder().lifetime(Duration.ofMinutes(10)).build();
    TokenIssuer issuer;
    TokenVerifier verifier;
    String[] tokens;
    ByteBuffer[] keys;
    ConcurrentHashMap<ByteBuffer, String> baselineMap;
    MessageDigest sha256;
    SecureRandom random;
    int cursor;

    @Setup(Level.Iteration)
    public void setUp(IterationParams iteration) throws NoSuchAlgorithmException {
      int n = iteration.getBatchSize();
      int capacity = Math.max(TokenStore.DEFAULT_MAX_TOKENS, 2 * n);
      TokenStore verifyStore = TokenStore.inMemory(clock, capacity);
      TokenIssuer batchIssuer = TokenIssuer.opaque(verifyStore, policy, clock);
      verifier = TokenVerifier.opaque(verifyStore, policy);
      // The issue benchmark starts from an empty store, like a server that just started.
      issuer = TokenIssuer.opaque(TokenStore.inMemory(clock, capacity), policy, clock);
      sha256 = MessageDigest.getInstance("SHA-256");
      random = new SecureRandom();
      tokens = new String[n];
      keys = new ByteBuffer[n];
      baselineMap = new ConcurrentHashMap<>();
      for (int i = 0; i < n; i++) {
        String token = batchIssuer.issue("alice").value();
        tokens[i] = token;
        keys[i] = ByteBuffer.wrap(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
        baselineMap.put(keys[i], "alice");
      }
      cursor = 0;
      // Collect the setup's garbage and promote the batch now, so the timed part does not pay for it.
      System.gc();
    }
  }

  @Benchmark
  public Verification verify(Batch b) {
    return b.verifier.verify(b.tokens[b.cursor++]);
  }

  /** A component of verify: {@link TokenHash#of}, against {@code baselineSha256}. */
  @Benchmark
  public TokenHash tokenHash(Batch b) {
    return TokenHash.of(b.tokens[b.cursor++]);
  }

  @Benchmark
  public byte[] baselineSha256(Batch b) {
    return b.sha256.digest(b.tokens[b.cursor++].getBytes(StandardCharsets.UTF_8));
  }

  @Benchmark
  public String baselineMapRemove(Batch b) {
    return b.baselineMap.remove(b.keys[b.cursor++]);
  }

  @Benchmark
  public String baselineHashAndRemove(Batch b) {
    byte[] digest = b.sha256.digest(b.tokens[b.cursor++].getBytes(StandardCharsets.UTF_8));
    return b.baselineMap.remove(ByteBuffer.wrap(digest));
  }

  /**
   * Not the issue's baseline but what any verifier of expiring tokens must add to it: one read of the clock. On
   * this machine's clock source the read waits for the lookup's cache misses, so it costs far more in this batch
   * than on its own.
   */
  @Benchmark
  public Instant baselineHashRemoveAndClock(Batch b) {
    byte[] digest = b.sha256.digest(b.tokens[b.cursor++].getBytes(StandardCharsets.UTF_8));
    b.baselineMap.remove(ByteBuffer.wrap(digest));
    return b.clock.instant();
  }

  @Benchmark
  public IssuedToken issue(Batch b) {
    b.cursor++;
    return b.issuer.issue("alice");
  }

  @Benchmark
  public String baselineRandomToken(Batch b) {
    b.cursor++;
    byte[] bytes = new byte[32];
    b.random.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }
}
