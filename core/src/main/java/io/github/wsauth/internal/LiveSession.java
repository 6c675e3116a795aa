package io.github.wsauth.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.AdapterConfig;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.FirstMessageResult;
import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.Verification;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.lifetime.ConnectionRegistry;

/**
 * An authenticated connection, written once for every adapter: registered in the {@link ConnectionRegistry},
 * closed on expiry ({@link ExpiryTimer}), warned before expiry, re-authenticated in-band. The adapter starts it
 * when it accepts a connection, calls {@link #reauthenticate} (API) or {@link #offerInBand} (messages), and
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
  /** The member name that makes a message a re-authentication attempt. */
  private static final String TOKEN = "token";

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
   * A complete text message of an authenticated connection as the adapter holds it: a decoded string ({@link
   * #of(String)}) or its UTF-8 bytes. Read only as far as {@link #offerInBand} needs.
   */
  public interface TextMessage {
    /** Whether the message is longer than {@code maxBytes} in UTF-8. */
    boolean longerThan(int maxBytes);

    /**
     * The char at {@code index} (for UTF-8 bytes, the byte as 0 to 255), or -1 past the end. Only ASCII is
     * compared, so both readings give the same answer.
     */
    int asciiAt(int index);

    /** The whole message, decoded; asked for only when it is within the cap. */
    String text();

    /** A message the framework decoded already; its UTF-8 length is counted as {@link Utf8#length} does. */
    static TextMessage of(String text) {
      Objects.requireNonNull(text, "text must not be null");
      return new TextMessage() {
        @Override
        public boolean longerThan(int maxBytes) {
          return text.length() > maxBytes || Utf8.length(text) > maxBytes;
        }

        @Override
        public int asciiAt(int index) {
          return index < text.length() ? text.charAt(index) : -1;
        }

        @Override
        public String text() {
          return text;
        }
      };
    }
  }

  /**
   * Offers a later complete text message of a first-message connection to in-band re-authentication; the one rule
   * every adapter applies. A message is a re-authentication attempt when, after optional JSON whitespace, it opens
   * an object whose first member name reads {@code "token"} (escapes decoded), a test of its first characters
   * only. An attempt is never the application's: over the cap of {@code first} ({@link
   * FirstMessageAuthenticator#maxMessageBytes()}, in UTF-8 bytes) the connection is closed with the too-big code
   * (1009 by default, as a first message over the cap); within it, a JSON object with exactly one member, {@code
   * "token"}, a string, re-authenticates (a refusal closes the connection), and anything else is the
   * application's. Every message that is not an attempt is the application's, whatever its size. With in-band
   * messages off every message is the application's.
   *
   * @param message the message
   * @param first the connection's first-message authenticator, whose cap and too-big code apply
   * @return true if wsauth took the message (the adapter releases it), false if it goes to the application
   */
  public boolean offerInBand(TextMessage message, FirstMessageAuthenticator first) {
    if (!settings.lifetime().inBandMessages() || !isReauthenticationAttempt(message)) {
      return false;
    }
    if (message.longerThan(first.maxMessageBytes())) {
      FirstMessageResult.Rejected tooBig = (FirstMessageResult.Rejected) first.tooBig();
      refuse(tooBig.closeCode(), tooBig.reason());
      return true;
    }
    Optional<String> token = inBandToken(message.text());
    if (token.isEmpty()) {
      return false;
    }
    reauthenticate(token.get()); // a refusal closes the connection
    return true;
  }

  /**
   * Whether {@code message} starts as a re-authentication message: JSON whitespace, an opening brace, JSON
   * whitespace, and a first member name that reads {@code token} once its escapes are decoded.
   */
  static boolean isReauthenticationAttempt(TextMessage message) {
    int i = skipJsonWhitespace(message, 0);
    if (message.asciiAt(i) != '{') {
      return false;
    }
    i = skipJsonWhitespace(message, i + 1);
    if (message.asciiAt(i) != '"') {
      return false;
    }
    i++;
    for (int k = 0; k < TOKEN.length(); k++) {
      int c = message.asciiAt(i);
      if (c == '\\') { // of JSON's escapes only a backslash-u with four hex digits can stand for a letter
        if (message.asciiAt(i + 1) != 'u') {
          return false;
        }
        c = 0;
        for (int h = i + 2; h < i + 6; h++) {
          int d = message.asciiAt(h);
          int digit = d >= 0 && d < 0x80 ? Character.digit(d, 16) : -1;
          if (digit < 0) {
            return false;
          }
          c = c * 16 + digit;
        }
        i += 6;
      } else {
        i++;
      }
      if (c != TOKEN.charAt(k)) {
        return false;
      }
    }
    return message.asciiAt(i) == '"';
  }

  private static int skipJsonWhitespace(TextMessage message, int from) {
    int i = from;
    for (int c = message.asciiAt(i); c == ' ' || c == '\t' || c == '\n' || c == '\r'; c = message.asciiAt(++i)) {
      // skip
    }
    return i;
  }

  /**
   * The token of a re-authentication message, if {@code text} is one: a JSON object with exactly one member,
   * {@code "token"}, a string. Anything else is an application message (empty). The caller bounds the length.
   */
  static Optional<String> inBandToken(String text) {
    try {
      Map<String, Object> object = StrictJsonReader.defaults().readObject(text);
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
