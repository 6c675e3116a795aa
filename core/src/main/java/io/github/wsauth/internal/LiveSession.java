package io.github.wsauth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.AdapterConfig;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;

/**
 * An authenticated connection, written once for every adapter: registered in the {@link ConnectionRegistry},
 * closed on expiry ({@link ExpiryTimer}), warned before expiry, re-authenticated in-band. The adapter starts it
 * when it accepts a connection, calls {@link #reauthenticate} (API) or {@link #inBandToken} (messages), and
 * {@link #closed()} when the connection is gone.
 *
 * <p>Decisions: a re-authentication token is verified by the lifetime's verifier (or the first-message
 * authenticator's); a rejection closes with the lifetime's rejected code and the verifier's public detail, a
 * different subject with the rejected code and {@value #SUBJECT_MISMATCH}, a store failure with the unavailable
 * code. On success the identity (with its token id) replaces the old one in the registry, and the expiry close and
 * warning are re-armed for the new expiry.
 *
 * <p>Internal: shared by wsauth's modules, not part of the API. Thread-safe.
 */
public final class LiveSession {
  /** The close reason when a re-authentication token belongs to another subject. */
  public static final String SUBJECT_MISMATCH = "re-authentication subject mismatch";
  /** The close reason when a re-authentication token is not a token at all. */
  public static final String MALFORMED = "malformed authentication message";
  /** The close reason when the store failed during a re-authentication. */
  public static final String UNAVAILABLE = "authentication temporarily unavailable";
  /** The close reason when re-authentication is not configured. */
  public static final String NOT_CONFIGURED = "re-authentication not supported";

  /** The key under which {@link #startIn} keeps the live session in a connection's attribute map. */
  public static final String ATTRIBUTE = "io.github.wsauth.lifetime";

  /** The connection, as the adapter sees it; calls never block. */
  public interface Connection extends ExpiryTimer.Connection {
    /** The identity will expire in {@code remaining}: tell the application (a callback, an event). */
    void expiresSoon(Identity identity, Duration remaining);
  }

  /** The adapter's settings for this connection. */
  public record Settings(ConnectionLifetime lifetime, TokenVerifier fallbackVerifier, Clock clock,
      boolean closeOnExpiry, int expiryCloseCode, TaskScheduler scheduler) {
    /** Validates. */
    public Settings {
      Objects.requireNonNull(lifetime, "lifetime must not be null");
      Objects.requireNonNull(clock, "clock must not be null");
      Objects.requireNonNull(scheduler, "scheduler must not be null");
    }

    /** An adapter configuration's lifetime, clock and expiry settings, with the connection's scheduler. */
    public static Settings of(AdapterConfig config, TokenVerifier fallbackVerifier, TaskScheduler scheduler) {
      return new Settings(config.lifetime(), fallbackVerifier, config.clock(), config.closeOnExpiry(),
          config.expiryCloseCode(), scheduler);
    }
  }

  private final Settings settings;
  private final Connection connection;
  private final ConnectionRegistry.Registration registration;
  private Identity identity;
  private ExpiryTimer expiry;
  private TaskScheduler.Cancellable cancelWarning;
  private boolean closed;

  private LiveSession(Identity identity, Settings settings, Connection connection) {
    this.identity = identity;
    this.settings = settings;
    this.connection = connection;
    this.registration = settings.lifetime().registry()
        .map(r -> r.register(identity, connection::close)).orElse(null);
  }

  /** Starts the lifetime of a connection just accepted as {@code identity}. */
  public static LiveSession start(Identity identity, Settings settings, Connection connection) {
    LiveSession s = new LiveSession(Objects.requireNonNull(identity, "identity must not be null"),
        Objects.requireNonNull(settings, "settings must not be null"),
        Objects.requireNonNull(connection, "connection must not be null"));
    synchronized (s) {
      s.arm();
    }
    return s;
  }

  /**
   * Starts the lifetime of a connection just accepted as {@code identity}, and keeps it in the connection's
   * {@code attributes} (a Jakarta session's user properties, a Spring session's attributes) for {@link #in}.
   */
  public static LiveSession startIn(Map<String, Object> attributes, Identity identity, Settings settings,
      Connection connection) {
    LiveSession live = start(identity, settings, connection);
    attributes.put(ATTRIBUTE, live);
    return live;
  }

  /** The live session {@link #startIn} kept in {@code attributes}, if one was started. */
  public static Optional<LiveSession> in(Map<String, Object> attributes) {
    return attributes.get(ATTRIBUTE) instanceof LiveSession live ? Optional.of(live) : Optional.empty();
  }

  /** The identity the connection is authenticated as now. */
  public synchronized Identity identity() {
    return identity;
  }

