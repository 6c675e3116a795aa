package io.github.wsauth.lifetime;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.github.wsauth.internal.RevocationKeys;
import io.github.wsauth.store.StoredToken;
import io.github.wsauth.store.TokenHash;
import io.github.wsauth.store.TokenStore;

/**
 * Revokes a subject or one token and closes the matching live connections, on this node and, through the
 * {@link RevocationBus}, on every node.
 *
 * <pre>{@code
 * Revoker revoker = Revoker.builder().store(store).bus(bus).registry(registry).build();
 * int closedHere = revoker.revokeSubject("alice");          // "log out everywhere"
 * revoker.revokeToken(identity.tokenId().orElseThrow());    // one token (opaque token hash or JWT jti)
 * }</pre>
 *
 * <p>A call first changes the {@link TokenStore} ({@link TokenStore#revokeAll} for a subject, plus a "revoked
 * before now" record of the subject, so wsauth's JWT verifier refuses that subject's JWTs issued until now
 * ({@code iat <= now}) even if they were never presented; {@link TokenStore#revoke} for an opaque token id, or a
 * revocation record for any other token id, such as a JWT {@code jti}, which wsauth's JWT verifier then refuses
 * until the record expires), tells this process's verified-token caches, then closes this node's matching
 * connections, then publishes the {@link Revocation}. Fail closed: if the store fails, nothing is closed or
 * published and the {@link io.github.wsauth.store.TokenStoreUnavailableException} is thrown; new handshakes then
 * still go to the store, which refuses what it revoked.
 *
 * <p>Every revoked connection is closed with {@link #closeCode()} (default {@value #DEFAULT_CLOSE_CODE}, an
 * application code distinct from the expiry close and from the authentication-failure codes, so a client knows
 * not to reconnect with the same credential) and the reason {@value #REASON}. Records are kept for {@link
 * Builder#recordRetention} (set it to at least the longest JWT lifetime plus clock skew). Thread-safe; {@link #close()} stops listening
 * to the bus.
 */
