package io.github.wsauth.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Subprotocol negotiation (RFC 6455 §4.2.2 item 5.4): the server's first preferred application subprotocol that
 * the client offered, and never a token entry ({@code authorization.bearer.<token>}): echoing it would send the
 * credential back in a response header that proxies and browsers' tools record. The one definition behind {@code
 * HandshakeAuthenticator}'s choice and the Jakarta configurator's {@code getNegotiatedSubprotocol}.
 *
 * <p>Internal: shared by wsauth's modules, not part of the API. Thread-safe (stateless).
 */
public final class Subprotocols {
  private Subprotocols() {}

  /**
   * The entries of {@code protocols} that are not token entries: trimmed, blank ones and those starting with any
   * of {@code tokenPrefixes} left out, in order.
   *
   * @param protocols the entries (null is none; null entries are skipped)
   * @param tokenPrefixes the prefixes of a token entry
   */
  public static List<String> withoutTokenEntries(List<String> protocols, Collection<String> tokenPrefixes) {
    if (protocols == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(protocols.size());
    for (String p : protocols) {
      if (p != null && !p.isBlank() && !isTokenEntry(p.strip(), tokenPrefixes)) {
        out.add(p.strip());
      }
    }
    return out;
  }

  private static boolean isTokenEntry(String protocol, Collection<String> tokenPrefixes) {
    for (String prefix : tokenPrefixes) {
      if (protocol.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first of {@code preferred} that {@code offered} holds, or null.
   *
   * @param preferred the server's subprotocols, in its order of preference
   * @param offered the client's application subprotocols (token entries already removed)
   */
  public static String select(List<String> preferred, List<String> offered) {
    for (String mine : preferred) {
      if (offered.contains(mine)) {
        return mine;
      }
    }
    return null;
  }
}
