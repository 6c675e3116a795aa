package io.github.wsauth.testkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.SignedJWT;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.jwt.JwtIssuerConfig;
import io.github.wsauth.jwt.JwtKeys;
import io.github.wsauth.jwt.JwtTokens;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.PostgresRevocationBus;
import io.github.wsauth.lifetime.Revocation;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.store.JdbcTokenStore;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenStoreUnavailableException;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 15's cross-node proof on the real pieces: two JVMs and one PostgreSQL. Node A is this JVM (a {@link
 * JdbcTokenStore}, a {@link PostgresRevocationBus} and a {@link Revoker} on one DataSource); node B is a {@link
 * RegistryNodeMain} process: servers wired with wsauth's Netty adapter and, on Tomcat 11, its Jakarta adapter,
 * sharing one {@link ConnectionRegistry} whose {@link Revoker} listens to the same bus. A's {@link
 * Revoker#revokeSubject} and {@link Revoker#revokeToken} (an opaque token's hash, a JWT's jti) close exactly B's
 * matching live connections with 4410 {@value Revoker#REASON}, also when B was cut off from the database (its role
 * may not log in) while A revoked and the database was restarted before B could reconnect. B then refuses the
 * revoked subject's other token at the handshake (the store is shared). The times from A's call to B's close frame
 * are printed (docs/LIFETIME-CLUSTER.md).
 */
@ExtendWith(PostgresExtension.class)
class TwoJvmRegistryRevocationTest {
  private static final OctetKeyPair KEY = JwtKeys.generateEd25519("node-a");
  private static final Revocation WARM_UP = Revocation.token("warm-up-node-a");

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String role = "node_b_" + suffix;
  private final String nodeB = "node-b-" + suffix;
  private PostgresRevocationBus busA;
  private Revoker revokerA;
  private TokenIssuer opaque;
  private TokenIssuer jwt;
  private NodeProcess b;
  private int jwtPort;
  private int tomcatPort;

  @AfterEach
  void stop(PostgresCluster pg) throws Exception {
    NodeProcess.restartAndClose(pg, b, revokerA, busA);
  }

  /** Node A on the cluster's superuser, then node B on its own role; returns once B's bus is listening. */
  private void start(PostgresCluster pg, long bBackoffMillis) throws Exception {
    admin(pg, "CREATE ROLE " + role + " LOGIN SUPERUSER");
    String tokens = "tokens_" + suffix;
    String revocations = Buses.table();
    DataSource a = Buses.simple("node-a-" + suffix, pg);
    JdbcTokenStore store = JdbcTokenStore.builder(a).table(tokens).createTableIfMissing(true).build();
    busA = PostgresRevocationBus.builder(a).table(revocations).createTableIfMissing(true).build();
    busA.publish(WARM_UP); // creates the revocation table before B starts
    revokerA = Revoker.builder().store(store).bus(busA).registry(new ConnectionRegistry()).build();
    opaque = TokenIssuer.opaque(store, RegistryNodeMain.OPAQUE, Clock.systemUTC());
    opaque.issue("nobody"); // creates the token table before B starts
    jwt = JwtTokens.issuer(JwtIssuerConfig.builder().signingKey(KEY).issuer(RegistryNodeMain.ISSUER)
        .audience(RegistryNodeMain.AUDIENCE).policy(RegistryNodeMain.JWT).build());
    b = NodeProcess.launch(RegistryNodeMain.class, nodeB, List.of(nodeB, pg.jdbcUrl(), role, tokens,
        revocations, Long.toString(bBackoffMillis), KEY.toPublicJWK().toJSONString()));
    String jwtLine = b.next(30_000);
    assertThat(jwtLine).startsWith("JWT ");
    jwtPort = Integer.parseInt(jwtLine.substring(4).trim());
    String tomcatLine = b.next(30_000);
    assertThat(tomcatLine).startsWith("TOMCAT ");
    tomcatPort = Integer.parseInt(tomcatLine.substring(7).trim());
  }

  @Test
  void revocationsOnA_closeExactlyTheMatchingConnectionsOnB_with4410(PostgresCluster pg) throws Exception {
    start(pg, 100);
    int port = b.port();
    String aliceOther = token("alice");
    try (LiveSocket alice = LiveSocket.open(port, token("alice"));
        LiveSocket aliceTomcat = LiveSocket.open(tomcatPort, token("alice"));
        LiveSocket bob = LiveSocket.open(port, token("bob"));
        LiveSocket bobTomcat = LiveSocket.open(tomcatPort, token("bob"));
        LiveSocket carol = LiveSocket.open(port, token("carol"))) {
      String carolToken = token("carol");
      String carolTomcatToken = token("carol");
      try (LiveSocket carolRevoked = LiveSocket.open(port, carolToken);
          LiveSocket carolTomcatRevoked = LiveSocket.open(tomcatPort, carolTomcatToken)) {
        long t0 = System.nanoTime();
        closedOnB("revokeSubject (Netty)", alice, () -> revokerA.revokeSubject("alice"));
        closedOnB("revokeSubject (Tomcat)", aliceTomcat, t0);
        assertThat(b.next(10_000)).isEqualTo("DELIVERED SUBJECT");
        assertThat(WsClient.handshake(port, aliceOther)).as("alice's other, unused token is refused on B")
            .isEqualTo(401);
        assertThat(WsClient.handshake(tomcatPort, aliceOther)).as("... on B's Tomcat too").isEqualTo(401);
        assertThat(WsClient.handshake(port, token("bob"))).as("a fresh token of another subject opens on B")
            .isEqualTo(101);
        assertThat(WsClient.handshake(tomcatPort, token("bob"))).as("... on B's Tomcat too").isEqualTo(101);

        closedOnB("revokeToken, opaque (Netty)", carolRevoked,
            () -> revokerA.revokeToken(TokenHash.of(carolToken).toHex()));
        assertThat(b.next(10_000)).isEqualTo("DELIVERED TOKEN");
        assertThat(carolTomcatRevoked.closed).as("the revocation named another token").isNotDone();
        closedOnB("revokeToken, opaque (Tomcat)", carolTomcatRevoked,
            () -> revokerA.revokeToken(TokenHash.of(carolTomcatToken).toHex()));
        assertThat(b.next(10_000)).isEqualTo("DELIVERED TOKEN");
      }
      assertThat(bob.closed).as("bob's connection stays open").isNotDone();
      assertThat(bobTomcat.closed).as("bob's connection on Tomcat stays open").isNotDone();
      assertThat(carol.closed).as("carol's connection on her other token stays open").isNotDone();
    }

    String revoked = jwt.issue("dave").value();
    String other = jwt.issue("dave").value();
    try (LiveSocket daveRevoked = LiveSocket.open(jwtPort, revoked);
        LiveSocket dave = LiveSocket.open(jwtPort, other)) {
      String jti = SignedJWT.parse(revoked).getJWTClaimsSet().getJWTID();
      closedOnB("revokeToken, JWT jti (Netty)", daveRevoked, () -> revokerA.revokeToken(jti));
      assertThat(b.next(10_000)).isEqualTo("DELIVERED TOKEN");
      assertThat(WsClient.handshake(jwtPort, revoked)).as("the revoked reusable JWT is refused on B").isEqualTo(401);
      assertThat(WsClient.handshake(jwtPort, other)).as("the same subject's other JWT still opens").isEqualTo(101);
      assertThat(dave.closed).as("the connection of dave's other JWT stays open").isNotDone();
    }
  }

