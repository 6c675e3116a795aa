package io.github.wsauth.benchmarks;

import io.github.wsauth.StoredToken;
import io.github.wsauth.TokenHash;
import io.github.wsauth.TokenLookup;
import io.github.wsauth.TokenStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Single-use {@link TokenStore#consume} on the in-memory store from 1, 2, 4 and 8 threads, each thread on its own
 * tokens, against a bare {@link ConcurrentHashMap#remove} under the same threads as the control.
 *
 * <p>Same method as {@link OpaqueTokenBenchmark}: single-shot batches. Before each iteration (untimed) one thread
 * fills a fresh store with {@code threads x batchSize} entries; each thread then consumes its own {@code
 * batchSize} entries. JMH reports the time one thread took for its batch; aggregate throughput is {@code threads
 * x batchSize / time} (the report script computes it). Hashes are precomputed so the figure is the store alone:
 * hashing is thread-local work and scales by itself.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 10, batchSize = ConcurrentConsumeBenchmark.BATCH)
@Measurement(iterations = 10, batchSize = ConcurrentConsumeBenchmark.BATCH)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ConcurrentConsumeBenchmark {
  static final int BATCH = 100_000;

  /** The shared store and map, and every thread's slice of keys. */
  @State(Scope.Benchmark)
  public static class Shared {
    TokenStore store;
    ConcurrentHashMap<TokenHash, String> map;
    TokenHash[][] hashes;

    @Setup(Level.Iteration)
    public void setUp(BenchmarkParams benchmark, IterationParams iteration) {
      int threads = benchmark.getThreads();
      int n = iteration.getBatchSize();
      Clock clock = Clock.systemUTC();
      Instant expiry = clock.instant().plusSeconds(600);
      store = TokenStore.inMemory(clock, Math.max(TokenStore.DEFAULT_MAX_TOKENS, threads * n * 2));
      map = new ConcurrentHashMap<>();
      hashes = new TokenHash[threads][n];
      SplittableRandom random = new SplittableRandom();
      byte[] bytes = new byte[TokenHash.LENGTH];
      for (int t = 0; t < threads; t++) {
        for (int i = 0; i < n; i++) {
          for (int b = 0; b < bytes.length; b++) {
            bytes[b] = (byte) random.nextInt();
          }
          TokenHash h = TokenHash.fromBytes(bytes);
          hashes[t][i] = h;
          store.saveIfAbsent(new StoredToken(h, "alice", Map.of(), expiry, true));
          map.put(h, "alice");
        }
      }
      System.gc();
    }
  }

  /** One thread's cursor through its own slice. */
  @State(Scope.Thread)
  public static class Cursor {
    int thread;
    int next;

    @Setup(Level.Trial)
    public void index(ThreadParams params) {
      thread = params.getThreadIndex();
    }

    @Setup(Level.Iteration)
    public void rewind() {
      next = 0;
    }
  }

  private static TokenLookup consume(Shared s, Cursor c) {
    return s.store.consume(s.hashes[c.thread][c.next++]);
  }

  private static String remove(Shared s, Cursor c) {
    return s.map.remove(s.hashes[c.thread][c.next++]);
  }

  @Benchmark
  @Threads(1)
  public TokenLookup consume_1(Shared s, Cursor c) {
    return consume(s, c);
  }

  @Benchmark
  @Threads(2)
  public TokenLookup consume_2(Shared s, Cursor c) {
    return consume(s, c);
  }

  @Benchmark
  @Threads(4)
  public TokenLookup consume_4(Shared s, Cursor c) {
    return consume(s, c);
  }

  @Benchmark
  @Threads(8)
  public TokenLookup consume_8(Shared s, Cursor c) {
    return consume(s, c);
  }

  @Benchmark
  @Threads(1)
  public String baselineMapRemove_1(Shared s, Cursor c) {
    return remove(s, c);
  }

  @Benchmark
  @Threads(2)
  public String baselineMapRemove_2(Shared s, Cursor c) {
    return remove(s, c);
  }

  @Benchmark
  @Threads(4)
  public String baselineMapRemove_4(Shared s, Cursor c) {
    return remove(s, c);
  }

  @Benchmark
  @Threads(8)
  public String baselineMapRemove_8(Shared s, Cursor c) {
    return remove(s, c);
  }
}
