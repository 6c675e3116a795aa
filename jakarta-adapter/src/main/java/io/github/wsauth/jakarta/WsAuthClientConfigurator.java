package io.github.wsauth.jakarta;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.wsauth.ClientCredential;
import jakarta.websocket.ClientEndpointConfig;

/**
 * A client-side {@link ClientEndpointConfig.Configurator} that adds a credential to every handshake, for
 * machine-to-machine clients: {@code Authorization: Bearer}, {@code Authorization: Basic}, or a {@code
 * Sec-WebSocket-Protocol} token entry. The credential is core's {@link ClientCredential}, applied to the request
 * headers in {@link #beforeRequest}.
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
  private final ClientCredential credential;

  private WsAuthClientConfigurator(ClientCredential credential) {
    this.credential = credential;
  }

  /** {@code Authorization: Bearer <token>} (RFC 6750 §2.1); see {@link ClientCredential#bearer}. */
  public static WsAuthClientConfigurator bearer(Supplier<String> token) {
    return new WsAuthClientConfigurator(ClientCredential.bearer(token));
  }

  /** {@code Authorization: Basic base64(username:token)} (RFC 7617, UTF-8); see {@link ClientCredential#basic}. */
  public static WsAuthClientConfigurator basic(String username, Supplier<String> token) {
    return new WsAuthClientConfigurator(ClientCredential.basic(username, token));
  }

  /**
   * Appends {@code authorization.bearer.<token>} to {@code Sec-WebSocket-Protocol}; offer an application
   * subprotocol too (the server selects it, never the token entry). See {@link ClientCredential#subprotocol}.
   */
  public static WsAuthClientConfigurator subprotocol(Supplier<String> token) {
    return new WsAuthClientConfigurator(ClientCredential.subprotocol(token));
  }

  /** Appends {@code <prefix><token>} to {@code Sec-WebSocket-Protocol}. */
  public static WsAuthClientConfigurator subprotocol(String prefix, Supplier<String> token) {
    return new WsAuthClientConfigurator(ClientCredential.subprotocol(prefix, token));
  }

  @Override
  public void beforeRequest(Map<String, List<String>> headers) {
    credential.applyTo(headers);
  }

  @Override
  public String toString() {
    return "WsAuthClientConfigurator[" + credential + "]";
  }
}
