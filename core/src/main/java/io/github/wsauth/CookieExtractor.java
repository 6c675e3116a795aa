package io.github.wsauth;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** A credential in a cookie; the same name with different values (cookie tossing) is malformed. */
final class CookieExtractor implements CredentialExtractor {
  private static final Set<CredentialSource> SOURCES = Set.of(CredentialSource.COOKIE);
  private final String name;

  CookieExtractor(String name) {
    Objects.requireNonNull(name, "cookie name must not be null");
    if (!Secrets.isHttpToken(name)) {
      throw new IllegalArgumentException("cookie name must be an HTTP token");
    }
    this.name = name;
  }

  @Override
  public Set<CredentialSource> sources() {
    return SOURCES;
  }

  @Override
  public Extraction extract(UpgradeRequest request) {
    List<String> headers = request.headerValues("Cookie");
    String found = null;
    for (String header : headers) {
      int start = 0;
      int n = header.length();
      while (start < n) {
        int semi = header.indexOf(';', start);
        int end = semi < 0 ? n : semi;
        int eq = header.indexOf('=', start);
        if (eq >= 0 && eq < end && nameMatches(header, start, eq)) {
          int vs = eq + 1;
          int ve = end;
          while (vs < ve && isOws(header.charAt(vs))) {
            vs++;
          }
          while (ve > vs && isOws(header.charAt(ve - 1))) {
            ve--;
          }
          // Cap before unquoting allows for the two DQUOTEs only when they are really there: an unquoted value
          // of 4097 or 4098 characters is too long too.
          boolean quoted = ve - vs >= 2 && header.charAt(vs) == '"' && header.charAt(ve - 1) == '"';
          if (ve - vs > MAX_CREDENTIAL_LENGTH + (quoted ? 2 : 0)) {
            return Extraction.malformed(CredentialSource.COOKIE, "credential too long");
          }
          if (quoted) {
            vs++;
            ve--;
          }
          String value = header.substring(vs, ve);
          if (value.isEmpty()) {
            return Extraction.malformed(CredentialSource.COOKIE, "empty credential");
          }
          if (!isCookieValue(value)) {
            return Extraction.malformed(CredentialSource.COOKIE, "invalid character in cookie value");
          }
          if (found == null) {
            found = value;
          } else if (!Secrets.constantTimeEquals(found, value)) {
            return Extraction.malformed(CredentialSource.COOKIE, "cookie sent twice with different values");
          }
        }
        start = end + 1;
      }
    }
    return found == null
        ? Extraction.absent()
        : Extraction.present(Credential.token(found, CredentialSource.COOKIE), request.subprotocols());
  }

  private boolean nameMatches(String header, int start, int eq) {
    int s = start;
    int e = eq;
    while (s < e && isOws(header.charAt(s))) {
      s++;
    }
    while (e > s && isOws(header.charAt(e - 1))) {
      e--;
    }
    return e - s == name.length() && header.regionMatches(s, name, 0, name.length());
  }

  private static boolean isOws(char c) {
    return c == ' ' || c == '\t';
  }

  /** RFC 6265 §4.1.1 cookie-octet. */
  private static boolean isCookieValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = c == 0x21 || (c >= 0x23 && c <= 0x2b) || (c >= 0x2d && c <= 0x3a)
          || (c >= 0x3c && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
