package io.github.wsauth.jakarta;

/**
 * Tells whether the current thread runs inside a servlet filter chain: a frame on the stack whose declaring class
 * implements {@code jakarta.servlet.FilterChain} or {@code jakarta.servlet.Filter}. Tomcat (its {@code WsFilter} and
 * {@code ApplicationFilterChain}) and Jetty 12 (its {@code WebSocketUpgradeFilter} and servlet chain) call the
 * configurator from there; standalone Tyrus on Grizzly does not. Interfaces are compared by name, so the servlet API
 * need not be present (standalone Tyrus) and the class loader that defined it does not matter.
 *
 * <p>Walks the stack: used only on the path where no {@link WsAuthFilter} is in front of a handshake, never on a
 * correctly wired one.
 */
final class ServletFrames {
  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private ServletFrames() {}

  /** Whether a servlet filter or filter chain is on the current thread's stack. */
  static boolean onStack() {
    return WALKER.walk(frames -> frames.anyMatch(f -> isServletChain(f.getDeclaringClass())));
  }

  /** Whether {@code type} (or a superclass) implements the servlet {@code Filter} or {@code FilterChain}. */
  static boolean isServletChain(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (isServletInterface(i)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isServletInterface(Class<?> type) {
    String name = type.getName();
    if (name.equals("jakarta.servlet.FilterChain") || name.equals("jakarta.servlet.Filter")) {
      return true;
    }
    for (Class<?> i : type.getInterfaces()) {
      if (isServletInterface(i)) {
        return true;
      }
    }
    return false;
  }
}
