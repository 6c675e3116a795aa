package io.github.wsauth;

import java.util.Base64;
import java.util.List;
import java.util.Set;

/** {@code Authorization: Bearer} and {@code Authorization: Basic}, parsed strictly. */
final class AuthorizationHeaderExtractor implements CredentialExtractor {
  static final AuthorizationHeaderExtractor BEARER =
      new AuthorizationHeaderExtractor("Bearer", CredentialSource.AUTHORIZATION_BEARER, false);
  static final AuthorizationHeaderExtractor BASIC =
      new AuthorizationHeaderExtractor("Basic", CredentialSource.AUTHORIZATION_BASIC, false);
  static final AuthorizationHeaderExtractor BASIC_OR_TOKEN_AS_USER_NAME =
      new AuthorizationHeaderExtractor("Basic", CredentialSource.AUTHORIZATION_BASIC, true);

  private final String scheme;
  private final CredentialSource source;
  private final Set<CredentialSource> sources;
  private final boolean tokenAsUserName;

  private AuthorizationHeaderExtractor(String scheme, CredentialSource source, boolean tokenAsUserName) {
    this.scheme = scheme;
    this.source = source;
    this.sources = Set.of(source);
    this.tokenAsUserName = tokenAsUserName;
  }

  @Override
  public Set<CredentialSource> sources() {
    return sources;
  }

  @Override
  public Extraction extract(UpgradeRequest request) {
    List<String> values = request.headerValues("Authorization");
    if (values.isEmpty()) {
      return Extraction.absent();
    }
    if (values.size() > 1) {
      // Several Authorization headers, whatever their schemes, are ambiguous: refuse rather than pick one.
      return Extraction.malformed(source, "more than one Authorization header");
    }
    String value = values.get(0);
    if (value.length() > MAX_CREDENTIAL_LENGTH + scheme.length() + 1) {
      return isOurScheme(value) ? Extraction.malformed(source, "credential too long") : Extraction.absent();
    }
    if (!isOurScheme(value)) {
      return Extraction.absent();
    }
    if (value.length() == scheme.length() || value.charAt(scheme.length()) != ' ') {
      return Extraction.malformed(source, "malformed Authorization header");
    }
    String param = value.substring(scheme.length() + 1);
    if (param.indexOf(',') >= 0) {
      return Extraction.malformed(source, "more than one credential in the Authorization header");
    }
    if (param.isEmpty() || !Secrets.isB64token(param)) {
      return Extraction.malformed(source, "malformed Authorization header");
    }
    return source == CredentialSource.AUTHORIZATION_BEARER ? bearer(param, request) : basic(param, request);
  }

  private boolean isOurScheme(String value) {
    // RFC 9110 §11.1: the auth-scheme is case-insensitive.
    return value.regionMatches(true, 0, scheme, 0, scheme.length())
        && (value.length() == scheme.length() || !Secrets.isTchar(value.charAt(scheme.length())));
  }

  private Extraction bearer(String token, UpgradeRequest request) {
    return Extraction.present(Credential.token(token, source), request.subprotocols());
  }

  private Extraction basic(String token68, UpgradeRequest request) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(token68);
    } catch (IllegalArgumentException e) {
      return Extraction.malformed(source, "invalid base64 in Basic credentials");
    }
    // Java's decoder accepts missing padding and non-zero unused bits; insist on the one canonical form.
    if (!Base64.getEncoder().encodeToString(bytes).equals(token68)) {
      return Extraction.malformed(source, "non-canonical base64 in Basic credentials");
    }
    String decoded = PercentDecoding.strictUtf8(bytes, 0, bytes.length);
    if (decoded == null) {
      return Extraction.malformed(source, "Basic credentials are not valid UTF-8");
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Extraction.malformed(source, "Basic credentials without a colon");
    }
    if (Secrets.hasControl(decoded)) {
      return Extraction.malformed(source, "control character in Basic credentials");
    }
    String password = decoded.substring(colon + 1);
    if (password.isEmpty()) {
      if (!tokenAsUserName) {
        return Extraction.malformed(source, "empty password in Basic credentials");
      }
      // ws://<token>@host/ (see CredentialExtractor.basicHeaderWithTokenAsUserName): the whole user-id is the
      // token. No user name is given, so there is nothing to match against the subject; a token is a b64token,
      // which has no colon, so "<token>:" cannot be read as any user:password pair.
      String token = decoded.substring(0, colon);
      if (token.isEmpty()) {
        return Extraction.malformed(source, "empty Basic credentials");
      }
      if (!Secrets.isB64token(token)) {
        return Extraction.malformed(source, "malformed token as the Basic user name");
      }
      return Extraction.present(Credential.token(token, source), request.subprotocols());
    }
    return Extraction.present(
        Credential.usernamePassword(decoded.substring(0, colon), password), request.subprotocols());
  }
}