  /**
   * The token of a re-authentication message, if {@code text} is one: a JSON object with exactly one member,
   * {@code "token"}, a string. Anything else is an application message (empty).
   */
  public Optional<String> inBandToken(String text) {
    if (!settings.lifetime().inBandMessages() || text.length() > 2 * CredentialExtractor.MAX_CREDENTIAL_LENGTH
        || !text.contains("\"token\"") || text.strip().charAt(0) != '{') {
      return Optional.empty();
    }
    try {
      java.util.Map<String, Object> object = StrictJsonReader.defaults().readObject(text);
      if (object.size() == 1 && object.get("token") instanceof String token) {
        return Optional.of(token);
      }
    } catch (StrictJsonReader.MalformedJsonException e) {
      // not a re-authentication message
    }
    return Optional.empty();
  }

  /**
   * Re-authenticates with {@code token}; on refusal the connection is closed with the failure code.
   *
   * @return the new identity, or empty if refused (the connection is being closed)
   */
  public Optional<Identity> reauthenticate(String token) {
    TokenVerifier verifier = settings.lifetime().reauthenticationVerifier().orElse(settings.fallbackVerifier());
    if (verifier == null) {
      refuse(settings.lifetime().rejectedCloseCode(), NOT_CONFIGURED);
      return Optional.empty();
    }
    if (token == null || token.isEmpty() || token.length() > CredentialExtractor.MAX_CREDENTIAL_LENGTH
        || !CharClasses.isB64token(token)) {
      refuse(settings.lifetime().rejectedCloseCode(), MALFORMED);
      return Optional.empty();
    }
    if (isClosed()) {
      return Optional.empty();
    }
    Verification v;
    try {
      v = verifier.verify(token);
    } catch (RuntimeException e) { // a TokenStoreUnavailableException, or a verifier's bug: fail closed
      refuse(settings.lifetime().unavailableCloseCode(), UNAVAILABLE);
      return Optional.empty();
    }
    if (v instanceof Verification.Rejected r) {
      refuse(settings.lifetime().rejectedCloseCode(), r.detail());
      return Optional.empty();
    }
    Identity fresh = ((Verification.Verified) v).identity();
    synchronized (this) {
      if (closed) {
        return Optional.empty();
      }
      if (!fresh.subject().equals(identity.subject())) {
        closeLocked();
      } else {
        Identity next = identity.source().map(fresh::withSource).orElse(fresh);
        identity = next;
        if (registration != null) {
          settings.lifetime().registry().orElseThrow().update(registration, next);
        }
        disarm();
        arm();
        return Optional.of(next);
      }
    }
    connection.close(settings.lifetime().rejectedCloseCode(), SUBJECT_MISMATCH);
    return Optional.empty();
  }

  /** The connection is gone: unregister, stop the timers. Calling it twice does nothing. */
  public void closed() {
    synchronized (this) {
      closeLocked();
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** Closes the connection with {@code code} and {@code reason}, unless it is closed already. */
  private void refuse(int code, String reason) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closeLocked();
    }
    connection.close(code, reason);
  }

  private void closeLocked() {
    if (closed) {
      return;
    }
    closed = true;
    disarm();
    if (registration != null) {
      registration.unregister();
    }
  }

  private void arm() {
    if (settings.closeOnExpiry()) {
      expiry = ExpiryTimer.start(identity, settings.clock(), settings.expiryCloseCode(), settings.scheduler(),
          connection);
    }
    settings.lifetime().expiryWarning().ifPresent(before -> armWarning(identity, before));
  }

  private void disarm() {
    if (expiry != null) {
      expiry.cancel();
      expiry = null;
    }
    if (cancelWarning != null) {
      cancelWarning.cancel();
      cancelWarning = null;
    }
  }

  /** Wakes up at {@code expiresAt - before}; the clock decides (an early wake-up re-arms for the rest). */
  private void armWarning(Identity warned, Duration before) {
    Instant at = warned.expiresAt().minus(before);
    Duration delay = Duration.between(settings.clock().instant(), at);
    cancelWarning = settings.scheduler().schedule(() -> warn(warned, before),
        delay.isNegative() ? Duration.ZERO : delay);
  }

  private void warn(Identity warned, Duration before) {
    Duration remaining;
    synchronized (this) {
      if (closed || identity != warned || !connection.isOpen()) {
        return; // re-authenticated or closed meanwhile
      }
      Instant now = settings.clock().instant();
      if (now.isBefore(warned.expiresAt().minus(before))) {
        armWarning(warned, before);
        return;
      }
      remaining = Duration.between(now, warned.expiresAt());
    }
    try {
      connection.expiresSoon(warned, remaining.isNegative() ? Duration.ZERO : remaining);
    } catch (RuntimeException e) {
      // the application's callback failed; the connection's fate is the expiry timer's
    }
  }

  @Override
  public synchronized String toString() {
    return "LiveSession[" + identity + ", closed=" + closed + "]";
  }
}
