package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import io.github.wsauth.AuthDecision;
import org.glassfish.tyrus.core.HandshakeException;
import org.glassfish.tyrus.core.TyrusUpgradeResponse;
import org.junit.jupiter.api.Test;

/**
 * A refusal from {@code modifyHandshake} on Tyrus (its own response class, run in the {@code tyrus} surefire
 * execution): Tyrus' {@link HandshakeException} with the refusal's status, the reason phrase set, the refusal's
 * headers and {@code Content-Length: 0} (Tyrus sends no body and keeps the connection).
 */
class ContainerRejectionTyrusTest {
  @Test
  void onTyrus_theRefusalIsTyrusOwnException_withTheStatusAndAnEmptyBody() {
    TyrusUpgradeResponse response = new TyrusUpgradeResponse();
    response.getHeaders().put("Sec-WebSocket-Accept", new ArrayList<>(List.of("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")));
    response.getHeaders().put("Upgrade", new ArrayList<>(List.of("websocket")));
    assertThatThrownBy(() -> ContainerRejection.reject(response,
        new AuthDecision.Rejected(401, List.of("Bearer realm=\"wsauth\""), "invalid token")))
        .isInstanceOfSatisfying(HandshakeException.class, e -> {
          assertThat(e.getHttpStatusCode()).isEqualTo(401);
          assertThat(e.getMessage()).isEqualTo("invalid token");
        });
    assertThat(response.getReasonPhrase()).isEqualTo("Unauthorized");
    assertThat(response.getHeaders().get("Content-Length")).containsExactly("0");
    assertThat(response.getHeaders().get("WWW-Authenticate")).containsExactly("Bearer realm=\"wsauth\"");
    assertThat(response.getHeaders().get("Connection")).containsExactly("close");
    assertThat(response.getHeaders()).doesNotContainKeys("Sec-WebSocket-Accept", "Upgrade", "Content-Type");
  }

  @Test
  void onTyrus_a503_carriesRetryAfter_andItsReasonPhrase() {
    TyrusUpgradeResponse response = new TyrusUpgradeResponse();
    assertThatThrownBy(() -> ContainerRejection.reject(response,
        new AuthDecision.Rejected(503, List.of(), "authentication temporarily unavailable")))
        .isInstanceOfSatisfying(HandshakeException.class, e -> assertThat(e.getHttpStatusCode()).isEqualTo(503));
    assertThat(response.getReasonPhrase()).isEqualTo("Service Unavailable");
    assertThat(response.getHeaders().get("Retry-After")).containsExactly("5");
  }
}
