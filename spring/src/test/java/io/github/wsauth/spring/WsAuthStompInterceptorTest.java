package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.store.TokenStore;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

/** The interceptor on its own: what it lets through before and after CONNECT, and its deadline. */
class WsAuthStompInterceptorTest {
  private final TokenStore store = TokenStore.inMemory(Clock.systemUTC());
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), Clock.systemUTC());
  private final WsAuthStompInterceptor interceptor = new WsAuthStompInterceptor(FirstMessageAuthenticator.builder()
      .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults())).deadline(Duration.ofSeconds(5))
      .format(FirstMessageAuthenticator.Format.RAW).build());

  private static Message<byte[]> frame(StompCommand command, String session, String... headers) {
    StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
    accessor.setSessionId(session);
    for (int i = 0; i < headers.length; i += 2) {
      accessor.addNativeHeader(headers[i], headers[i + 1]);
    }
    if (command == StompCommand.SEND) {
      accessor.setDestination("/app/whoami");
    }
    accessor.setLeaveMutable(true);
    return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
  }

  @Test
  void aFrameBeforeConnectIsRefused() {
    assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.SEND, "s1"), null))
        .isInstanceOf(MessageDeliveryException.class).hasMessage("authentication required");
  }

  @Test
  void connectSetsTheUserAndLetsTheSessionsFramesThrough() {
    String token = issuer.issue("alice").value();
    Message<?> connect = interceptor.preSend(frame(StompCommand.CONNECT, "s2", "Authorization", "Bearer " + token),
        null);
    Identity user = (Identity) StompHeaderAccessor.wrap(connect).getUser();
    assertThat(user.subject()).isEqualTo("alice");
    assertThat(interceptor.preSend(frame(StompCommand.SEND, "s2"), null)).isNotNull();
    assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.CONNECT, "s2", "token",
        issuer.issue("bob").value()), null)).hasMessage("already authenticated");
    interceptor.forget("s2");
    assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.SEND, "s2"), null))
        .hasMessage("authentication required");
  }

  @Test
  void theConnectPassedOn_holdsNoCredentialHeader_andKeepsTheOthers() {
    for (String header : List.of("Authorization", WsAuthStompInterceptor.TOKEN_HEADER)) {
      String token = issuer.issue("dora").value();
      Message<?> connect = interceptor.preSend(frame(StompCommand.CONNECT, "s-" + header, header,
          header.equals("Authorization") ? "Bearer " + token : token, "x-app", "kept", "heart-beat", "0,0"), null);
      StompHeaderAccessor passed = StompHeaderAccessor.wrap(connect);
      assertThat(((Identity) passed.getUser()).subject()).isEqualTo("dora");
      assertThat(passed.toNativeHeaderMap()).as(header).containsOnlyKeys("x-app", "heart-beat");
      assertThat(passed.getFirstNativeHeader("x-app")).isEqualTo("kept");
      assertThat(connect.toString()).doesNotContain(token);
    }
  }

  @Test
  void malformedAuthorizationHeadersAreRefusedBeforeVerification() {
    String token = issuer.issue("carol").value();
    for (String header : List.of("Basic " + token, "Bearer", "Bearer  " + token, "bearer" + token)) {
      assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.CONNECT, "s3", "Authorization", header), null))
          .as(header).hasMessage("malformed credential");
    }
    // still unused: the good one opens
    assertThat(interceptor.preSend(frame(StompCommand.CONNECT, "s3", "token", token), null)).isNotNull();
  }

  @Test
  void theDeadlineClosesAnUnauthenticatedSessionWithCoresTimeoutCode() throws Exception {
    List<Runnable> tasks = new ArrayList<>();
    List<Duration> delays = new ArrayList<>();
    TaskScheduler manual = (task, delay) -> {
      tasks.add(task);
      delays.add(delay);
      return () -> tasks.remove(task);
    };
    StompDeadline deadline = new StompDeadline(interceptor, manual);
    var session = org.mockito.Mockito.mock(org.springframework.web.socket.WebSocketSession.class);
    org.mockito.Mockito.when(session.getId()).thenReturn("s4");
    org.mockito.Mockito.when(session.isOpen()).thenReturn(true);
    deadline.decorate(new org.springframework.web.socket.handler.TextWebSocketHandler())
        .afterConnectionEstablished(session);
    assertThat(delays).containsExactly(Duration.ofSeconds(5));
    tasks.get(0).run();
    var timedOut = (io.github.wsauth.FirstMessageResult.Rejected) interceptor.authenticator().timedOut();
    org.mockito.Mockito.verify(session).close(new org.springframework.web.socket.CloseStatus(timedOut.closeCode(),
        timedOut.reason()));
  }

  @Test
  void aConnectWithinTheDeadlineCancelsIt() throws Exception {
    List<Runnable> tasks = new ArrayList<>();
    TaskScheduler manual = (task, delay) -> {
      tasks.add(task);
      return () -> tasks.remove(task);
    };
    StompDeadline deadline = new StompDeadline(interceptor, manual);
    var session = org.mockito.Mockito.mock(org.springframework.web.socket.WebSocketSession.class);
    org.mockito.Mockito.when(session.getId()).thenReturn("s5");
    deadline.decorate(new org.springframework.web.socket.handler.TextWebSocketHandler())
        .afterConnectionEstablished(session);
    assertThat(tasks).hasSize(1);
    interceptor.preSend(frame(StompCommand.CONNECT, "s5", "token", issuer.issue("dave").value()), null);
    assertThat(tasks).isEmpty();
  }
}
