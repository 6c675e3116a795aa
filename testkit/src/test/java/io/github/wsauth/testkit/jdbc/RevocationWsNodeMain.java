package io.github.wsauth.testkit.jdbc;

import io.github.wsauth.lifetime.Revocation;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket server node in its own JVM that closes its live connections of a revoked subject: a {@link WsNode}
 * (Netty, handshakes authenticated against the shared {@code JdbcTokenStore}) plus a {@link RevocationNode} whose
 * action closes the subject's connections with {@value #REVOKED_CLOSE_CODE} {@code "revoked"}. {@code java -cp
 * <test classpath> ...RevocationWsNodeMain <name> <jdbcUrl> <user> <tokenTable> <revocationTable>
 * <minBackoffMillis>}; prints {@code READY <port>}, then {@code CLOSED <n>} per subject revocation; exits when its
 * standard input closes.
 *
 * <p>The close code is this test's stand-in; when core's connection registry lands, the action becomes the
 * registry's revocation (its documented code) and {@link LiveConnections} goes away.
 */
final class RevocationWsNodeMain {
  static final int REVOKED_CLOSE_CODE = 4403;

  private RevocationWsNodeMain() {}

  public static void main(String[] args) throws Exception {
    String name = args[0];
    try (WsNode ws = WsNode.start(name + "-ws", args[1], args[2], args[3], 0, 5_000)) {
      RevocationNode bus = RevocationNode.start(name, args[1], args[2], args[4],
          Duration.ofMillis(Long.parseLong(args[5])), r -> {
            if (r.kind() == Revocation.Kind.SUBJECT) {
              int closed = ws.live().closeSubject(r.id(), REVOKED_CLOSE_CODE, "revoked");
              System.out.println("CLOSED " + closed);
              System.out.flush();
            }
          });
      try {
        System.out.println("READY " + ws.port());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
          // Wait for the parent to close our stdin.
        }
      } finally {
        bus.close();
      }
    }
  }
}
