package io.github.wsauth.jakarta.annotated;

import jakarta.websocket.OnMessage;

/** Hands out an annotated endpoint whose class is not public, in another package than the adapter. */
public final class HiddenEndpoints {
  private HiddenEndpoints() {}

  /** The package-private class. */
  public static Class<?> type() {
    return Hidden.class;
  }

  /** An instance of it. */
  public static Object instance() {
    return new Hidden();
  }
}

/** Public methods in a package-private class: reflection needs them made accessible. */
class Hidden {
  @OnMessage
  public String echo(String m) {
    return "hidden:" + m;
  }
}
