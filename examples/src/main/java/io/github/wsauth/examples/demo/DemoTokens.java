package io.github.wsauth.examples.demo;

import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.IssuedToken;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;

/**
 * The demo's token state: one in-memory {@link TokenStore} shared by the app (which issues) and every WebSocket
 * server (which verify), all in one JVM. Opaque tokens are verified by a lookup in that store; JWTs by their
 * signature, and, being single-use too, by consuming their {@code jti} in the same store.
 *
 * <p>In a real deployment the app and the servers are separate processes: share a JDBC store, or use JWTs, for
 * which the servers need only the key (and a store for the {@code jti} of single-use tokens). Thread-safe.
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

  DemoTokens(Clock clock, TokenPolicy policy, String appOrigin) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    this.policy = Objects.requireNonNull(policy, "policy must not be null");
    this.store = TokenStore.inMemory(clock);
    this.opaqueIssuer = TokenIssuer.opaque(store, policy, clock);
    this.jwt = new DemoJwt(store, policy, clock, appOrigin);
    this.verifier = TokenVerifier.byShape(TokenVerifier.opaque(store, policy), jwt.verifier());
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
}
