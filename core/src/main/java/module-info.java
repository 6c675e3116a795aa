/**
 * wsauth-core: credential extractors, tokens, token stores and authenticators for WebSocket servers, with no
 * dependency beyond the JDK.
 *
 * <p>Exports the API a user wires ({@code io.github.wsauth}) and the token store SPI with its stores
 * ({@code io.github.wsauth.store}). {@code io.github.wsauth.internal} holds what wsauth's own modules share and is
 * exported only to them.
 */
@SuppressWarnings("module") // the qualified export names modules that are not built with core
module io.github.wsauth.core {
  requires transitive java.sql; // JdbcTokenStore takes a javax.sql.DataSource
  requires transitive java.logging; // RedactingLogFilter is a java.util.logging.Filter

  exports io.github.wsauth;
  exports io.github.wsauth.store;
  exports io.github.wsauth.lifetime;
  exports io.github.wsauth.internal to io.github.wsauth.jwt, io.github.wsauth.jakarta, io.github.wsauth.netty,
      io.github.wsauth.spring;
}
