package io.github.wsauth.testkit.jdbc;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Runs one {@link RevocationNode} in its own JVM: {@code java -cp <test classpath> ...RevocationNodeMain <name>
 * <jdbcUrl> <user> <table> <minBackoffMillis>}. Prints {@code READY} once its bus listens, then {@code REVOKED
 * <KIND> <id>} for each revocation it receives (the test's stand-in for closing connections), and exits when its
 * standard input closes.
 */
final class RevocationNodeMain {
  private RevocationNodeMain() {}

  public static void main(String[] args) throws Exception {
    Duration backoff = Duration.ofMillis(Long.parseLong(args[4]));
    RevocationNode node = RevocationNode.start(args[0], args[1], args[2], args[3], backoff, r -> {
      System.out.println("REVOKED " + r.kind() + " " + r.id());
      System.out.flush();
    });
    try {
      System.out.println("READY");
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      while (in.readLine() != null) {
        // Wait for the parent to close our stdin.
      }
    } finally {
      node.close();
    }
  }
}
