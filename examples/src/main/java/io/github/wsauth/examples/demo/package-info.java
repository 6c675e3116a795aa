/**
 * The wsauth browser demo: an HTTP app standing for the web app the user is logged in to, and one WebSocket
 * server per authentication method (first message, query parameter, cookie, URI user info, subprotocol, Bearer
 * header), on Netty and on Jakarta WebSocket (embedded Tomcat). Start it with {@link
 * io.github.wsauth.examples.demo.DemoMain}; tests start it with {@link io.github.wsauth.examples.demo.Demo#start}.
 *
 * <p>The code is meant to be copied: each server is wired with the adapters' public API only.
 */
package io.github.wsauth.examples.demo;
