package io.github.wsauth.netty;

import java.util.Objects;
import java.util.Optional;

import io.github.wsauth.Identity;
import io.github.wsauth.internal.LiveSession;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.AttributeKey;

/**
 * Entry point of the Netty adapter: handler factories and the accessor for the authenticated {@link Identity}.
 *
 * <pre>{@code
 * // credential in the upgrade request (header, query, cookie, Basic, subprotocol)
 * pipeline.addLast(NettyWsAuth.connectionGuard(config))            // first: bounds unauthenticated connections
 *         .addLast(new HttpServerCodec())
 *         .addLast(new HttpObjectAggregator(65536))
 *         .addLast(NettyWsAuth.cookieBridgeHandler(config))   // only for the cookie method
 *         .addLast(NettyWsAuth.upgradeHandler(config))
 *         .addLast(new WebSocketServerProtocolHandler(config.protocolConfig()))
 *         .addLast(app);
 *
 * // credential in the first message
 * pipeline.addLast(NettyWsAuth.connectionGuard(config))
 *         .addLast(new HttpServerCodec())
 *         .addLast(new HttpObjectAggregator(65536))
 *         .addLast(new WebSocketServerProtocolHandler(config.protocolConfig()))
 *         .addLast(NettyWsAuth.firstMessageHandler(config))
 *         .addLast(app);
 *
 * Optional<Identity> who = NettyWsAuth.identity(ctx.channel());
 * }</pre>
 *
 * <p>Each factory call returns a new handler for one channel. The handlers call the token store on the thread
 * that runs them; when the store blocks (JDBC), add them with an {@code EventExecutorGroup} so the event loop
 * never waits: {@code pipeline.addLast(authGroup, "wsauth", NettyWsAuth.upgradeHandler(config))}. Thread-safe.
 */
public final class NettyWsAuth {
  private static final AttributeKey<Identity> IDENTITY = AttributeKey.valueOf(NettyWsAuth.class, "identity");

  private NettyWsAuth() {}

  /**
   * The handler that authenticates upgrade requests; place it after {@code HttpObjectAggregator} and before
   * {@code WebSocketServerProtocolHandler}. Requires {@link WsAuthConfig#handshake()}.
   *
   * <p>Every request is checked in this order, and each refusal closes the channel: a request Netty could not
   * decode is refused (431 for headers over the codec's limit, 414 for a request line over it, 400 otherwise),
   * whatever its path; a request for another path, or a plain request on the WebSocket path, passes untouched
   * (the path is matched as {@code WebSocketServerProtocolHandler} matches it, after an absolute-form target was
   * reduced to origin-form); a WebSocket upgrade attempt that is not a valid RFC 6455 handshake is refused (400,
   * 405, or 426 with {@code Sec-WebSocket-Version: 13}) before any credential is read; then the authenticator
   * answers (400, 401 with {@code WWW-Authenticate}, 403, 503) or accepts: {@code Sec-WebSocket-Protocol} is
   * rewritten to the selected application subprotocol (so no token entry can be echoed) and the request passed
   * on. The identity is stored, an {@link AuthenticatedEvent} fired and the handler removed only when the
   * {@code 101} for that request is written; if Netty answers it otherwise, nothing is bound and the next request
   * on the connection is authenticated by its own credential.
   *
   * <p>Wrong wirings fail closed, each logged once per config: the handler placed after {@code
   * WebSocketServerProtocolHandler} or before the HTTP codec (the channel is closed), a {@code 101} for a request
   * it did not accept (a protocol handler on another path: the channel is closed), no {@code
   * HttpObjectAggregator} before it (503).
   *
   * @throws IllegalArgumentException if the config has no handshake authenticator
   */
  public static ChannelHandler upgradeHandler(WsAuthConfig config) {
    Objects.requireNonNull(config, "config must not be null");
    return new UpgradeAuthHandler(config, config.handshake().orElseThrow(() -> new IllegalArgumentException(
        "the config has no handshake authenticator (set WsAuthConfig.Builder.handshake)")));
  }

  /**
   * The handler that authenticates the first WebSocket message; place it after {@code
   * WebSocketServerProtocolHandler}. Requires {@link WsAuthConfig#firstMessage()}.
   *
   * <p>The deadline starts at Netty's {@code HandshakeComplete}, which is held back from the application until
   * the client is authenticated. The first frame must be one complete text frame within the size cap; anything
   * else, a bad token, or silence closes the connection with the authenticator's close code. No frame reaches
   * the application before acceptance, not even one the client wrote in the same TCP segment as the upgrade
   * request: such frames are decoded, held until {@code HandshakeComplete}, the first one checked, the others
   * passed on after acceptance, in order.
   *
   * @throws IllegalArgumentException if the config has no first-message authenticator
   */
  public static ChannelHandler firstMessageHandler(WsAuthConfig config) {
    Objects.requireNonNull(config, "config must not be null");
    return new FirstMessageAuthHandler(config, config.firstMessage().orElseThrow(() -> new IllegalArgumentException(
        "the config has no first-message authenticator (set WsAuthConfig.Builder.firstMessage)")));
  }

