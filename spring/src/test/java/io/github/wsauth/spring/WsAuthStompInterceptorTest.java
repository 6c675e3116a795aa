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

  /** What the first-message authenticator itself answers for {@code value} (an unknown token). */
  private String authenticatorsReason(String value) {
    return ((io.github.wsauth.FirstMessageResult.Rejected) interceptor.authenticator().authenticate(value)).reason();
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

  /** What an unauthenticated client leaves behind is bounded: each session counted once, nothing once forgotten. */
  @Test
  void tracked_countsEachSessionOnce_untilItIsForgotten() {
    List<String> cancelled = new ArrayList<>();
    assertThat(interceptor.tracked()).isZero();
    interceptor.deadline("pending", () -> cancelled.add("pending"));
    assertThat(interceptor.tracked()).isEqualTo(1);
    interceptor.deadline("connected", () -> cancelled.add("connected"));
    interceptor.preSend(frame(StompCommand.CONNECT, "connected", "token", issuer.issue("erin").value()), null);
    assertThat(interceptor.tracked()).as("a deadline cancelled by CONNECT, then an identity").isEqualTo(2);
    interceptor.forget("pending");
    assertThat(interceptor.tracked()).isEqualTo(1);
    interceptor.forget("connected");
    assertThat(interceptor.tracked()).isZero();
    assertThat(cancelled).containsExactly("connected", "pending");
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

  @Test
  void aStompFrame_authenticatesAsAConnectDoes() {
    Message<?> stomp = interceptor.preSend(frame(StompCommand.STOMP, "s6", "token", issuer.issue("erin").value()),
        null);
    assertThat(((Identity) StompHeaderAccessor.wrap(stomp).getUser()).subject()).isEqualTo("erin");
    assertThat(interceptor.identity("s6")).map(Identity::subject).contains("erin");
    assertThat(interceptor.preSend(frame(StompCommand.SEND, "s6"), null)).isNotNull();
  }

  @Test
  void aMessageWithoutASessionId_isRefused() {
    StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.CONNECT);
    accessor.addNativeHeader("token", issuer.issue("fay").value());
    Message<byte[]> noSession = MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
    assertThatThrownBy(() -> interceptor.preSend(noSession, null)).isInstanceOf(MessageDeliveryException.class)
        .hasMessage("no session");
  }

  @Test
  void disconnect_isPassedOn_andEndsTheSession() {
    interceptor.preSend(frame(StompCommand.CONNECT, "s7", "token", issuer.issue("gus").value()), null);
    assertThat(interceptor.identity("s7")).isPresent();
    Message<byte[]> disconnect = frame(StompCommand.DISCONNECT, "s7");
    assertThat(interceptor.preSend(disconnect, null)).isSameAs(disconnect);
    assertThat(interceptor.identity("s7")).isEmpty();
    assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.SEND, "s7"), null))
        .hasMessage("authentication required");
  }

  @Test
  void disconnectBeforeConnect_keepsTheDeadline_whichClosesTheSession_untilTheConnectionCloses() throws Exception {
    List<Runnable> tasks = new ArrayList<>();
    TaskScheduler manual = (task, delay) -> {
      tasks.add(task);
      return () -> tasks.remove(task);
    };
    var session = org.mockito.Mockito.mock(org.springframework.web.socket.WebSocketSession.class);
    org.mockito.Mockito.when(session.getId()).thenReturn("s8");
    org.mockito.Mockito.when(session.isOpen()).thenReturn(true);
    var handler = new StompDeadline(interceptor, manual)
        .decorate(new org.springframework.web.socket.handler.TextWebSocketHandler());
    handler.afterConnectionEstablished(session);
    assertThat(tasks).hasSize(1);
    Message<byte[]> disconnect = frame(StompCommand.DISCONNECT, "s8");
    assertThat(interceptor.preSend(disconnect, null)).isSameAs(disconnect);
    assertThat(tasks).as("the deadline of a session that never authenticated").hasSize(1);
    assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.SEND, "s8"), null))
        .hasMessage("authentication required");
    tasks.get(0).run();
    var timedOut = (io.github.wsauth.FirstMessageResult.Rejected) interceptor.authenticator().timedOut();
    org.mockito.Mockito.verify(session).close(new org.springframework.web.socket.CloseStatus(timedOut.closeCode(),
        timedOut.reason()));
    handler.afterConnectionClosed(session, org.springframework.web.socket.CloseStatus.POLICY_VIOLATION);
    assertThat(tasks).as("cancelled when the connection really closes").isEmpty();
  }

  @Test
  void theConnectionsClose_beforeConnect_cancelsTheDeadline() throws Exception {
    List<Runnable> tasks = new ArrayList<>();
    TaskScheduler manual = (task, delay) -> {
      tasks.add(task);
      return () -> tasks.remove(task);
    };
    var session = org.mockito.Mockito.mock(org.springframework.web.socket.WebSocketSession.class);
    org.mockito.Mockito.when(session.getId()).thenReturn("s8b");
    var handler = new StompDeadline(interceptor, manual)
        .decorate(new org.springframework.web.socket.handler.TextWebSocketHandler());
    handler.afterConnectionEstablished(session);
    assertThat(tasks).hasSize(1);
    handler.afterConnectionClosed(session, org.springframework.web.socket.CloseStatus.NORMAL);
    assertThat(tasks).isEmpty();
  }

  @Test
  void theCredentialsLengthCap_isTheCoreCap_checkedBeforeVerification() {
    String longest = "a".repeat(io.github.wsauth.CredentialExtractor.MAX_CREDENTIAL_LENGTH);
    // At the cap the value is well formed and reaches the verifier, which does not know it.
    assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.CONNECT, "s9", "token", longest), null))
        .hasMessage(authenticatorsReason(longest)).hasMessageNotContaining("credential");
    assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.CONNECT, "s9", "token", longest + "a"), null))
        .hasMessage("malformed credential");
  }

  @Test
  void spacesAndControlCharactersInTheCredential_areMalformed_printableAsciiIsNot() {
    String token = issuer.issue("hal").value();
    for (String bad : List.of("a b", "a\u007fb", "a\u00e9b", "a\tb", "a\u0000b")) {
      assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.CONNECT, "s10", "token", bad), null))
          .as("%s", bad.chars().boxed().toList()).hasMessage("malformed credential");
      assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.CONNECT, "s10", "Authorization",
          "Bearer " + bad), null)).hasMessage("malformed credential");
    }
    // the edges of the allowed range reach the verifier
    for (String edge : List.of("!", "~")) {
      assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.CONNECT, "s10", "token", edge), null))
          .hasMessage(authenticatorsReason(edge)).hasMessageNotContaining("credential");
    }
    assertThat(interceptor.preSend(frame(StompCommand.CONNECT, "s10", "token", token), null)).isNotNull();
  }

  @Test
  void bothCredentialHeaders_orOneTwice_areMalformed() {
    String token = issuer.issue("ivy").value();
    assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.CONNECT, "s11", "token", token,
        "Authorization", "Bearer " + token), null)).hasMessage("malformed credential");
    assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.CONNECT, "s11", "token", token, "token", token),
        null)).hasMessage("malformed credential");
    assertThatThrownBy(() -> interceptor.preSend(frame(StompCommand.CONNECT, "s11"), null))
        .hasMessage("credentials required");
    assertThat(interceptor.preSend(frame(StompCommand.CONNECT, "s11", "token", token), null)).isNotNull();
  }

  @Test
  void theDeadline_passingAfterAuthentication_closesNothing() throws Exception {
    List<Runnable> tasks = new ArrayList<>();
    TaskScheduler manual = (task, delay) -> {
      tasks.add(task);
      return () -> { }; // the cancellation loses the race: the task still runs
    };
    var session = org.mockito.Mockito.mock(org.springframework.web.socket.WebSocketSession.class);
    org.mockito.Mockito.when(session.getId()).thenReturn("s12");
    org.mockito.Mockito.when(session.isOpen()).thenReturn(true);
    new StompDeadline(interceptor, manual).decorate(new org.springframework.web.socket.handler.TextWebSocketHandler())
        .afterConnectionEstablished(session);
    interceptor.preSend(frame(StompCommand.CONNECT, "s12", "token", issuer.issue("jan").value()), null);
    tasks.get(0).run();
    org.mockito.Mockito.verify(session, org.mockito.Mockito.never()).close(org.mockito.ArgumentMatchers.any());
  }

  @Test
  void theDeadline_ofASessionAlreadyClosed_closesNothing() throws Exception {
    List<Runnable> tasks = new ArrayList<>();
    TaskScheduler manual = (task, delay) -> {
      tasks.add(task);
      return () -> { };
    };
    var session = org.mockito.Mockito.mock(org.springframework.web.socket.WebSocketSession.class);
    org.mockito.Mockito.when(session.getId()).thenReturn("s13");
    org.mockito.Mockito.when(session.isOpen()).thenReturn(false);
    new StompDeadline(interceptor, manual).decorate(new org.springframework.web.socket.handler.TextWebSocketHandler())
        .afterConnectionEstablished(session);
    tasks.get(0).run();
    org.mockito.Mockito.verify(session, org.mockito.Mockito.never()).close(org.mockito.ArgumentMatchers.any());
  }

  @Test
  void theClosedSession_isPassedToTheApplicationsHandler_andForgotten() throws Exception {
    var session = org.mockito.Mockito.mock(org.springframework.web.socket.WebSocketSession.class);
    org.mockito.Mockito.when(session.getId()).thenReturn("s14");
    var application = org.mockito.Mockito.mock(org.springframework.web.socket.WebSocketHandler.class);
    var handler = new StompDeadline(interceptor, (task, delay) -> () -> { }).decorate(application);
    handler.afterConnectionEstablished(session);
    interceptor.preSend(frame(StompCommand.CONNECT, "s14", "token", issuer.issue("kim").value()), null);
    handler.afterConnectionClosed(session, org.springframework.web.socket.CloseStatus.NORMAL);
    org.mockito.Mockito.verify(application).afterConnectionClosed(session,
        org.springframework.web.socket.CloseStatus.NORMAL);
    assertThat(interceptor.identity("s14")).isEmpty();
  }

  @Test
  void toString_countsSessions_andHoldsNoToken() {
    String token = issuer.issue("lou").value();
    interceptor.preSend(frame(StompCommand.CONNECT, "s15", "token", token), null);
    assertThat(interceptor.toString()).startsWith("WsAuthStompInterceptor[").endsWith(", 1 sessions]")
        .doesNotContain(token);
  }

  @Test
  void aMessageThatIsNotStomp_isRefusedBeforeAuthentication() {
    org.springframework.messaging.simp.SimpMessageHeaderAccessor simp =
        org.springframework.messaging.simp.SimpMessageHeaderAccessor.create(
            org.springframework.messaging.simp.SimpMessageType.MESSAGE);
    simp.setSessionId("s16");
    Message<byte[]> notStomp = MessageBuilder.createMessage(new byte[0], simp.getMessageHeaders());
    assertThatThrownBy(() -> interceptor.preSend(notStomp, null)).isInstanceOf(MessageDeliveryException.class)
        .hasMessage("authentication required");
  }

  @Test
  void withALifetime_anAcceptedSessionIsRegistered_untilItsDisconnect() throws Exception {
    io.github.wsauth.lifetime.ConnectionRegistry registry = new io.github.wsauth.lifetime.ConnectionRegistry();
    io.github.wsauth.jakarta.JakartaAuthConfig config = io.github.wsauth.jakarta.JakartaAuthConfig.builder()
        .firstMessage(interceptor.authenticator())
        .lifetime(io.github.wsauth.lifetime.ConnectionLifetime.builder().registry(registry).build()).build();
    interceptor.lifetime(config);
    var session = org.mockito.Mockito.mock(org.springframework.web.socket.WebSocketSession.class);
    org.mockito.Mockito.when(session.getId()).thenReturn("s17");
    org.mockito.Mockito.when(session.getAttributes()).thenReturn(new java.util.HashMap<>());
    var application = org.mockito.Mockito.mock(org.springframework.web.socket.WebSocketHandler.class);
    new StompDeadline(interceptor, (task, delay) -> () -> { }).decorate(application)
        .afterConnectionEstablished(session);
    org.mockito.Mockito.verify(application).afterConnectionEstablished(session);
    interceptor.preSend(frame(StompCommand.CONNECT, "s17", "token", issuer.issue("max").value()), null);
    assertThat(SpringSessionLifetime.of(session)).as("the connection the deadline handler recorded").isPresent();
    assertThat(registry.size()).isEqualTo(1);
    interceptor.preSend(frame(StompCommand.DISCONNECT, "s17"), null);
    assertThat(registry.size()).as("unregistered by the disconnect").isZero();
  }
}
