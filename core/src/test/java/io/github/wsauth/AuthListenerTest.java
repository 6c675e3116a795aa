package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class AuthListenerTest {
  private static final AuthEvent ACCEPTED = new AuthEvent(AuthEvent.Stage.HANDSHAKE, true,
      CredentialSource.COOKIE, "alice", "accepted", 101, new InetSocketAddress("127.0.0.1", 1234));
  private static final AuthEvent REJECTED = new AuthEvent(AuthEvent.Stage.FIRST_MESSAGE, false, null,
      null, "authentication timeout", 1008, null);
  private static final AuthEvent UNAVAILABLE = new AuthEvent(AuthEvent.Stage.HANDSHAKE, false,
      CredentialSource.QUERY_PARAMETER, null, "authentication temporarily unavailable", 503, null);

  @Test
  void logging_writesOneLinePerEventAtTheDocumentedLevels() {
    try (LogCapture logs = new LogCapture()) {
      AuthListener log = AuthListener.logging();
      AuthListener.notify(log, ACCEPTED);
      AuthListener.notify(log, REJECTED);
      AuthListener.notify(log, UNAVAILABLE);
      assertThat(logs.lines()).hasSize(3);
      assertThat(logs.lines().get(0)).contains("FINE").contains("wsauth accepted stage=HANDSHAKE source=COOKIE "
          + "subject=alice reason=\"accepted\" code=101 peer=/127.0.0.1:1234");
      assertThat(logs.lines().get(1)).contains("INFO").contains("wsauth rejected stage=FIRST_MESSAGE source=- "
          + "subject=- reason=\"authentication timeout\" code=1008 peer=-");
      assertThat(logs.lines().get(2)).contains("WARNING").contains("code=503");
    }
  }

  @Test
  void notify_routesByOutcomeAndSwallowsListenerFailures() {
    RecordingListener r = new RecordingListener();
    AuthListener.notify(r, ACCEPTED);
    AuthListener.notify(r, REJECTED);
    assertThat(r.accepted).containsExactly(ACCEPTED);
    assertThat(r.rejected).containsExactly(REJECTED);
    AuthListener throwing = new AuthListener() {
      @Override
      public void onRejected(AuthEvent event) {
        throw new IllegalStateException("boom");
      }
    };
    assertThatCode(() -> AuthListener.notify(throwing, REJECTED)).doesNotThrowAnyException();
  }

  @Test
  void none_doesNothing() {
    assertThatCode(() -> AuthListener.notify(AuthListener.NONE, ACCEPTED)).doesNotThrowAnyException();
    assertThat(AuthListener.NONE.toString()).isEqualTo("AuthListener.NONE");
  }
  @Test
  void logging_storeFailureAfterTheUpgrade_isAWarningToo() {
    try (LogCapture logs = new LogCapture()) {
      AuthListener.notify(AuthListener.logging(), new AuthEvent(AuthEvent.Stage.FIRST_MESSAGE, false, null, null,
          "authentication temporarily unavailable", 1011, null));
      AuthListener.notify(AuthListener.logging(), new AuthEvent(AuthEvent.Stage.FIRST_MESSAGE, false, null, null,
          "message too big", 1009, null));
      assertThat(logs.lines()).hasSize(2);
      assertThat(logs.lines().get(0)).contains("WARNING").contains("code=1011");
      assertThat(logs.lines().get(1)).contains("INFO").contains("code=1009");
    }
  }
}
