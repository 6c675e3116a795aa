package io.github.wsauth.jakarta;

import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.github.wsauth.AuthDecision;
import io.github.wsauth.HttpRejection;
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
  /** Never left on a refused handshake, whatever status the container ends up sending; no body is sent here. */
  private static final List<String> REMOVED = List.of(HandshakeResponse.SEC_WEBSOCKET_ACCEPT, "Sec-WebSocket-Protocol",
      "Sec-WebSocket-Extensions", "Upgrade", "Content-Type");

  /** Per response class: the Tyrus HandshakeException constructor, if that class is Tyrus'. */
  private static final ClassValue<Optional<Constructor<?>>> TYRUS = new ClassValue<>() {
    @Override
    protected Optional<Constructor<?>> computeValue(Class<?> responseClass) {
      try {
        return !isTyrus(responseClass) ? Optional.empty() : Optional.of(Class.forName(
            "org.glassfish.tyrus.core.HandshakeException", false, responseClass.getClassLoader())
            .getConstructor(int.class, String.class));
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
    HttpRejection answer = rejected.httpResponse();
    Set<String> replaced = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    replaced.addAll(REMOVED);
    replaced.addAll(answer.headerMap().keySet());
    try {
      Map<String, List<String>> headers = response.getHeaders();
      headers.keySet().removeIf(name -> name != null && replaced.contains(name));
      answer.headerMap().forEach((name, values) -> {
        if (!name.equalsIgnoreCase("Content-Type")) {
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
    Throwable t = tyrus.map(c -> tyrusException(c, response, rejected, answer)).orElse(null);
    throw t != null ? ContainerRejection.<RuntimeException>sneaky(t) : new HandshakeRejectedException(rejected);
  }

  /** Tyrus' exception for the refusal, with the status line's reason phrase set on the response; null on failure. */
  private static Throwable tyrusException(Constructor<?> exception, HandshakeResponse response,
      AuthDecision.Rejected rejected, HttpRejection answer) {
    try {
      response.getClass().getMethod("setReasonPhrase", String.class).invoke(response, answer.reasonPhrase());
      return (Throwable) exception.newInstance(rejected.status(), rejected.reason());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static boolean isTyrus(Class<?> responseClass) {
    for (Class<?> c = responseClass; c != null; c = c.getSuperclass()) {
      if (c.getName().startsWith("org.glassfish.tyrus.")
          && Arrays.stream(c.getMethods()).anyMatch(m -> m.getName().equals("setStatus"))) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
