/**
 * wsauth-jakarta: the Jakarta WebSocket adapter. The WebSocket and Servlet APIs are provided by the container, so
 * they are static requirements (a WebSocket container without servlets, such as Tyrus standalone, needs no servlet
 * API), and transitive because the adapter's API shows their types.
 */
module io.github.wsauth.jakarta {
  requires transitive io.github.wsauth.core;
  requires static transitive jakarta.websocket;
  requires static transitive jakarta.servlet;

  exports io.github.wsauth.jakarta;
}
