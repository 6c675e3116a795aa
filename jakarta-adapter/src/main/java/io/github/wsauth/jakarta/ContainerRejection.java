package io.github.wsauth.jakarta;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.wsauth.AuthDecision;
import jakarta.websocket.HandshakeResponse;

/**
 * Rejects a handshake from inside {@code modifyHandshake}, which the Jakarta API gives no way to do.
 *
 * <p>On Tyrus the response is {@code org.glassfish.tyrus.spi.UpgradeResponse}, and Tyrus' engine turns a {@code
 * org.glassfish.tyrus.core.HandshakeException} thrown from the handshake into an HTTP answer with that exception's
 * status and the headers already on the response, without opening the connection. Setting the status on the
 * response instead is not enough: Tyrus treats a handshake that ends with 401 or 503 (and 3xx) as successful and
 * opens the endpoint (see {@code TyrusWebSocketEngine.upgrade}). So on Tyrus we throw that exception, found by
 * reflection because this module does not depend on Tyrus.
 *
 * <p>Anywhere else we throw {@link HandshakeRejectedException}: the container fails the upgrade with its own error
 * status (Tomcat and Jetty: 500) and never creates the endpoint. Failing closed is the point; {@link WsAuthFilter}
 * is how servlet containers get the right status.
 */
final class ContainerRejection {
  private static final String TYRUS_EXCEPTION = "org.glassfish.tyrus.core.HandshakeException";
  private static final List<String> UPGRADE_HEADERS = List.of(HandshakeResponse.SEC_WEBSOCKET_ACCEPT,
      "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "Upgrade");

  /** Per response class: the Tyrus HandshakeException constructor, if that class is Tyrus'. */
  private static final ClassValue<Optional<Constructor<?>>> TYRUS = new ClassValue<>() {
    @Override
    protected Optional<Constructor<?>> computeValue(Class<?> responseClass) {
      if (!isTyrus(responseClass)) {
        return Optional.empty();
      }
      try {
        Class<?> c = Class.forName(TYRUS_EXCEPTION, false, responseClass.getClassLoader());
        return Optional.of(c.getConstructor(int.class, String.class));
      } catch (ReflectiveOperationException | LinkageError e) {
        return Optional.empty();
      }
    }
  };

  private ContainerRejection() {}

  /**
   * Never returns normally. The answer's headers are core's {@link AuthDecision.Rejected#httpResponse()} (Tyrus
   * sends them; it sends no body, so no {@code Content-Type} and {@code Content-Length: 0}).
   */
  static RuntimeException reject(HandshakeResponse response, AuthDecision.Rejected rejected) {
    Optional<Constructor<?>> tyrus = TYRUS.get(response.getClass());
    Map<String, List<String>> headers = response.getHeaders();
    try {
      // Whatever status the container ends up sending, never let a client see a valid accept.
      for (String name : UPGRADE_HEADERS) {
        removeIgnoringCase(headers, name);
      }
      rejected.httpResponse().headerMap().forEach((name, values) -> {
        removeIgnoringCase(headers, name);
        if (!name.equalsIgnoreCase("Content-Type")) { // no body is sent here
          headers.put(name, values);
        }
      });
      if (tyrus.isPresent()) {
        // Tyrus writes the answer and keeps the connection: without a length the client would wait for a body.
        headers.put("Content-Length", List.of("0"));
      }
    } catch (UnsupportedOperationException e) {
      // A read-only header map: the rejection below still refuses the upgrade.
    }
    if (tyrus.isPresent()) {
      Throwable t;
      try {
        response.getClass().getMethod("setReasonPhrase", String.class).invoke(response, rejected.httpResponse().reasonPhrase());
        t = (Throwable) tyrus.get().newInstance(rejected.status(), rejected.reason());
      } catch (ReflectiveOperationException | RuntimeException e) {
        t = null;
      }
      if (t != null) {
        throw ContainerRejection.<RuntimeException>sneaky(t);
      }
    }
    throw new HandshakeRejectedException(rejected);
  }

  private static boolean isTyrus(Class<?> responseClass) {
    for (Class<?> c = responseClass; c != null; c = c.getSuperclass()) {
      if (c.getName().startsWith("org.glassfish.tyrus.")) {
        for (Method m : c.getMethods()) {
          if (m.getName().equals("setStatus")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static void removeIgnoringCase(Map<String, List<String>> headers, String name) {
    headers.keySet().removeIf(k -> k != null && k.equalsIgnoreCase(name));
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