  @Test
  void revocationWhileBIsCutOff_thenADatabaseRestart_closesBsConnectionWhenItReconnects(PostgresCluster pg)
      throws Exception {
    start(pg, 100);
    int port = b.port();
    String aliceOther = token("alice");
    String bobToken = token("bob");
    try (LiveSocket alice = LiveSocket.open(port, token("alice"));
        LiveSocket aliceTomcat = LiveSocket.open(tomcatPort, token("alice"));
        LiveSocket bob = LiveSocket.open(port, bobToken)) {
      admin(pg, "ALTER ROLE " + role + " NOLOGIN");
      assertThat(Buses.cutOff(pg, nodeB)).as("node B's backends terminated").isPositive();

      long t0 = System.nanoTime();
      assertThat(revokerA.revokeSubject("alice")).as("no connection of alice on A").isZero();
      assertThat(Buses.backends(pg, nodeB)).as("node B was cut off when A revoked").isZero();
      pg.stopServer();
      pg.startServer();
      assertThat(alice.closed).as("B cannot have closed it: it has not reconnected").isNotDone();
      assertThat(aliceTomcat.closed).as("nor this one").isNotDone();
      long t1 = System.nanoTime();
      admin(pg, "ALTER ROLE " + role + " LOGIN");

      LiveSocket.Close close = alice.closed.get(60, TimeUnit.SECONDS);
      long t2 = System.nanoTime();
      System.out.printf("two JVMs: revokeSubject while B was cut off, database restarted: B closed alice's Netty"
          + " connection %.0f ms after A's call (restart included), %.0f ms after B could log in again%n",
          (t2 - t0) / 1e6, (t2 - t1) / 1e6);
      assertThat(close).isEqualTo(new LiveSocket.Close(Revoker.DEFAULT_CLOSE_CODE, Revoker.REASON));
      closedOnB("revokeSubject while B was cut off, restart included (Tomcat)", aliceTomcat, t0);
      assertThat(b.next(10_000)).isEqualTo("DELIVERED SUBJECT");
      assertThat(bob.closed).as("bob's connection stays open").isNotDone();
      assertThat(WsClient.handshake(port, aliceOther)).as("alice's other, unused token is refused on B")
          .isEqualTo(401);
      assertThat(WsClient.handshake(tomcatPort, aliceOther)).as("... on B's Tomcat too").isEqualTo(401);

      closedOnB("revokeToken, opaque, after the restart (Netty)", bob,
          () -> retrying(() -> revokerA.revokeToken(TokenHash.of(bobToken).toHex())));
    }
  }

  /** Runs {@code revoke} on A and asserts that {@code socket} on B gets 4410 with the reason; prints the time. */
  private static void closedOnB(String what, LiveSocket socket, IntSupplier revoke) throws Exception {
    long t0 = System.nanoTime();
    assertThat(revoke.getAsInt()).as("A has no connection to close itself").isZero();
    closedOnB(what, socket, t0);
  }

  /** Asserts that {@code socket} on B gets 4410 with the reason; prints the time since {@code t0}. */
  private static void closedOnB(String what, LiveSocket socket, long t0) throws Exception {
    LiveSocket.Close close = socket.closed.get(30, TimeUnit.SECONDS);
    System.out.printf("two JVMs: %s on A -> B's close frame in %.1f ms%n", what,
        (System.nanoTime() - t0) / 1e6);
    assertThat(close).isEqualTo(new LiveSocket.Close(Revoker.DEFAULT_CLOSE_CODE, Revoker.REASON));
  }

  private String token(String subject) {
    return opaque.issue(subject).value();
  }

  /** A's first statements after the restart may meet its pool's dead connections. */
  private static int retrying(IntSupplier call) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return call.getAsInt();
      } catch (TokenStoreUnavailableException e) {
        if (System.nanoTime() - deadline > 0) {
          throw e;
        }
      }
    }
  }

  private static void admin(PostgresCluster pg, String sql) throws Exception {
    try (Connection c = Buses.simple("wsauth-test-admin", pg).getConnection(); Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
