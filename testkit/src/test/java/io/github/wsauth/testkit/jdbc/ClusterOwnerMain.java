package io.github.wsauth.testkit.jdbc;

import java.nio.file.Paths;

/**
 * A JVM that owns a throwaway {@link PostgresCluster} (binaries in {@code args[0]}): prints {@code READY <port>}
 * and {@code DIR <directory>}, then waits for its stdin to close. {@link PostgresClusterWatchdogTest} kills it.
 */
public final class ClusterOwnerMain {
  private ClusterOwnerMain() {
  }

  public static void main(String[] args) throws Exception {
    PostgresCluster pg = PostgresCluster.start(Paths.get(args[0]));
    System.out.println("READY " + pg.port());
    System.out.println("DIR " + pg.dir());
    System.out.flush();
    while (System.in.read() >= 0) {
      // until the launcher closes our stdin
    }
  }
}
