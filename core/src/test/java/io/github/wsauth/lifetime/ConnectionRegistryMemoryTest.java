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

  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
