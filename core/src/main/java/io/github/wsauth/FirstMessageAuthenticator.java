package io.github.wsauth;

import io.github.wsauth.store.TokenStoreUnavailableException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.internal.CloseCodes;
import io.github.wsauth.internal.StrictJsonReader;
import io.github.wsauth.internal.Utf8;

/**
 * Transport-free logic for authenticating with the first WebSocket message, the safest way for a browser: the
 * token never appears in a URL or a header. Adapters start a timer of {@link #deadline()} when the handshake
 * completes, pass the first text message to {@link #authenticate(ByteBuffer)} and close the connection as the
 * result says; they call {@link #timedOut()} when the deadline passes first.
 *
 * <pre>{@code
 * FirstMessageAuthenticator auth = FirstMessageAuthenticator.builder()
 *     .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults()))
 *     .format(FirstMessageAuthenticator.Format.JSON)     // {"token": "..."}
 *     .build();
 * }</pre>
 *
 * <p>Defaults: 10 second deadline, 4096-byte cap (checked before decoding), raw token format, close 1008 for a bad
 * credential and for the deadline, 1009 for an oversized message, 1011 for a store failure; every code can be
 * changed, e.g. to 4401/4408 in the graphql-ws style. UTF-8 is decoded strictly. Immutable and thread-safe.
 */
public final class FirstMessageAuthenticator {
  private static final Logger LOG = System.getLogger(FirstMessageAuthenticator.class.getName());
  /** Close code for a policy violation (RFC 6455 §7.4.1). */
  public static final int POLICY_VIOLATION = 1008;
  /** Close code for a message too big to process. */
  public static final int MESSAGE_TOO_BIG = 1009;
  /** Close code for an unexpected server condition, e.g. the token store is down. */
  public static final int INTERNAL_ERROR = 1011;

  private final TokenVerifier verifier;
  private final Duration deadline;
  private final int maxMessageBytes;
  private final Format format;
  private final int rejectedCode;
  private final int timeoutCode;
  private final int tooBigCode;
  private final int unavailableCode;
  private final AuthListener listener;

