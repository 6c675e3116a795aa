package io.github.wsauth.lifetime;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.TokenVerifier;

/**
 * What happens to an authenticated connection after it was accepted, on every adapter: registration in a {@link
 * ConnectionRegistry} (so a {@link Revoker} can close it), in-band re-authentication with a fresh token of the same
 * subject, and a warning some time before its identity expires.
 *
 * <pre>{@code
 * ConnectionLifetime lifetime = ConnectionLifetime.builder()
 *     .registry(registry)                          // revocable
 *     .reauthenticationVerifier(verifier)          // the verifier of the handshake; first-message servers may omit it
 *     .expiryWarning(Duration.ofSeconds(10))       // tell the application 10 s before expiry
 *     .build();
 * }</pre>
 *
 * <p>Re-authentication: the fresh token is verified by the same verifier (a single-use token is consumed), its
 * subject must equal the connection's, and the connection's expiry (and its expiry close) moves to the new
 * token's; a rejected token closes the connection with {@link #rejectedCloseCode()} (default 1008), a store failure
 * with {@link #unavailableCloseCode()} (default 1011). On servers using the first-message format the same message
 * sent again later re-authenticates ({@link #inBandMessages()}, on by default): with the JSON format, a text
 * message that is a JSON object with exactly one member, {@code "token"}, is taken by wsauth and never reaches the
 * application; with the raw format, only the API re-authenticates. Immutable and thread-safe.
 */
public final class ConnectionLifetime {
  private final ConnectionRegistry registry;
  private final TokenVerifier verifier;
  private final boolean inBandMessages;
  private final Duration expiryWarning;
  private final int rejectedCloseCode;
  private final int unavailableCloseCode;

  private ConnectionLifetime(Builder b) {
    this.registry = b.registry;
    this.verifier = b.verifier;
    this.inBandMessages = b.inBandMessages;
    this.expiryWarning = b.expiryWarning;
    this.rejectedCloseCode = b.rejectedCloseCode;
    this.unavailableCloseCode = b.unavailableCloseCode;
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where live connections are registered; empty: they are not. */
  public Optional<ConnectionRegistry> registry() {
    return Optional.ofNullable(registry);
  }

  /** The verifier of re-authentication tokens; empty: a first-message server's own verifier. */
  public Optional<TokenVerifier> reauthenticationVerifier() {
    return Optional.ofNullable(verifier);
  }

  /** Whether a first-message server reads a later {@code {"token": "…"}} message as a re-authentication. */
  public boolean inBandMessages() {
    return inBandMessages;
  }

  /** How long before expiry the application is warned; empty: never. */
  public Optional<Duration> expiryWarning() {
    return Optional.ofNullable(expiryWarning);
  }

  /** The close code of a rejected re-authentication. */
  public int rejectedCloseCode() {
    return rejectedCloseCode;
  }

  /** The close code when the store fails during a re-authentication. */
  public int unavailableCloseCode() {
    return unavailableCloseCode;
  }

  @Override
  public String toString() {
    return "ConnectionLifetime[registry=" + (registry != null) + ", inBandMessages=" + inBandMessages
        + ", expiryWarning=" + expiryWarning + "]";
  }

  /** Builds a {@link ConnectionLifetime}; not thread-safe. */
  public static final class Builder {
    private ConnectionRegistry registry;
    private TokenVerifier verifier;
    private boolean inBandMessages = true;
    private Duration expiryWarning;
    private int rejectedCloseCode = FirstMessageAuthenticator.POLICY_VIOLATION;
    private int unavailableCloseCode = FirstMessageAuthenticator.INTERNAL_ERROR;

    private Builder() {}

    /** Registers every authenticated connection in {@code registry}. */
    public Builder registry(ConnectionRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry must not be null");
      return this;
    }

    /**
     * Verifies re-authentication tokens; required for re-authentication on handshake servers, which have no
     * verifier of their own to lend. Use the verifier of the handshake.
     */
    public Builder reauthenticationVerifier(TokenVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier must not be null");
      return this;
    }

    /** Whether a first-message server reads a later {@code {"token": "…"}} message as re-authentication (on). */
    public Builder inBandMessages(boolean inBandMessages) {
      this.inBandMessages = inBandMessages;
      return this;
    }

    /** Warns the application {@code before} the identity expires (default: no warning); positive. */
    public Builder expiryWarning(Duration before) {
      Objects.requireNonNull(before, "before must not be null");
      if (before.isNegative() || before.isZero()) {
        throw new IllegalArgumentException("expiry warning must be positive");
      }
      this.expiryWarning = before;
      return this;
    }

    /** Close code of a rejected re-authentication (default 1008): 1008 or 3000-4999. */
    public Builder rejectedCloseCode(int code) {
      this.rejectedCloseCode = check(code);
      return this;
    }

    /** Close code when the store fails during re-authentication (default 1011): 1011 or 3000-4999. */
    public Builder unavailableCloseCode(int code) {
      if (code != 1011 && (code < 3000 || code > 4999)) {
        throw new IllegalArgumentException("close code must be 1011 or 3000-4999: " + code);
      }
      this.unavailableCloseCode = code;
      return this;
    }

    private static int check(int code) {
      if (code != 1008 && (code < 3000 || code > 4999)) {
        throw new IllegalArgumentException("close code must be 1008 or 3000-4999: " + code);
      }
      return code;
    }

    /** Builds it. */
    public ConnectionLifetime build() {
      return new ConnectionLifetime(this);
    }
  }
}
