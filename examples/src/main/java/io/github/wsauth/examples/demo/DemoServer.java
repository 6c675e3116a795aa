package io.github.wsauth.examples.demo;

/** One running WebSocket server of the demo. */
interface DemoServer extends AutoCloseable {

  /** The method it shows. */
  AuthMethod method();

  /** The port it is bound to (on the loopback address). */
  int port();

  /** The framework it runs on, for the page. */
  String framework();

  /** Stops it and releases its port; never throws. */
  @Override
  void close();
}
