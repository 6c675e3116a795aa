package io.github.wsauth.netty;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Pipeline wirings that would let connections in without authentication, or use credentials up for nothing. The
 * upgrade handler detects each one at run time, fails closed, and logs it once per {@link WsAuthConfig} (an
 * attacker cannot flood the log by repeating the request). Messages name no request data.
 */
enum WiringMistake {
  /** The protocol handler upgrades before wsauth sees the request. */
  AFTER_PROTOCOL_HANDLER(Level.ERROR, "wsauth: NettyWsAuth.upgradeHandler is placed after "
      + "WebSocketServerProtocolHandler, which upgrades requests before wsauth sees them; every upgrade of this "
      + "pipeline is refused and its connection closed. Add the upgrade handler between HttpObjectAggregator and "
      + "WebSocketServerProtocolHandler"),
  /** A 101 for a request wsauth did not accept: the protocol handler covers a path the config does not. */
  UPGRADED_WITHOUT_DECISION(Level.ERROR, "wsauth: a connection was upgraded without a wsauth decision and was "
      + "closed: WebSocketServerProtocolHandler upgrades requests outside WsAuthConfig's websocketPath=%s "
      + "(checkStartsWith=%s); build it with new WebSocketServerProtocolHandler(config.protocolConfig())"),
  /** Raw bytes reach the handler: it sits before the HTTP codec and can never see an upgrade request. */
  BEFORE_HTTP_CODEC(Level.ERROR, "wsauth: NettyWsAuth.upgradeHandler received raw bytes: it is placed before "
      + "HttpServerCodec and HttpObjectAggregator and cannot see upgrade requests; every connection of this "
      + "pipeline is closed. Add the upgrade handler after HttpObjectAggregator"),
  /** Upgrade requests arrive in pieces. */
  NO_AGGREGATOR(Level.ERROR, "wsauth: NettyWsAuth.upgradeHandler needs HttpObjectAggregator before it; upgrade "
      + "requests of this pipeline are refused with 503"),
  /** An accepted request was answered otherwise than 101: the protocol handler matches less than the config. */
  ACCEPTED_NOT_UPGRADED(Level.WARNING, "wsauth: an upgrade request wsauth accepted was answered %s instead of "
      + "101, so its credential was used without an upgrade: WebSocketServerProtocolHandler matches fewer "
      + "requests than WsAuthConfig's websocketPath=%s (checkStartsWith=%s); build it with "
      + "new WebSocketServerProtocolHandler(config.protocolConfig())");

  private static final Logger LOG = System.getLogger(UpgradeAuthHandler.class.getName());

  private final Level level;
  private final String message;

  WiringMistake(Level level, String message) {
    this.level = level;
    this.message = message;
  }

  /** Logs the mistake unless it was already logged for this config; {@code args} fill the message's {@code %s}. */
  void report(WsAuthConfig config, Object... args) {
    if (config.firstReport(this)) {
      LOG.log(level, String.format(message, args));
    }
  }
}
