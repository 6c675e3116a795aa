package io.github.wsauth.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.wsauth.AuthEvent;
import io.github.wsauth.Identity;

class AuthenticatedEventTest {
  private static final Identity ALICE = Identity.of("alice", Map.of(), Instant.parse("2030-01-01T00:00:00Z"));
  private static final Identity BOB = Identity.of("bob", Map.of(), Instant.parse("2030-01-01T00:00:00Z"));

  @Test
  void subprotocolIsOptionalAndTheEventIsAValue() {
    AuthenticatedEvent none = new AuthenticatedEvent(ALICE, AuthEvent.Stage.HANDSHAKE, null);
    assertThat(none.subprotocol()).isEmpty();
    AuthenticatedEvent chat = new AuthenticatedEvent(ALICE, AuthEvent.Stage.HANDSHAKE, "chat");
    assertThat(chat.identity()).isSameAs(ALICE);
    assertThat(chat.stage()).isEqualTo(AuthEvent.Stage.HANDSHAKE);
    assertThat(chat.subprotocol()).contains("chat");
    AuthenticatedEvent same = new AuthenticatedEvent(ALICE, AuthEvent.Stage.HANDSHAKE, "chat");
    assertThat(chat).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(none)
        .isNotEqualTo(new AuthenticatedEvent(BOB, AuthEvent.Stage.HANDSHAKE, "chat"))
        .isNotEqualTo(new AuthenticatedEvent(ALICE, AuthEvent.Stage.FIRST_MESSAGE, "chat"))
        .isNotEqualTo("chat");
    assertThat(chat.hashCode()).as("the hash depends on the fields").isNotEqualTo(none.hashCode())
        .isNotEqualTo(new AuthenticatedEvent(BOB, AuthEvent.Stage.HANDSHAKE, "chat").hashCode());
    assertThat(chat.toString()).isEqualTo("AuthenticatedEvent[identity=" + ALICE + ", stage=HANDSHAKE, "
        + "subprotocol=Optional[chat]]");
  }

  @Test
  void requiresIdentityAndStage() {
    assertThatNullPointerException().isThrownBy(() -> new AuthenticatedEvent(null, AuthEvent.Stage.HANDSHAKE, null))
        .withMessage("identity must not be null");
    assertThatNullPointerException().isThrownBy(() -> new AuthenticatedEvent(ALICE, null, null))
        .withMessage("stage must not be null");
  }
}