public final class Revoker implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Revoker.class.getName());

  /** The default close code of a revoked connection: 4410, an application code (RFC 6455 §7.4.2). */
  public static final int DEFAULT_CLOSE_CODE = 4410;
  /** The close reason of a revoked connection. */
  public static final String REASON = "authentication revoked";
  /** The default time a revocation record of a non-opaque token id (a JWT {@code jti}) is kept. */
  public static final Duration DEFAULT_RECORD_RETENTION = Duration.ofHours(1);

  private final TokenStore store;
  private final RevocationBus bus;
  private final ConnectionRegistry registry;
  private final int closeCode;
  private final Clock clock;
  private final Duration retention;
  private final AutoCloseable subscription;

  private Revoker(Builder b) {
    this.store = b.store;
    this.bus = b.bus;
    this.registry = b.registry;
    this.closeCode = b.closeCode;
    this.clock = b.clock;
    this.retention = b.retention;
    this.subscription = bus.subscribe(this::closeMatching);
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The close code of a revoked connection. */
  public int closeCode() {
    return closeCode;
  }

  /**
   * Revokes every outstanding token of {@code subject} in the store (opaque tokens; JWTs issued until now through
   * a "revoked before now" record, dated by the builder's clock) and closes the subject's live connections on
   * every node.
   *
   * @return how many live connections were closed on this node
   * @throws io.github.wsauth.store.TokenStoreUnavailableException if the store failed (nothing closed, nothing
   *     published) or the bus refused the revocation (this node's connections are closed)
   * @throws IllegalArgumentException if the subject is empty or longer than {@value Revocation#MAX_SUBJECT_LENGTH}
   *     characters, which no issuer accepts (nothing changed)
   */
  public int revokeSubject(String subject) {
    Revocation revocation = Revocation.subject(subject);
    store.revokeAll(subject);
    // JWTs are not store entries: record "revoked before now", so those issued until now are refused too
    RevocationKeys.revokeSubjectBefore(store, subject, clock.instant(), retention);
    RevocationKeys.revokedHere(revocation);
    int closed = closeMatching(revocation);
    bus.publish(revocation);
    return closed;
  }

  /**
   * Revokes one token, named by its token id ({@link io.github.wsauth.Identity#tokenId()}), and closes the live
   * connections it authenticated on every node.
   *
   * @return how many live connections were closed on this node
   * @throws io.github.wsauth.store.TokenStoreUnavailableException as {@link #revokeSubject}
   * @throws IllegalArgumentException if the token id is empty or longer than {@value Revocation#MAX_ID_LENGTH}
   *     characters (nothing changed)
   */
  public int revokeToken(String tokenId) {
    Revocation revocation = Revocation.token(tokenId);
    TokenHash opaque = opaqueHash(tokenId);
    if (opaque == null || !store.revoke(opaque)) {
      // Not an outstanding opaque token: record the id, so a JWT with this jti is refused until the record
      // expires (the store keeps only the hash of the record's key).
      store.saveIfAbsent(new StoredToken(RevocationKeys.of(tokenId), "-", Map.of(),
          clock.instant().plus(retention), false));
    }
    RevocationKeys.revokedHere(revocation);
    int closed = closeMatching(revocation);
    bus.publish(revocation);
    return closed;
  }

  /**
   * Closes this node's live connections that {@code revocation} names, without touching the store; this is what
   * the bus calls for revocations from any node.
   *
   * @return how many were closed
   */
  public int closeMatching(Revocation revocation) {
    List<ConnectionRegistry.Registration> matching = revocation.kind() == Revocation.Kind.SUBJECT
        ? registry.bySubject(revocation.id()) : registry.byTokenId(revocation.id());
    int closed = 0;
    for (ConnectionRegistry.Registration r : matching) {
      try {
        if (ConnectionRegistry.closeOnce(r, closeCode, REASON)) {
          closed++;
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "closing a revoked connection failed: {0}", e.getClass().getName());
      }
    }
    return closed;
  }

  /** The hash an opaque token id (64 lowercase hex digits) names, or null for any other id. */
  private static TokenHash opaqueHash(String tokenId) {
    if (tokenId.length() != TokenHash.LENGTH * 2) {
      return null;
    }
    byte[] bytes = new byte[TokenHash.LENGTH];
    for (int i = 0; i < bytes.length; i++) {
      int hi = Character.digit(tokenId.charAt(2 * i), 16);
      int lo = Character.digit(tokenId.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0 || Character.isUpperCase(tokenId.charAt(2 * i))
          || Character.isUpperCase(tokenId.charAt(2 * i + 1))) {
        return null;
      }
      bytes[i] = (byte) (hi << 4 | lo);
    }
    return TokenHash.fromBytes(bytes);
  }

  /** Stops listening to the bus; the bus itself is the caller's to close. */
  @Override
  public void close() {
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "closing the revocation subscription failed: {0}", e.getClass().getName());
    }
  }

  @Override
  public String toString() {
    return "Revoker[closeCode=" + closeCode + ", " + registry + "]";
  }

  /** Builds a {@link Revoker}; not thread-safe. */
  public static final class Builder {
    private TokenStore store;
    private RevocationBus bus;
    private ConnectionRegistry registry;
    private int closeCode = DEFAULT_CLOSE_CODE;
    private Clock clock = Clock.systemUTC();
    private Duration retention = DEFAULT_RECORD_RETENTION;

    private Builder() {}

    /** The token store the verifiers use (required). */
    public Builder store(TokenStore store) {
      this.store = Objects.requireNonNull(store, "store must not be null");
      return this;
    }

    /** The bus that carries revocations to every node (required; {@link RevocationBus#inProcess()} for one). */
    public Builder bus(RevocationBus bus) {
      this.bus = Objects.requireNonNull(bus, "bus must not be null");
      return this;
    }

    /** This node's live connections (required). */
    public Builder registry(ConnectionRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry must not be null");
      return this;
    }

    /**
     * The close code of a revoked connection (default {@value #DEFAULT_CLOSE_CODE}): 1008 or an application code
     * 3000-4999. Choose one distinct from the expiry and authentication-failure codes.
     */
    public Builder closeCode(int code) {
      if (code != 1008 && (code < 3000 || code > 4999)) {
        throw new IllegalArgumentException("revocation close code must be 1008 or 3000-4999: " + code);
      }
      this.closeCode = code;
      return this;
    }

    /**
     * The clock that dates revocation records (default {@link Clock#systemUTC()}): a subject revocation refuses
     * the subject's JWTs whose {@code iat} is at or before its {@code now} (JWT times are whole seconds, so a
     * token issued later in the same second is refused too).
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * How long a revocation record of a non-opaque token id, or of a subject's JWTs, is kept (default 1 hour); at
     * least the longest JWT lifetime plus clock skew of the verifiers. A subject's records are kept until the end
     * of the hour of {@code iat} they cover plus this retention.
     */
    public Builder recordRetention(Duration retention) {
      Objects.requireNonNull(retention, "retention must not be null");
      if (retention.isNegative() || retention.isZero()) {
        throw new IllegalArgumentException("retention must be positive");
      }
      this.retention = retention;
      return this;
    }

    /**
     * Builds the revoker and subscribes it to the bus.
     *
     * @throws IllegalStateException if the store, bus or registry is missing
     */
    public Revoker build() {
      if (store == null || bus == null || registry == null) {
        throw new IllegalStateException("store, bus and registry must be set");
      }
      return new Revoker(this);
    }
  }
}
