package io.github.wsauth.benchmarks;

import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenLookup;
import io.github.wsauth.store.TokenStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Single-use {@link TokenStore#consume} on one shared in-memory store from 1, 2, 4 and 8 threads, every call on a
 * distinct token, against a bare {@link ConcurrentHashMap#remove} under the same threads as the control.
 *
 * <p>Throughput mode with JMH's synchronized iterations, so every thread is timed over the same wall-clock window
 * and the score is the aggregate over all threads. Before each iteration (untimed) a fresh store and map are
 * filled with {@code pool} entries; threads claim them in chunks of {@value #CHUNK} from a shared cursor (one
 * atomic add per chunk, so the cursor is not a point of contention) and consume each exactly once. Iterations are
 * short (20 ms) so the pool outlasts them; a thread that finds it exhausted fails the run rather
 * than measure spent tokens. Hashes are precomputed: the figure is the store alone (hashing is thread-local work
 * and scales by itself).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 20, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 8, time = 20, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ConcurrentConsumeBenchmark {
  static final int CHUNK = 1024;

  /** The shared store and map, their keys, and the claim cursor. */
  @State(Scope.Benchmark)
  public static class Shared {
    /** Entries per iteration; must outlast one iteration at full speed on every core. */
    @Param({"1000000"})
    public int pool;

    TokenStore store;
    ConcurrentHashMap<TokenHash, String> map;
    TokenHash[] hashes;
    final AtomicInteger claimed = new AtomicInteger();

    @Setup(Level.Trial)
    public void keys() {
      hashes = new TokenHash[pool];
      SplittableRandom random = new SplittableRandom();
      byte[] bytes = new byte[TokenHash.LENGTH];
      for (int i = 0; i < pool; i++) {
        random.nextBytes(bytes);
        hashes[i] = TokenHash.fromBytes(bytes);
      }
    }

    @Setup(Level.Iteration)
    public void fill(BenchmarkParams params) {
      Clock clock = Clock.systemUTC();
      Instant expiry = clock.instant().plusSeconds(600);
      boolean baseline = params.getBenchmark().contains("baselineMapRemove");
      store = null;
      map = null;
      if (baseline) {
        map = new ConcurrentHashMap<>(pool);
        for (TokenHash h : hashes) {
          map.put(h, "alice");
        }
      } else {
        store = TokenStore.inMemory(clock, pool);
        for (TokenHash h : hashes) {
          store.saveIfAbsent(new StoredToken(h, "alice", Map.of(), expiry, true));
        }
      }
      claimed.set(0);
      System.gc();
    }

    int claim() {
      int start = claimed.getAndAdd(CHUNK);
      if (start + CHUNK > hashes.length) {
        throw new IllegalStateException("token pool exhausted within one iteration: raise -p pool or shorten -r");
      }
      return start;
    }
  }

  /** One thread's current chunk. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
    int end;

    @Setup(Level.Iteration)
    public void reset() {
      next = 0;
      end = 0;
    }

    TokenHash nextHash(Shared s) {
      if (next == end) {
        next = s.claim();
        end = next + CHUNK;
      }
      return s.hashes[next++];
    }
  }

  private static TokenLookup consume(Shared s, Cursor c) {
    return s.store.consume(c.nextHash(s));
  }

  private static String remove(Shared s, Cursor c) {
    return s.map.remove(c.nextHash(s));
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
