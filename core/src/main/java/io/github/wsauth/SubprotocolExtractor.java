package io.github.wsauth;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A token carried as a {@code Sec-WebSocket-Protocol} entry {@code <prefix><token>}. The remaining entries are
 * the application subprotocols the server may select; the token entry is never among them.
 */
final class SubprotocolExtractor implements CredentialExtractor {
  private static final Set<CredentialSource> SOURCES = Set.of(CredentialSource.SUBPROTOCOL);
  private final String prefix;

  SubprotocolExtractor(String prefix) {
    Objects.requireNonNull(prefix, "prefix must not be null");
    if (!Secrets.isHttpToken(prefix)) {
      throw new IllegalArgumentException("subprotocol prefix must be a non-empty HTTP token");
    }
    this.prefix = prefix;
  }

  /** The prefix that marks a token entry. */
  String prefix() {
    return prefix;
  }

  @Override
  public Set<CredentialSource> sources() {
    return SOURCES;
  }

  @Override
  public Extraction extract(UpgradeRequest request) {
    List<String> offered = request.subprotocols();
    if (offered.isEmpty()) {
      return Extraction.absent();
    }
    String token = null;
    List<String> remaining = null;
    for (int i = 0; i < offered.size(); i++) {
      String entry = offered.get(i);
      if (entry.length() > MAX_CREDENTIAL_LENGTH + prefix.length()) {
        return Extraction.malformed(CredentialSource.SUBPROTOCOL, "subprotocol entry too long");
      }
      if (!Secrets.isHttpToken(entry)) {
        return Extraction.malformed(CredentialSource.SUBPROTOCOL, "subprotocol entry is not an HTTP token");
      }
      if (entry.startsWith(prefix)) {
        if (token != null) {
          return Extraction.malformed(CredentialSource.SUBPROTOCOL, "more than one token subprotocol entry");
        }
        token = entry.substring(prefix.length());
        if (token.isEmpty()) {
          return Extraction.malformed(CredentialSource.SUBPROTOCOL, "empty credential");
        }
        if (remaining == null) {
          remaining = new ArrayList<>(offered.size());
          remaining.addAll(offered.subList(0, i));
        }
      } else if (remaining != null) {
        remaining.add(entry);
      }
    }
    if (token == null) {
      return Extraction.absent();
    }
    return Extraction.present(Credential.token(token, CredentialSource.SUBPROTOCOL), remaining);
  }
}
