package io.github.wsauth.jakarta;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.internal.CharClasses;
import jakarta.websocket.ClientEndpointConfig;

/**
 * A client-side {@link ClientEndpointConfig.Configurator} that adds a credential to every handshake, for
 * machine-to-machine clients: {@code Authorization: Bearer}, {@code Authorization: Basic}, or a {@code
 * Sec-WebSocket-Protocol} token entry.
 *
 * <pre>{@code
 * ClientEndpointConfig cec = ClientEndpointConfig.Builder.create()
 *     .preferredSubprotocols(List.of("chat"))
 *     .configurator(WsAuthClientConfigurator.bearer(() -> tokenClient.fetchToken()))
 *     .build();
 * container.connectToServer(endpoint, cec, URI.create("wss://ws.example/chat"));
 * }</pre>
 *
 * <p>The token supplier is called once per handshake, so single-use tokens work. Security: header values are
 * never logged and {@code toString()} shows only the scheme; the supplier must not return null, an empty value or
 * control characters (the handshake then fails before anything is sent). Immutable and thread-safe if the supplier
 * is.
 */
public final class WsAuthClientConfigurator extends ClientEndpointConfig.Configurator {
  private enum Scheme { BEARER, BASIC, SUBPROTOCOL }

  private final Scheme scheme;
  private final String username;
  private final String prefix;
  private final Supplier<String> token;

  private WsAuthClientConfigurator(Scheme scheme, String username, String prefix, Supplier<String> token) {
    this.scheme = scheme;
    this.username = username;
    this.prefix = prefix;
    this.token = Objects.requireNonNull(token, "token supplier must not be null");
  }

  /** {@code Authorization: Bearer <token>} (RFC 6750 §2.1). */
  public static WsAuthClientConfigurator bearer(Supplier<String> token) {
    return new WsAuthClientConfigurator(Scheme.BEARER, null, null, token);
  }

  /** {@code Authorization: Basic base64(username:token)} (RFC 7617, UTF-8). */
  public static WsAuthClientConfigurator basic(String username, Supplier<String> token) {
    Objects.requireNonNull(username, "username must not be null");
    if (username.indexOf(':') >= 0 || hasControl(username)) {
      throw new IllegalArgumentException("username must not contain a colon or control characters (RFC 7617)");
    }
    return new WsAuthClientConfigurator(Scheme.BASIC, username, null, token);
  }

  /**
   * Appends {@code authorization.bearer.<token>} to {@code Sec-WebSocket-Protocol}; offer an application
   * subprotocol too (the server selects it, never the token entry).
   */
  public static WsAuthClientConfigurator subprotocol(Supplier<String> token) {
    return subprotocol(CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX, token);
  }

  /** Appends {@code <prefix><token>} to {@code Sec-WebSocket-Protocol}. */
  public static WsAuthClientConfigurator subprotocol(String prefix, Supplier<String> token) {
    if (!CharClasses.isHttpToken(prefix)) {
      throw new IllegalArgumentException("subprotocol prefix must be a non-empty HTTP token");
    }
    return new WsAuthClientConfigurator(Scheme.SUBPROTOCOL, null, prefix, token);
  }

  @Override
  public void beforeRequest(Map<String, List<String>> headers) {
    String value = token.get();
    if (value == null || value.isEmpty() || hasControl(value)) {
      throw new IllegalStateException("the token supplier returned no usable token");
    }
    switch (scheme) {
      case BEARER:
        replace(headers, "Authorization", "Bearer " + value);
        break;
      case BASIC:
        String pair = username + ":" + value;
        replace(headers, "Authorization",
            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        break;
      default:
        if (!CharClasses.isHttpToken(prefix + value)) {
          throw new IllegalStateException("the token cannot travel in Sec-WebSocket-Protocol (not an HTTP token)");
        }
        List<String> protocols = new ArrayList<>();
        for (Iterator<Map.Entry<String, List<String>>> it = headers.entrySet().iterator(); it.hasNext(); ) {
          Map.Entry<String, List<String>> e = it.next();
          if ("Sec-WebSocket-Protocol".equalsIgnoreCase(e.getKey())) {
            for (String v : e.getValue()) {
              for (String p : v.split(",", -1)) {
                if (!p.isBlank() && !p.strip().startsWith(prefix)) {
                  protocols.add(p.strip());
                }
              }
            }
            it.remove();
          }
        }
        protocols.add(prefix + value);
        headers.put("Sec-WebSocket-Protocol", List.of(String.join(", ", protocols)));
        break;
    }
  }

  private static void replace(Map<String, List<String>> headers, String name, String value) {
    headers.keySet().removeIf(k -> k != null && k.equalsIgnoreCase(name));
    headers.put(name, List.of(value));
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "WsAuthClientConfigurator[" + scheme + (username != null ? ", username=" + username : "") + "]";
  }
}
