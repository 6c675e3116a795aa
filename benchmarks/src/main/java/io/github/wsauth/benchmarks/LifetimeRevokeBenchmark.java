package io.github.wsauth.benchmarks;

import io.github.wsauth.Identity;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.Revocation;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.store.TokenStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Closing one subject's connections among {@code connections} registered ones (issue 15): one operation registers
 * {@code perSubject} connections of the subject "alice" and then revokes alice, whose close callbacks unregister
 * them, as the adapters do when the connection closes. So every operation starts from the same registry; the close
 * frames' I/O is not included (the callback only unregisters).
 *
 * <ul>
 *   <li>{@code registry}: {@link ConnectionRegistry#register} and {@link Revoker#closeMatching} (the registry's
 *       subject index);</li>
 *   <li>{@code baselineScan}: the same connections in one {@link ConcurrentHashMap} from connection to identity,
 *       revoked by scanning every entry for the subject and removing the matches (no index);</li>
 *   <li>{@code baselineIndex}: a bare {@code ConcurrentHashMap<String, Set>} subject index, put and removed, the
 *       least any index must do.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class LifetimeRevokeBenchmark {
  private static final Instant EXPIRES = Instant.parse("2100-01-01T00:00:00Z");

  /** 100,000 registered connections of other subjects, in a registry and in the two baselines. */
  @State(Scope.Thread)
  public static class Registered {
    @Param({"100000"})
    int connections;

    @Param({"10"})
    int perSubject;

    ConnectionRegistry registry;
    Revoker revoker;
    RevocationBus bus;
    Identity[] alice;
    Map<Object, Identity> scanMap;
    Map<String, Set<Object>> index;

    @Setup(Level.Trial)
    public void setUp() {
      registry = new ConnectionRegistry();
      bus = RevocationBus.inProcess();
      revoker = Revoker.builder().store(TokenStore.inMemory(Clock.systemUTC())).bus(bus).registry(registry)
          .build();
      scanMap = new ConcurrentHashMap<>();
      index = new ConcurrentHashMap<>();
      for (int i = 0; i < connections; i++) {
        Identity id = Identity.of("user-" + i, Map.of(), EXPIRES).withTokenId("token-" + i);
        registry.register(id, (code, reason) -> { });
        Object connection = new Object();
        scanMap.put(connection, id);
        Set<Object> set = ConcurrentHashMap.newKeySet(2);
        set.add(connection);
        index.put(id.subject(), set);
      }
      alice = new Identity[perSubject];
      for (int i = 0; i < perSubject; i++) {
        alice[i] = Identity.of("alice", Map.of(), EXPIRES).withTokenId("alice-token-" + i);
      }
    }

    @TearDown(Level.Trial)
    public void check() {
      if (registry.size() != connections || scanMap.size() != connections || index.size() != connections) {
        throw new IllegalStateException("a revocation left connections behind");
      }
      revoker.close();
      bus.close();
    }
  }

  /** wsauth: register alice's connections, then revoke alice (each close unregisters); returns how many closed. */
  @Benchmark
  public int registry(Registered s) {
    ConnectionRegistry.Registration[] regs = new ConnectionRegistry.Registration[s.perSubject];
    for (int i = 0; i < s.perSubject; i++) {
      int n = i;
      regs[i] = s.registry.register(s.alice[i], (code, reason) -> regs[n].unregister());
    }
    return s.revoker.closeMatching(Revocation.subject("alice"));
  }

  /** No index: one map of connections, scanned in full for the subject. */
  @Benchmark
  public int baselineScan(Registered s) {
    for (int i = 0; i < s.perSubject; i++) {
      s.scanMap.put(new Object(), s.alice[i]);
    }
    int closed = 0;
    for (Iterator<Map.Entry<Object, Identity>> it = s.scanMap.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue().subject().equals("alice")) {
        it.remove();
        closed++;
      }
    }
    return closed;
  }

  /** The least an index does: add to the subject's set, then take the set out and remove each entry. */
  @Benchmark
  public int baselineIndex(Registered s) {
    for (int i = 0; i < s.perSubject; i++) {
      s.index.computeIfAbsent("alice", k -> ConcurrentHashMap.newKeySet(2)).add(new Object());
    }
    Set<Object> set = s.index.remove("alice");
    int closed = 0;
    for (Iterator<Object> it = set.iterator(); it.hasNext(); ) {
      it.next();
      it.remove();
      closed++;
    }
    return closed;
  }
}
