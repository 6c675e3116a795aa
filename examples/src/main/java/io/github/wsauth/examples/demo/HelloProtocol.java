package io.github.wsauth.examples.demo;

/**
 * The tiny protocol every demo server runs once a connection is authenticated: the server sends {@code Hello
 * <user>!}, the client answers {@code Goodbye <user>.}, the server closes with 1000. Anything else from the client
 * is closed with 1008.
 */
public final class HelloProtocol {
  /** Normal closure (RFC 6455 §7.4.1). */
  public static final int NORMAL_CLOSURE = 1000;
  /** Policy violation: the client did not follow the protocol. */
  public static final int POLICY_VIOLATION = 1008;
  /** The close reason after a proper goodbye. */
  public static final String BYE = "bye";
  /** The close reason when the client says something else. */
  public static final String UNEXPECTED = "expected a goodbye";

  private HelloProtocol() {}

  /** What the server sends first. */
  public static String hello(String user) {
    return "Hello " + user + "!";
  }

  /** What the client answers. */
  public static String goodbye(String user) {
    return "Goodbye " + user + ".";
  }

  /** Whether the client's message is the expected goodbye. */
  public static boolean isGoodbye(String user, String message) {
    return goodbye(user).equals(message);
  }
}
