package io.github.wsauth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of a {@link CredentialExtractor}: a credential is {@link Present}, {@link Absent}, or
 * {@link Malformed}. Malformed becomes HTTP 400 ({@code invalid_request}); absent becomes 401.
 *
 * <p>No variant ever holds a secret in its {@code toString()}.
 */
public sealed interface Extraction permits Extraction.Present, Extraction.Absent, Extraction.Malformed {

  /** A credential was found. */
  static Present present(Credential credential, List<String> applicationSubprotocols) {
    return new Present(credential, applicationSubprotocols);
  }

  /** No credential was found. */
  static Absent absent() {
    return Absent.INSTANCE;
  }

  /** The request carries something that is not a well-formed credential. */
  static Malformed malformed(CredentialSource source, String reason) {
    return new Malformed(source, reason);
  }

  /** The credential, if present. */
  default Optional<Credential> presentCredential() {
    return this instanceof Present p ? Optional.of(p.credential()) : Optional.empty();
  }

  /**
   * A credential was found.
   *
   * @param credential the credential
   * @param applicationSubprotocols the offered subprotocols the server may select, in the client's order;
   *     never contains a subprotocol entry that carried a token
   */
  record Present(Credential credential, List<String> applicationSubprotocols) implements Extraction {
    /** Validates and copies. */
    public Present {
      Objects.requireNonNull(credential, "credential must not be null");
      applicationSubprotocols = List.copyOf(applicationSubprotocols);
    }
  }

  /** No credential was found in the places this extractor looks. */
  final class Absent implements Extraction {
    static final Absent INSTANCE = new Absent();

    private Absent() {}

    @Override
    public String toString() {
      return "Absent";
    }
  }

  /**
   * Something that should be a credential is malformed: duplicated, badly encoded, too long, or two different
   * credentials in one request.
   *
   * @param source where the malformed credential was (the first one, for a conflict)
   * @param reason a short public reason that never contains the input
   */
  record Malformed(CredentialSource source, String reason) implements Extraction {
    /** Validates. */
    public Malformed {
      Objects.requireNonNull(source, "source must not be null");
      Objects.requireNonNull(reason, "reason must not be null");
    }
  }
}
