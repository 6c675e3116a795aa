package io.github.wsauth.lifetime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import io.github.wsauth.Identity;
import org.junit.jupiter.api.Test;

/**
 * Memory per registered connection at 100,000 connections (one subject and one token id each, as with
 * single-use tokens), printed for docs/BENCHMARKS.md. The identities and closers exist before and after, so only
 * the registry's own cost is counted.
 */
class ConnectionRegistryMemoryTest {

  @Test
  void bytesPerRegisteredConnection_at100000() {
    int n = 100_000;
    List<Identity> identities = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      identities.add(ConnectionRegistryTest.identity("user-" + i, String.format("%064x", i)));
    }
    ConnectionRegistry.Closer closer = (c, r) -> { };
    ConnectionRegistry registry = new ConnectionRegistry();
    List<ConnectionRegistry.Registration> held = new ArrayList<>(n);
    long before = usedAfterGc();
    for (Identity identity : identities) {
      held.add(registry.register(identity, closer));
    }
    long after = usedAfterGc();
    long perConnection = (after - before) / n;
    System.out.println("ConnectionRegistry: " + perConnection + " bytes per registered connection at " + n);
    assertThat(registry.size()).isEqualTo(n);
    assertThat(perConnection).as("bounded; the figure is printed above").isBetween(1L, 2048L);
    held.forEach(ConnectionRegistry.Registration::unregister);
    assertThat(registry.size()).isZero();
  }

  @Test
  void closingOneSubjectsConnections_among100000_timed() {
    ConnectionRegistry registry = new ConnectionRegistry();
    ConnectionRegistry.Closer closer = (c, r) -> { };
    for (int i = 0; i < 100_000; i++) {
      registry.register(ConnectionRegistryTest.identity("user-" + i, String.format("%064x", i)), closer);
    }
    Revoker revoker = Revoker.builder().store(io.github.wsauth.store.TokenStore.inMemory(java.time.Clock.systemUTC()))
        .bus(RevocationBus.inProcess()).registry(registry).build();
    long[] nanos = new long[201];
    for (int round = 0; round < nanos.length; round++) {
      List<ConnectionRegistry.Registration> mine = new ArrayList<>();
      for (int k = 0; k < 10; k++) {
        mine.add(registry.register(ConnectionRegistryTest.identity("alice", "a" + round + "-" + k), closer));
      }
      long start = System.nanoTime();
      int closed = revoker.closeMatching(Revocation.subject("alice"));
      nanos[round] = System.nanoTime() - start;
      assertThat(closed).isEqualTo(10);
      mine.forEach(ConnectionRegistry.Registration::unregister);
    }
    java.util.Arrays.sort(nanos);
    System.out.println("ConnectionRegistry: closing 10 connections of one subject among 100,000 takes "
        + nanos[nanos.length / 2] / 1000.0 + " us (median of " + nanos.length + ", p99 "
        + nanos[nanos.length * 99 / 100] / 1000.0 + " us)");
    assertThat(registry.size()).isEqualTo(100_000);
  }

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
