package io.github.wsauth;

import java.util.List;
import java.util.Set;

/**
 * Finds the credential in an {@link UpgradeRequest}. Returns {@link Extraction.Present}, {@link
 * Extraction.Absent} or {@link Extraction.Malformed}; never throws on hostile input.
 *
 * <p>Stock extractors come from the static factories; chain several with {@link #firstOf}:
 *
 * <pre>{@code
 * CredentialExtractor extractor = CredentialExtractor.firstOf(
 *     CredentialExtractor.bearerHeader(),
 *     CredentialExtractor.queryParameter("token"),
 *     CredentialExtractor.subprotocol());
 * }</pre>
 *
 * <p>Security defaults: every stock extractor caps the credential at {@link #MAX_CREDENTIAL_LENGTH} characters
 * before any decoding, decodes strictly (malformed input is rejected, not repaired) and treats a duplicated
 * credential as malformed rather than picking one. Implementations must be thread-safe and stateless.
 */
@FunctionalInterface
public interface CredentialExtractor {

  /** The longest credential, in characters, that the stock extractors accept (4 KiB). */
  int MAX_CREDENTIAL_LENGTH = 4096;

  /** The default prefix of a token entry in {@code Sec-WebSocket-Protocol}. */
  String DEFAULT_SUBPROTOCOL_PREFIX = "authorization.bearer.";

  /** Extracts the credential from the request. */
  Extraction extract(UpgradeRequest request);

  /**
   * Where this extractor looks; used, e.g., to insist on an {@link OriginPolicy} when cookies are accepted and
   * to choose {@code WWW-Authenticate} challenges. Custom extractors should override it.
   */
  default Set<CredentialSource> sources() {
    return Set.of();
  }

  /**
   * {@code Authorization: Bearer <token>} (RFC 6750 §2.1). The scheme is case-insensitive; exactly one space
   * separates it from a {@code b64token}. Several {@code Authorization} headers, a comma-folded value, extra
   * spaces or an empty token are malformed. Another scheme (e.g. Basic) is absent for this extractor.
   */
  static CredentialExtractor bearerHeader() {
    return AuthorizationHeaderExtractor.BEARER;
  }

  /**
   * {@code Authorization: Basic <base64(user:password)>} (RFC 7617), which browsers and clients send for
   * {@code ws://user:token@host/}. Base64 must be canonical with padding, the bytes valid UTF-8, the pair split
   * at the first colon, and no control characters anywhere; otherwise malformed. The password is the token.
   */
  static CredentialExtractor basicHeader() {
    return AuthorizationHeaderExtractor.BASIC;
  }

  /**
   * {@link #basicHeader()}, and also the token as the user name with an empty password: {@code
   * ws://<token>@host/}, which browsers send as {@code Authorization: Basic base64("<token>:")}. Use it for
   * browsers: Firefox caches Basic credentials per user name and, when the user name is the same as last time,
   * sends the previous (already used) single-use token up front and never the new one; with the token as the user
   * name every connection has a new user name (Firefox ESR 153 and Chromium 156: 10/10 sequential connections,
   * docs/DEMO.md).
   *
   * <p>Exactly what is accepted, after the strict decoding of {@link #basicHeader()} (canonical base64, UTF-8, no
   * control character, split at the first colon):
   *
   * <ul>
   *   <li>{@code user:password} with a non-empty password: a {@link Credential.UsernamePassword}, the password is
   *       the token and the user name must equal the verified subject, exactly as {@link #basicHeader()};
   *   <li>{@code token:} (empty password): a {@link Credential.Token} from {@link
   *       CredentialSource#AUTHORIZATION_BASIC}; the user name must be a non-empty RFC 6750 b64token (which has
   *       no colon), otherwise malformed. No user name is given, so there is no subject to check; the token
   *       alone identifies the user.
   * </ul>
   *
   * <p>An empty password is never read as a pair and a non-empty one never as a bare token, so the two forms
   * cannot be confused. {@code :} alone, or no colon, is malformed.
   */
  static CredentialExtractor basicHeaderWithTokenAsUserName() {
    return AuthorizationHeaderExtractor.BASIC_OR_TOKEN_AS_USER_NAME;
  }

  /**
   * A query parameter such as {@code ?token=...}. A repeated parameter, an empty value, or a query that is not
   * valid percent-encoded UTF-8 anywhere (in any pair, before or after the token, e.g. {@code ?token=…&x=%ZZ}) is
   * malformed, so the request is refused with 400 before the token is verified: a container or application that
   * fails on the rest of the query later must not find the token already used. URLs are logged by proxies: accept
   * only single-use, short-lived tokens this way, and log URIs through {@link Redaction#uri(String)}.
   */
  static CredentialExtractor queryParameter(String name) {
    return new QueryParameterExtractor(name);
  }

  /**
   * A cookie by name (case-sensitive). The same name with different values is malformed (cookie tossing);
   * the same value twice is accepted. Pair it with an {@link OriginPolicy} allow-list: browsers attach cookies
   * to cross-site WebSocket requests.
   */
  static CredentialExtractor cookie(String name) {
    return new CookieExtractor(name);
  }

  /** A {@code Sec-WebSocket-Protocol} entry {@code authorization.bearer.<token>}; see {@link #subprotocol(String)}. */
  static CredentialExtractor subprotocol() {
    return new SubprotocolExtractor(DEFAULT_SUBPROTOCOL_PREFIX);
  }

  /**
   * A {@code Sec-WebSocket-Protocol} entry {@code <prefix><token>}, as Kubernetes and Quarkus do. Every offered
   * entry must be an HTTP token, and at most one token entry may be offered. The extraction lists the remaining
   * (application) subprotocols; the token entry is never selectable.
   */
  static CredentialExtractor subprotocol(String prefix) {
    return new SubprotocolExtractor(prefix);
  }

  /**
   * Runs every extractor and returns the one credential found. Any malformed extraction makes the result
   * malformed; two different credentials in one request are malformed too (not "pick one"); the same secret in
   * two places is accepted once, from the first extractor that found it.
   */
  static CredentialExtractor firstOf(CredentialExtractor... extractors) {
    return new FirstOfExtractor(List.of(extractors));
  }
}
