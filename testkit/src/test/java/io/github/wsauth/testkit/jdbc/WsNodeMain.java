package io.github.wsauth.testkit.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Runs one {@link WsNode} in its own JVM: {@code java -cp <test classpath> ...WsNodeMain <name> <jdbcUrl> <user>
 * <table>}. Prints {@code READY <port>} when it listens, and exits when its standard input closes (or is killed).
 */
final class WsNodeMain {
  private WsNodeMain() {}

  public static void main(String[] args) throws Exception {
    try (WsNode node = WsNode.start(args[0], args[1], args[2], args[3], 0, 5_000)) {
      System.out.println("READY " + node.port());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (in.readLine() != null) {
        // Wait for the parent to close our stdin.
      }
    }
  }
}
