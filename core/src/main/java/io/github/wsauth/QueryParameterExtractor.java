package io.github.wsauth;

import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A credential in a query parameter, read from the raw query so the length cap applies before decoding. A query
 * that does not decode anywhere is malformed, whichever pair is at fault.
 */
final class QueryParameterExtractor implements CredentialExtractor {
  private static final Set<CredentialSource> SOURCES = Set.of(CredentialSource.QUERY_PARAMETER);
  private final String name;

  QueryParameterExtractor(String name) {
    Objects.requireNonNull(name, "parameter name must not be null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("parameter name must not be empty");
    }
    this.name = name;
  }

  @Override
  public Set<CredentialSource> sources() {
    return SOURCES;
  }

  @Override
  public Extraction extract(UpgradeRequest request) {
    String query = request.rawQuery().orElse(null);
    if (query == null) {
      return Extraction.absent();
    }
    String found = null;
    int start = 0;
    int n = query.length();
    while (start <= n) {
      int amp = query.indexOf('&', start);
      int end = amp < 0 ? n : amp;
      if (end > start) {
        int eq = query.indexOf('=', start);
        if (eq < 0 || eq > end) {
          eq = end;
        }
        String pairName = PercentDecoding.decodeFormComponent(query, start, eq);
        if (pairName == null) {
          // Cannot tell whether this pair is ours: fail closed.
          return Extraction.malformed(CredentialSource.QUERY_PARAMETER, "malformed query string");
        }
        if (pairName.equals(name)) {
          if (found != null) {
            return Extraction.malformed(CredentialSource.QUERY_PARAMETER, "repeated query parameter");
          }
          int rawLength = end - Math.min(end, eq + 1);
          if (rawLength > MAX_CREDENTIAL_LENGTH) {
            return Extraction.malformed(CredentialSource.QUERY_PARAMETER, "credential too long");
          }
          String value = eq == end ? "" : PercentDecoding.decodeFormComponent(query, eq + 1, end);
          if (value == null) {
            return Extraction.malformed(CredentialSource.QUERY_PARAMETER, "malformed percent-encoding");
          }
          if (value.isEmpty()) {
            return Extraction.malformed(CredentialSource.QUERY_PARAMETER, "empty credential");
          }
          if (Secrets.hasControl(value) || value.indexOf(' ') >= 0) {
            return Extraction.malformed(CredentialSource.QUERY_PARAMETER, "invalid character in credential");
          }
          found = value;
        }
      }
      start = end + 1;
    }
    if (request.isQueryMalformed()) {
      // Another pair does not decode (?token=...&x=%ZZ). The container or the application would fail on it after
      // the token was consumed (Tomcat answered 500), so refuse the whole request before verification (issue 13).
      return Extraction.malformed(CredentialSource.QUERY_PARAMETER, "malformed query string");
    }
    return found == null
        ? Extraction.absent()
        : Extraction.present(Credential.token(found, CredentialSource.QUERY_PARAMETER), request.subprotocols());
  }

  /** The parameter name, decoded, as it is matched. */
  String name() {
    return name;
  }

  /**
   * {@code rawQuery} with the value of every pair whose decoded name is one of {@code names} replaced by {@link
   * Redaction#MASK}, matched as {@link #extract} matches (so {@code %74oken} is {@code token}); every other pair,
   * separator and pair whose name does not decode is kept as it is. Null stays null.
   */
  static String redact(String rawQuery, Set<String> names) {
    if (rawQuery == null) {
      return null;
    }
    StringJoiner out = new StringJoiner("&");
    for (String pair : rawQuery.split("&", -1)) {
      String rawName = pair.split("=", 2)[0];
      String name = PercentDecoding.decodeFormComponent(rawName, 0, rawName.length());
      out.add(name != null && names.contains(name) ? rawName + "=" + Redaction.MASK : pair);
    }
    return out.toString();
  }
}
