package io.github.wsauth;

import java.util.Objects;

/**
 * What a client presented to authenticate: a bearer token, or a username and password (HTTP Basic, where the
 * password is the token). Every credential is tagged with its {@link CredentialSource}.
 *
 * <p>Security: {@code toString()} never shows the secret, and {@code equals} compares secrets in constant time.
 * Instances are immutable and thread-safe.
 */
public sealed interface Credential permits Credential.Token, Credential.UsernamePassword {

  /** Where the credential travelled. */
  CredentialSource source();

  /** The secret to verify: the token, or for Basic the password. Never log it. */
  String secret();

  /** Whether both credentials carry the same secret (and username), compared in constant time. */
  default boolean sameSecretAs(Credential other) {
    if (this instanceof UsernamePassword a && other instanceof UsernamePassword b) {
      return Secrets.constantTimeEquals(a.username(), b.username())
          & Secrets.constantTimeEquals(a.password(), b.password());
    }
    return Secrets.constantTimeEquals(secret(), other.secret());
  }

  /** Creates a bearer-token credential. */
  static Token token(String value, CredentialSource source) {
    return new Token(value, source);
  }

  /** Creates a username/password credential (HTTP Basic). */
  static UsernamePassword usernamePassword(String username, String password) {
    return new UsernamePassword(username, password);
  }

  /**
   * A bearer token.
   *
   * @param value the token; not empty
   * @param source where it travelled
   */
  record Token(String value, CredentialSource source) implements Credential {
    /** Validates the token: not null and not empty. */
    public Token {
      Objects.requireNonNull(value, "token must not be null");
      Objects.requireNonNull(source, "source must not be null");
      if (value.isEmpty()) {
        throw new IllegalArgumentException("token must not be empty");
      }
    }

    @Override
    public String secret() {
      return value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Token t && t.source == source && Secrets.constantTimeEquals(t.value, value);
    }

    @Override
    public int hashCode() {
      return source.hashCode(); // never derived from the secret
    }

    @Override
    public String toString() {
      return "Token[source=" + source + ", value=<redacted " + value.length() + " chars>]";
    }
  }

  /**
   * A username and password from HTTP Basic (RFC 7617). wsauth treats the password as a token.
   *
   * @param username the user-id; may be empty, never contains a colon or a control character
   * @param password the password, i.e. the token; not empty
   */
  record UsernamePassword(String username, String password) implements Credential {
    /** Validates the pair. */
    public UsernamePassword {
      Objects.requireNonNull(username, "username must not be null");
      Objects.requireNonNull(password, "password must not be null");
      if (password.isEmpty()) {
        throw new IllegalArgumentException("password must not be empty");
      }
      if (username.indexOf(':') >= 0) {
        throw new IllegalArgumentException("username must not contain a colon (RFC 7617)");
      }
      if (Secrets.hasControl(username)) {
        // The username is shown by toString(): a CR/LF in it would let a client forge log lines.
        throw new IllegalArgumentException("username must not contain control characters");
      }
    }

    @Override
    public CredentialSource source() {
      return CredentialSource.AUTHORIZATION_BASIC;
    }

    @Override
    public String secret() {
      return password;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof UsernamePassword u && sameSecretAs(u);
    }

    @Override
    public int hashCode() {
      return username.hashCode();
    }

    @Override
    public String toString() {
      return "UsernamePassword[username=" + username + ", password=<redacted>]";
    }
  }
}