  private FirstMessageAuthenticator(Builder b) {
    this.verifier = b.verifier;
    this.deadline = b.deadline;
    this.maxMessageBytes = b.maxMessageBytes;
    this.format = b.format;
    this.rejectedCode = b.rejectedCode;
    this.timeoutCode = b.timeoutCode;
    this.tooBigCode = b.tooBigCode;
    this.unavailableCode = b.unavailableCode;
    this.listener = b.listener;
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** How the credential is written in the first message. */
  public enum Format {
    /** The message is the token itself, nothing else. */
    RAW,
    /**
     * The message is a JSON object with a string member {@code "token"}; other members are ignored. It is read as
     * strict RFC 8259 JSON: a duplicate key, an unpaired surrogate escape, a raw control character in a string,
     * whitespace other than JSON's four characters, nesting deeper than 64 or trailing data is malformed.
     */
    JSON
  }

  /** How long a client has, from the end of the handshake, to send its first message. */
  public Duration deadline() {
    return deadline;
  }

  /** The message format. */
  public Format format() {
    return format;
  }

  /** The verifier of the tokens; adapters lend it to in-band re-authentication. */
  public TokenVerifier verifier() {
    return verifier;
  }

  /** The largest first message accepted, in bytes. */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * Authenticates a first text message given as UTF-8 bytes (from position to limit; the buffer is not moved).
   * The size cap is checked before decoding.
   *
   * @throws NullPointerException if {@code utf8} is null
   */
  public FirstMessageResult authenticate(ByteBuffer utf8) {
    if (utf8.remaining() > maxMessageBytes) {
      return tooBig();
    }
    String text = PercentDecoding.strictUtf8(utf8);
    if (text == null) {
      return reject(null, rejectedCode, "first message is not valid UTF-8");
    }
    return authenticateText(text);
  }

  /** Authenticates a first text message already decoded by the framework; the size cap applies to its UTF-8. */
  public FirstMessageResult authenticate(String message) {
    Objects.requireNonNull(message, "message must not be null");
    if (message.length() > maxMessageBytes || Utf8.length(message) > maxMessageBytes) {
      return tooBig();
    }
    return authenticateText(message);
  }

  /** The answer when a message exceeds the size cap before it is even read whole. */
  public FirstMessageResult tooBig() {
    return reject(null, tooBigCode, "authentication message too big");
  }

  /** The answer when the deadline passed without a first message. */
  public FirstMessageResult timedOut() {
    return reject(null, timeoutCode, "authentication timeout");
  }

  /** The answer when the first message is not a text message (binary, or a fragment we refuse to wait for). */
  public FirstMessageResult notText() {
    return reject(null, rejectedCode, "authentication message must be text");
  }

  private FirstMessageResult authenticateText(String message) {
    CredentialSource source = CredentialSource.FIRST_MESSAGE;
    String token = format == Format.RAW ? message : tokenFromJson(message);
    if (token == null || token.isEmpty() || token.length() > CredentialExtractor.MAX_CREDENTIAL_LENGTH
        || !Secrets.isB64token(token)) {
      return reject(source, rejectedCode, "malformed authentication message");
    }
    Verification verification;
    try {
      verification = verifier.verify(token);
      if (verification == null) {
        throw new IllegalStateException("verifier returned null");
      }
    } catch (TokenStoreUnavailableException e) {
      // Store down: fail closed, nothing consumed, and say so with 1011. The TokenStore contract keeps secrets out
      // of this message, so operators see why (as HandshakeAuthenticator logs it); the token is masked all the same.
      LOG.log(Level.WARNING, "token store unavailable: " + Secrets.loggableMessage(e, token));
      return reject(source, unavailableCode, "authentication temporarily unavailable");
    } catch (RuntimeException e) {
      // A verifier bug: fail closed the same way; its message may hold anything, so only the class is logged.
      LOG.log(Level.ERROR, "token verifier failed: " + e.getClass().getName());
      return reject(source, unavailableCode, "authentication temporarily unavailable");
    }
    if (verification instanceof Verification.Rejected r) {
      return reject(source, rejectedCode, r.detail());
    }
    Identity identity = ((Verification.Verified) verification).identity().withSource(CredentialSource.FIRST_MESSAGE);
    AuthListener.notify(listener, new AuthEvent(AuthEvent.Stage.FIRST_MESSAGE, true, source,
        identity.subject(), "accepted", 0, null));
    return new FirstMessageResult.Accepted(identity);
  }

  private static String tokenFromJson(String message) {
    try {
      // Strict RFC 8259: duplicate keys (which "token" would win?), unpaired surrogates, deep nesting and trailing
      // data are refused, so every JSON parser downstream would read the same token.
      Object token = StrictJsonReader.defaults().readObject(message).get("token");
      return token instanceof String s ? s : null;
    } catch (StrictJsonReader.MalformedJsonException e) {
      return null;
    }
  }

  private FirstMessageResult reject(CredentialSource source, int code, String reason) {
    AuthListener.notify(listener, new AuthEvent(AuthEvent.Stage.FIRST_MESSAGE, false, source, null,
        reason, code, null));
    return new FirstMessageResult.Rejected(code, reason);
  }

  @Override
  public String toString() {
    return "FirstMessageAuthenticator[deadline=" + deadline + ", maxMessageBytes=" + maxMessageBytes + ", format="
        + format + "]";
  }

  /** Builds a {@link FirstMessageAuthenticator}; not thread-safe. */
  public static final class Builder {
    private TokenVerifier verifier;
    private Duration deadline = Duration.ofSeconds(10);
    private int maxMessageBytes = CredentialExtractor.MAX_CREDENTIAL_LENGTH;
    private Format format = Format.RAW;
    private int rejectedCode = POLICY_VIOLATION;
    private int timeoutCode = POLICY_VIOLATION;
    private int tooBigCode = MESSAGE_TOO_BIG;
    private int unavailableCode = INTERNAL_ERROR;
    private AuthListener listener = AuthListener.NONE;

    private Builder() {}

    /** How to verify the token (required). */
    public Builder verifier(TokenVerifier verifier) {
      this.verifier = Objects.requireNonNull(verifier, "verifier must not be null");
      return this;
    }

    /** Time allowed for the first message; default 10 seconds, at most 5 minutes. */
    public Builder deadline(Duration deadline) {
      Objects.requireNonNull(deadline, "deadline must not be null");
      if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException("deadline must be positive and at most 5 minutes");
      }
      this.deadline = deadline;
      return this;
    }

    /** Largest first message in bytes; default 4096, between 64 and 65536. */
    public Builder maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes < 64 || maxMessageBytes > 65536) {
        throw new IllegalArgumentException("maximum message size must be between 64 and 65536 bytes");
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /** The message format; default {@link Format#RAW}. */
    public Builder format(Format format) {
      this.format = Objects.requireNonNull(format, "format must not be null");
      return this;
    }

    /** Close code for a bad credential (default 1008). */
    public Builder rejectedCloseCode(int code) {
      this.rejectedCode = checkCode(code);
      return this;
    }

    /** Close code when the deadline passes (default 1008). */
    public Builder timeoutCloseCode(int code) {
      this.timeoutCode = checkCode(code);
      return this;
    }

    /** Close code for an oversized message (default 1009). */
    public Builder tooBigCloseCode(int code) {
      this.tooBigCode = checkCode(code);
      return this;
    }

    /** Close code when the store is unavailable (default 1011). */
    public Builder unavailableCloseCode(int code) {
      this.unavailableCode = checkCode(code);
      return this;
    }

    /** Observes every decision; default {@link AuthListener#NONE}. */
    public Builder listener(AuthListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener must not be null");
      return this;
    }

    private static int checkCode(int code) {
      if (!CloseCodes.sendable(code)) {
        throw new IllegalArgumentException("not a close code a server may send: " + code);
      }
      return code;
    }

    /** Builds the authenticator. */
    public FirstMessageAuthenticator build() {
      if (verifier == null) {
        throw new IllegalStateException("verifier must be set");
      }
      return new FirstMessageAuthenticator(this);
    }
  }
}
