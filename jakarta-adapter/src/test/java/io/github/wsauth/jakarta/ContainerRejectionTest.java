package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.wsauth.AuthDecision;
import jakarta.websocket.HandshakeResponse;
import org.junit.jupiter.api.Test;

/**
 * A refusal from {@code modifyHandshake} on a container that is not Tyrus (Tomcat and Jetty without the filter): the
 * upgrade fails with {@link HandshakeRejectedException}, and the response keeps nothing of an accepted upgrade. The
 * Tyrus path is {@code ContainerRejectionTyrusTest} (run with Tyrus on the class path).
 */
class ContainerRejectionTest {
  /** A container's response: a plain mutable header map, as Tomcat's and Jetty's are. */
  private static HandshakeResponse response(Map<String, List<String>> headers) {
    return () -> headers;
  }

  private static Map<String, List<String>> acceptedHeaders() {
    Map<String, List<String>> headers = new HashMap<>();
    headers.put("sec-websocket-accept", new ArrayList<>(List.of("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")));
    headers.put("Sec-WebSocket-Protocol", new ArrayList<>(List.of("chat")));
    headers.put("SEC-WEBSOCKET-EXTENSIONS", new ArrayList<>(List.of("permessage-deflate")));
    headers.put("Upgrade", new ArrayList<>(List.of("websocket")));
    headers.put("content-type", new ArrayList<>(List.of("text/html")));
    headers.put("www-authenticate", new ArrayList<>(List.of("Basic realm=\"old\"")));
    headers.put("X-Application", new ArrayList<>(List.of("kept")));
    headers.put(null, new ArrayList<>(List.of("a status line, as some containers keep it")));
    return headers;
  }

  @Test
  void aRefusal_throwsTheRejection_andLeavesNothingOfAnAcceptedUpgrade() {
    Map<String, List<String>> headers = acceptedHeaders();
    AuthDecision.Rejected rejected = new AuthDecision.Rejected(401, List.of("Bearer realm=\"wsauth\""),
        "invalid token");
    assertThatThrownBy(() -> ContainerRejection.reject(response(headers), rejected))
        .isInstanceOfSatisfying(HandshakeRejectedException.class, e -> assertThat(e.rejected()).isSameAs(rejected));
    Map<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((name, values) -> {
      if (name != null) {
        byName.put(name, values);
      }
    });
    assertThat(byName).doesNotContainKeys("Sec-WebSocket-Accept", "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions",
        "Upgrade", "Content-Type", "Content-Length");
    assertThat(byName.get("WWW-Authenticate")).as("replaced, not added to").containsExactly("Bearer realm=\"wsauth\"");
    assertThat(byName.get("Cache-Control")).containsExactly("no-store");
    assertThat(byName.get("X-Content-Type-Options")).containsExactly("nosniff");
    assertThat(byName.get("Connection")).containsExactly("close");
    assertThat(byName.get("X-Application")).containsExactly("kept");
    assertThat(headers).containsKey(null);
  }

  @Test
  void a503_carriesRetryAfter() {
    Map<String, List<String>> headers = new HashMap<>();
    assertThatThrownBy(() -> ContainerRejection.reject(response(headers),
        new AuthDecision.Rejected(503, List.of(), "authentication temporarily unavailable")))
        .isInstanceOf(HandshakeRejectedException.class);
    assertThat(headers.get("Retry-After")).containsExactly("5");
    assertThat(headers).doesNotContainKey("WWW-Authenticate");
  }

  @Test
  void aReadOnlyHeaderMap_stillRefusesTheUpgrade() {
    Map<String, List<String>> headers = Map.of("Upgrade", List.of("websocket"));
    AuthDecision.Rejected rejected = new AuthDecision.Rejected(403, List.of(), "origin not allowed");
    assertThatThrownBy(() -> ContainerRejection.reject(response(headers), rejected))
        .isInstanceOfSatisfying(HandshakeRejectedException.class, e -> assertThat(e.rejected()).isSameAs(rejected));
  }

  @Test
  void aResponseClassOfAnotherContainer_isNotTakenForTyrus() {
    Map<String, List<String>> headers = new HashMap<>();
    assertThatThrownBy(() -> ContainerRejection.reject(response(headers),
        new AuthDecision.Rejected(401, List.of(), "credentials required")))
        .isInstanceOf(HandshakeRejectedException.class);
    assertThat(headers).as("no Content-Length: the container sends its own error answer")
        .doesNotContainKey("Content-Length");
  }
}