  /**
   * The handler that serves {@link WsAuthConfig#cookieBridge()} under its path: {@code cookie-bridge.html},
   * {@code cookie-bridge.js}, {@code wsauth.js} and the {@code POST cookie} endpoint that sets the {@code HttpOnly}
   * credential cookie. Place it after {@code HttpObjectAggregator}; other requests pass untouched.
   *
   * @throws IllegalArgumentException if the config has no cookie bridge
   */
  public static ChannelHandler cookieBridgeHandler(WsAuthConfig config) {
    Objects.requireNonNull(config, "config must not be null");
    return new CookieBridgeHandler(config.cookieBridge().orElseThrow(
        () -> new IllegalArgumentException("the config has no cookieBridge")));
  }

  /**
   * The handler that bounds unauthenticated connections; place it first in the pipeline, before the HTTP codec and
   * before an {@code SslHandler} (it reads nothing: it counts and times, so a refused connection costs no TLS
   * work). It works wherever it is added, even to an active channel, but only first does a refused connection
   * reach no other handler.
   *
   * <p>At accept it takes one of {@link WsAuthConfig#maxUnauthenticatedConnections()} slots (shared by every
   * channel of this config) and one of {@link WsAuthConfig#maxUnauthenticatedConnectionsPerAddress()} for the
   * remote IPv4 address or IPv6 /64 prefix; when none is free the connection is closed at once, before a byte of
   * it is read, and one warning line per 10 seconds says so. The slot is given back exactly once: when a wsauth
   * handler binds an {@link Identity} (authenticated connections never count), or when the channel closes. A
   * connection that has not been authenticated {@link WsAuthConfig#handshakeTimeout()} after accept is closed
   * without an answer, unless the first-message handler saw its WebSocket handshake complete in time (its own
   * deadline then applies); this also closes a channel upgraded without any wsauth decision. Plain HTTP
   * connections through the guard (the cookie bridge) count and time out the same way. An I/O error of a connection
   * that has not authenticated (a peer that reset it) closes it and reaches no later handler, so a client cannot make
   * Netty log a stack trace per connection; other errors, and those of authenticated connections, pass on.
   */
  public static ChannelHandler connectionGuard(WsAuthConfig config) {
    Objects.requireNonNull(config, "config must not be null");
    return new ConnectionGuard(config);
  }

  /**
   * How many connections guarded with {@code config} are unauthenticated now (for metrics and health checks); at
   * most {@link WsAuthConfig#maxUnauthenticatedConnections()}.
   */
  public static int unauthenticatedConnections(WsAuthConfig config) {
    Objects.requireNonNull(config, "config must not be null");
    return config.unauthenticatedConnections().count();
  }

  /**
   * The identity the channel is authenticated as, once a wsauth handler accepted it; after an in-band
   * re-authentication, the new one.
   */
  public static Optional<Identity> identity(Channel channel) {
    Objects.requireNonNull(channel, "channel must not be null");
    Optional<LiveSession> live = LiveChannel.of(channel);
    return live.isPresent() ? live.map(LiveSession::identity) : Optional.ofNullable(channel.attr(IDENTITY).get());
  }

  /**
   * Re-authenticates an authenticated channel with a fresh token, without reconnecting: the token is verified by
   * the {@link io.github.wsauth.lifetime.ConnectionLifetime#reauthenticationVerifier() lifetime's verifier} (on a
   * first-message channel, by default, the first-message authenticator's), a single-use token is consumed, its
   * subject must be the channel's, and the channel's expiry (the expiry close and the {@link ExpiryWarningEvent})
   * moves to the new token's. A refused token closes the channel with the lifetime's rejected close code (1008 by
   * default) and the reason, e.g. {@code "re-authentication subject mismatch"}, {@code "token already used"}; a
   * store failure with 1011. Runs the verifier on the calling thread: call it off the event loop when the store
   * blocks.
   *
   * @return the new identity, or empty if the token was refused (the channel is being closed)
   * @throws IllegalStateException if no wsauth handler authenticated the channel
   */
  public static Optional<Identity> reauthenticate(Channel channel, String token) {
    Objects.requireNonNull(channel, "channel must not be null");
    return LiveChannel.of(channel).orElseThrow(
        () -> new IllegalStateException("the channel was not authenticated by wsauth")).reauthenticate(token);
  }

  /**
   * Stores the identity; only the handlers of this package write it. The connection stops counting as
   * unauthenticated for its {@link #connectionGuard(WsAuthConfig) guard} (on whatever thread this runs), and,
   * when the upgrade is still to come (upgrade handler), bytes pipelined after the request will reach the
   * WebSocket decoder instead of the application (issue 13, item 8).
   */
  static void setIdentity(Channel channel, Identity identity) {
    channel.attr(IDENTITY).set(identity);
    ConnectionGuard.authenticated(channel);
    PipelinedBytesHandler.install(channel);
  }
}
