package io.github.wsauth;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.wsauth.internal.CharClasses;

/**
 * How a machine-to-machine client presents a token on the opening handshake, for any WebSocket client: {@code
 * Authorization: Bearer}, {@code Authorization: Basic}, or a {@code Sec-WebSocket-Protocol} token entry. The
 * Jakarta adapter's {@code WsAuthClientConfigurator} applies one to each handshake; with another client, add
 * {@link #headerName()} with {@link #nextHeaderValue()}:
 *
 * <pre>{@code
 * ClientCredential credential = ClientCredential.bearer(() -> tokenClient.fetchToken());
 * WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
 *     .header(credential.headerName(), credential.nextHeaderValue())   // one fresh token per handshake
 *     .buildAsync(URI.create("wss://ws.example/chat"), listener)
 *     .join();
 * }</pre>
 *
 * <p>The token supplier is called once per {@link #applyTo} or {@link #nextHeaderValue}, so single-use tokens work.
 * Security: a supplied token that is null, empty or holds a control character is refused with an {@link
 * IllegalStateException} before any header is touched (a CR/LF could otherwise add header lines), and neither
 * messages nor {@code toString()} show it. Immutable and thread-safe if the supplier is.
 */
public final class ClientCredential {
  private static final String AUTHORIZATION = "Authorization";
  private static final String SUBPROTOCOL_HEADER = "Sec-WebSocket-Protocol";

  private enum Scheme { BEARER, BASIC, SUBPROTOCOL }

  private final Scheme scheme;
  private final String username;
  private final String prefix;
  private final Supplier<String> token;

  private ClientCredential(Scheme scheme, String username, String prefix, Supplier<String> token) {
    this.scheme = scheme;
    this.username = username;
    this.prefix = prefix;
    this.token = Objects.requireNonNull(token, "token supplier must not be null");
  }

  /** {@code Authorization: Bearer <token>} (RFC 6750 §2.1). */
  public static ClientCredential bearer(Supplier<String> token) {
    return new ClientCredential(Scheme.BEARER, null, null, token);
  }

  /**
   * {@code Authorization: Basic base64(username:token)} (RFC 7617, UTF-8).
   *
   * @throws IllegalArgumentException if {@code username} holds a colon or a control character (RFC 7617 §2)
   */
  public static ClientCredential basic(String username, Supplier<String> token) {
    Objects.requireNonNull(username, "username must not be null");
    if (username.indexOf(':') >= 0 || CharClasses.hasControl(username)) {
      throw new IllegalArgumentException("username must not contain a colon or control characters (RFC 7617)");
    }
    return new ClientCredential(Scheme.BASIC, username, null, token);
  }

  /**
   * The token entry {@code authorization.bearer.<token>} ({@link CredentialExtractor#DEFAULT_SUBPROTOCOL_PREFIX})
   * in {@code Sec-WebSocket-Protocol}; offer an application subprotocol too (the server selects it, never the token
   * entry).
   */
  public static ClientCredential subprotocol(Supplier<String> token) {
    return subprotocol(CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX, token);
  }

  /**
   * The token entry {@code <prefix><token>} in {@code Sec-WebSocket-Protocol}.
   *
   * @throws IllegalArgumentException if {@code prefix} is not a non-empty HTTP token (RFC 9110 §5.6.2)
   */
  public static ClientCredential subprotocol(String prefix, Supplier<String> token) {
    return new ClientCredential(Scheme.SUBPROTOCOL, null, CharClasses.requireHttpToken(prefix, "subprotocol prefix"),
        token);
  }

  /** The header this credential travels in: {@code Authorization} or {@code Sec-WebSocket-Protocol}. */
  public String headerName() {
    return scheme == Scheme.SUBPROTOCOL ? SUBPROTOCOL_HEADER : AUTHORIZATION;
  }

  /**
   * A fresh header value, from one call of the token supplier: {@code Bearer <token>}, {@code Basic <base64>}, or
   * the one subprotocol entry {@code <prefix><token>} to offer after the application's subprotocols (with the JDK
   * client: {@code builder.subprotocols("chat", credential.nextHeaderValue())}, which refuses it as a header).
   *
   * @throws IllegalStateException if the supplier returned null, an empty value or a control character, or, for a
   *     subprotocol, a token that is not an HTTP token; the message never shows the token
   */
  public String nextHeaderValue() {
    String value = token.get();
    if (value == null || value.isEmpty() || CharClasses.hasControl(value)) {
      throw new IllegalStateException("the token supplier returned no usable token");
    }
    switch (scheme) {
      case BEARER:
        return "Bearer " + value;
      case BASIC:
        String pair = username + ":" + value;
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
      default:
        if (!CharClasses.isHttpToken(prefix + value)) {
          throw new IllegalStateException("the token cannot travel in Sec-WebSocket-Protocol (not an HTTP token)");
        }
        return prefix + value;
    }
  }

  /**
   * Adds a fresh credential ({@link #nextHeaderValue()}) to a client's mutable request headers, names compared
   * ignoring case: an {@code Authorization} header replaces any there; a subprotocol entry goes after the
   * application subprotocols already offered, in one {@code Sec-WebSocket-Protocol} header, and entries with this
   * prefix (a stale token) are dropped. On a refused token the headers are left as they were.
   *
   * @throws IllegalStateException as {@link #nextHeaderValue()}
   */
  public void applyTo(Map<String, List<String>> headers) {
    String value = nextHeaderValue();
    List<String> protocols = new ArrayList<>();
    for (Iterator<Map.Entry<String, List<String>>> it = headers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, List<String>> e = it.next();
      if (headerName().equalsIgnoreCase(e.getKey())) {
        if (scheme == Scheme.SUBPROTOCOL) {
          for (String v : e.getValue()) {
            for (String p : v.split(",", -1)) {
              if (!p.isBlank() && !p.strip().startsWith(prefix)) {
                protocols.add(p.strip());
              }
            }
          }
        }
        it.remove();
      }
    }
    protocols.add(value);
    headers.put(headerName(), List.of(String.join(", ", protocols)));
  }

  /** The scheme and, for Basic, the username; never the token. */
  @Override
  public String toString() {
    return "ClientCredential[" + scheme + (username != null ? ", username=" + username : "") + "]";
  }
}
