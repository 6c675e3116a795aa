package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class AuthEventTest {
  private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 1234);

  @Test
  void accessorsWrapAbsentPartsAsEmptyOptionals() {
    AuthEvent rejected = new AuthEvent(AuthEvent.Stage.FIRST_MESSAGE, false, null, null, "timeout", 1008, null);
    assertThat(rejected.source()).isEmpty();
    assertThat(rejected.subject()).isEmpty();
    assertThat(rejected.remoteAddress()).isEmpty();
    AuthEvent accepted = new AuthEvent(AuthEvent.Stage.HANDSHAKE, true, CredentialSource.COOKIE, "alice",
        "accepted", 101, PEER);
    assertThat(accepted.stage()).isEqualTo(AuthEvent.Stage.HANDSHAKE);
    assertThat(accepted.accepted()).isTrue();
    assertThat(accepted.source()).contains(CredentialSource.COOKIE);
    assertThat(accepted.subject()).contains("alice");
    assertThat(accepted.reason()).isEqualTo("accepted");
    assertThat(accepted.code()).isEqualTo(101);
    assertThat(accepted.remoteAddress()).contains(PEER);
  }

  @Test
  void isAValueWithTheRecordStyleToString() {
    AuthEvent a = new AuthEvent(AuthEvent.Stage.HANDSHAKE, true, CredentialSource.COOKIE, "alice", "accepted", 101,
        PEER);
    AuthEvent same = new AuthEvent(AuthEvent.Stage.HANDSHAKE, true, CredentialSource.COOKIE, "alice", "accepted",
        101, PEER);
    assertThat(a).isEqualTo(same).hasSameHashCodeAs(same);
    assertThat(a.hashCode()).isNotEqualTo(new AuthEvent(AuthEvent.Stage.HANDSHAKE, false, null, null, "refused", 401,
        null).hashCode());
    assertThat(a).isNotEqualTo(new AuthEvent(AuthEvent.Stage.FIRST_MESSAGE, true, CredentialSource.COOKIE, "alice",
        "accepted", 101, PEER));
    assertThat(a).isNotEqualTo(new AuthEvent(AuthEvent.Stage.HANDSHAKE, false, CredentialSource.COOKIE, "alice",
        "accepted", 101, PEER));
    assertThat(a).isNotEqualTo(new AuthEvent(AuthEvent.Stage.HANDSHAKE, true, CredentialSource.AUTHORIZATION_BEARER, "alice",
        "accepted", 101, PEER));
    assertThat(a).isNotEqualTo(new AuthEvent(AuthEvent.Stage.HANDSHAKE, true, CredentialSource.COOKIE, "bob",
        "accepted", 101, PEER));
    assertThat(a).isNotEqualTo(new AuthEvent(AuthEvent.Stage.HANDSHAKE, true, CredentialSource.COOKIE, "alice",
        "other", 101, PEER));
    assertThat(a).isNotEqualTo(new AuthEvent(AuthEvent.Stage.HANDSHAKE, true, CredentialSource.COOKIE, "alice",
        "accepted", 400, PEER));
    assertThat(a).isNotEqualTo(new AuthEvent(AuthEvent.Stage.HANDSHAKE, true, CredentialSource.COOKIE, "alice",
        "accepted", 101, null));
    assertThat(a).isNotEqualTo("not an event");
    assertThat(a.toString()).isEqualTo("AuthEvent[stage=HANDSHAKE, accepted=true, source=Optional[COOKIE], "
        + "subject=Optional[alice], reason=accepted, code=101, remoteAddress=Optional[" + PEER + "]]");
  }

  @Test
  void requiresStageAndReason() {
    assertThatNullPointerException().isThrownBy(() -> new AuthEvent(null, false, null, null, "r", 400, null))
        .withMessage("stage must not be null");
    assertThatNullPointerException()
        .isThrownBy(() -> new AuthEvent(AuthEvent.Stage.HANDSHAKE, false, null, null, null, 400, null))
        .withMessage("reason must not be null");
  }
}
