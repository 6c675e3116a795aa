package io.github.wsauth.examples.demo;

import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.IssuedToken;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;
import io.github.wsauth.lifetime.RevocationBus;
import io.github.wsauth.lifetime.Revoker;
import io.github.wsauth.store.TokenStore;

/**
 * The demo's token state: one in-memory {@link TokenStore} shared by the app (which issues) and every WebSocket
 * server (which verify), all in one JVM. Opaque tokens are verified by a lookup in that store; JWTs by their
 * signature, and, being single-use too, by consuming their {@code jti} in the same store.
 *
 * <p>It also holds the live connections: every demo server registers its authenticated connections in one {@link
 * ConnectionRegistry}, and {@link #logOut} revokes a user's outstanding tokens and closes all of that user's live
 * connections, on every server, with the {@link Revoker}'s close code ({@value Revoker#DEFAULT_CLOSE_CODE},
 * "{@value Revoker#REASON}").
 *
 * <p>In a real deployment the app and the servers are separate processes: share a JDBC store, or use JWTs, for
 * which the servers need only the key (and a store for the {@code jti} of single-use tokens); and carry
 * revocations to every server with a {@code PostgresRevocationBus} instead of the in-process bus. Thread-safe.
 */
public final class DemoTokens {

  /** The kinds of token the app hands out. */
  public enum Kind {
    /** 256 random bits, verified by a lookup in the store. */
    OPAQUE,
    /** A signed JWT, verified with the key; its {@code jti} is consumed once. */
    JWT;

    /** Parses the {@code kind} form field: absent or {@code opaque}, or {@code jwt}. */
    public static Optional<Kind> parse(String value) {
      if (value == null || value.isEmpty()) {
        return Optional.of(OPAQUE);
      }
      switch (value.toLowerCase(Locale.ROOT)) {
        case "opaque":
          return Optional.of(OPAQUE);
        case "jwt":
          return Optional.of(JWT);
        default:
          return Optional.empty();
      }
    }
  }

  private final Clock clock;
  private final TokenPolicy policy;
  private final TokenStore store;
  private final TokenIssuer opaqueIssuer;
  private final DemoJwt jwt;
  private final TokenVerifier verifier;
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private final RevocationBus bus = RevocationBus.inProcess();
  private final Revoker revoker;

  DemoTokens(Clock clock, TokenPolicy policy, String appOrigin) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.policy = Objects.requireNonNull(policy, "policy must not be null");
    this.store = TokenStore.inMemory(clock);
    this.opaqueIssuer = TokenIssuer.opaque(store, policy, clock);
    this.jwt = new DemoJwt(store, policy, clock, appOrigin);
    this.verifier = TokenVerifier.byShape(TokenVerifier.opaque(store, policy), jwt.verifier());
    this.revoker = Revoker.builder().store(store).bus(bus).registry(registry).clock(clock).build();
  }

  /** Issues a fresh token of {@code kind} for {@code user}. */
  public IssuedToken issue(String user, Kind kind) {
    return kind == Kind.JWT ? jwt.issuer().issue(user) : opaqueIssuer.issue(user);
  }

  /** The verifier every demo server uses: opaque tokens and JWTs, told apart by their shape. */
  public TokenVerifier verifier() {
    return verifier;
  }

  /** The policy of every token: single-use and short-lived by default. */
  public TokenPolicy policy() {
    return policy;
  }

  /** The clock of the store, the issuers and the verifiers. */
  public Clock clock() {
    return clock;
  }

  /**
   * What every demo server does with an authenticated connection: registers it (so {@link #logOut} can close it)
   * and re-authenticates it in-band with this verifier: a later {@code {"token": "…"}} message (or the server's
   * call to the adapter's {@code reauthenticate}) with a fresh token of the same user moves the connection's expiry
   * to the new token's; any other token closes it with 1008.
   */
  ConnectionLifetime lifetime() {
    return ConnectionLifetime.builder().registry(registry).reauthenticationVerifier(verifier).build();
  }

  /** The live authenticated connections of every demo server. */
  ConnectionRegistry registry() {
    return registry;
  }

  /**
   * Logs {@code user} out everywhere: revokes the user's outstanding tokens in the store and closes every live
   * connection of the user on every demo server with {@value Revoker#DEFAULT_CLOSE_CODE} "{@value
   * Revoker#REASON}".
   *
   * @return how many live connections were closed
   * @throws io.github.wsauth.store.TokenStoreUnavailableException if the store failed (nothing was closed)
   */
  public int logOut(String user) {
    return revoker.revokeSubject(user);
  }

  /** Stops listening for revocations. */
  void close() {
    revoker.close();
    bus.close();
  }
}
