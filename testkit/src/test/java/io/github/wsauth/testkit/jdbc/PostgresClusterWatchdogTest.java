package io.github.wsauth.testkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The throwaway cluster does not outlive a JVM that is killed: its shutdown hook never runs then, and before the
 * watchdog every such JVM (PIT's minions among them) left a PostgreSQL server running and its directory behind.
 */
class PostgresClusterWatchdogTest {

  @Test
  void aKilledJvm_leavesNoServerRunning_andNoDirectoryBehind() throws Exception {
    Path bin = PostgresExtension.binaries();
    NodeProcess owner = NodeProcess.launch(ClusterOwnerMain.class, "pg-owner", List.of(bin.toString()));
    Path dir = null;
    try {
      String line = owner.next(10_000);
      assertThat(line).startsWith("DIR ");
      dir = Paths.get(line.substring(4));
      int port = owner.port();
      assertThat(accepts(port)).as("the owner's cluster is up").isTrue();
      assertThat(dir.resolve("data")).isDirectory();

      owner.kill(); // SIGKILL: no shutdown hook runs

      long deadline = System.nanoTime() + 30_000_000_000L;
      while ((accepts(port) || Files.exists(dir)) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(accepts(port)).as("the server on port %d after its owner was killed", port).isFalse();
      assertThat(dir).as("the cluster's directory after its owner was killed").doesNotExist();
    } finally {
      owner.close();
      if (dir != null && Files.exists(dir)) {
        // What the watchdog should have done, so that a failure here leaks nothing either.
        Process cleanup = PostgresCluster.watch(bin, dir);
        cleanup.getOutputStream().close();
        cleanup.waitFor();
      }
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
