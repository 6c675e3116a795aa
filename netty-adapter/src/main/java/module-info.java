/**
 * wsauth-netty: the Netty 4.1/4.2 adapter. Netty is provided by the application (any 4.1 or 4.2 version), so its
 * modules are static requirements, transitive because the handlers are Netty types; the module names are the same
 * in both lines.
 */
module io.github.wsauth.netty {
  requires transitive io.github.wsauth.core;
  requires static transitive io.netty.common;
  requires static transitive io.netty.buffer;
  requires static transitive io.netty.transport;
  requires static transitive io.netty.codec;
  requires static transitive io.netty.codec.http;
  requires static transitive io.netty.handler;

  exports io.github.wsauth.netty;
}
