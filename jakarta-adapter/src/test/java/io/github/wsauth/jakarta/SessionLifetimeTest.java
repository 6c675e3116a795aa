package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.internal.LiveSession;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.testkit.MutableClock;
import jakarta.websocket.CloseReason;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The application's view of a session on a JSON first-message endpoint: whole-text handlers are wrapped. */
class SessionLifetimeTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final TokenStore store = TokenStore.inMemory(clock);
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
  private final TokenVerifier verifier = TokenVerifier.opaque(store, TokenPolicy.defaults());
  private final Session session = mock(Session.class);
  private final Map<String, Object> properties = new HashMap<>();
  /** A JSON first-message authenticator with the smallest cap, 64 bytes. */
  private final FirstMessageAuthenticator first = FirstMessageAuthenticator.builder().verifier(verifier)
      .format(FirstMessageAuthenticator.Format.JSON).maxMessageBytes(64).build();

  /** A handler whose class declares its message type, as the one-argument addMessageHandler requires. */
  static final class Recording implements MessageHandler.Whole<String> {
    final List<String> got = new ArrayList<>();

    @Override
    public void onMessage(String message) {
      got.add(message);
    }
  }

  private LiveSession live() {
    when(session.getUserProperties()).thenReturn(properties);
    when(session.isOpen()).thenReturn(true);
    Identity alice = verifier.verify(issuer.issue("alice").value()).verifiedIdentity().orElseThrow();
    JakartaAuthConfig config = JakartaAuthConfig.builder().firstMessage(first).clock(clock)
        .scheduler((task, delay) -> () -> { }).build();
    return SessionLifetime.start(session, alice, config, verifier);
  }

  @Test
  void wholeStringHandler_tokenMessageReauthenticates_otherMessagesPass() throws Exception {
    LiveSession live = live();
    Session view = SessionLifetime.inBandView(session, live, first);
    Recording app = new Recording();
    view.addMessageHandler(app);
    @SuppressWarnings("unchecked")
    ArgumentCaptor<MessageHandler.Whole<String>> wrapper = ArgumentCaptor.forClass(MessageHandler.Whole.class);
    verify(session).addMessageHandler(eq(String.class), wrapper.capture());

    clock.advance(Duration.ofSeconds(10));
    wrapper.getValue().onMessage("{\"token\":\"" + issuer.issue("alice").value() + "\"}");
    wrapper.getValue().onMessage("hello");

    assertThat(app.got).containsExactly("hello");
    assertThat(JakartaWsAuth.identity(session).orElseThrow().expiresAt()).isEqualTo(Instant.parse(
        "2030-01-01T00:00:40Z"));
    verify(session, never()).close(any());
    view.removeMessageHandler(app);
    verify(session).removeMessageHandler(wrapper.getValue());
  }

  @Test
  void wrappedHandler_anotherSubjectsToken_closes1008() throws Exception {
    Session view = SessionLifetime.inBandView(session, live(), first);
    Recording app = new Recording();
    view.addMessageHandler(String.class, app);
    @SuppressWarnings("unchecked")
    ArgumentCaptor<MessageHandler.Whole<String>> wrapper = ArgumentCaptor.forClass(MessageHandler.Whole.class);
    verify(session).addMessageHandler(eq(String.class), wrapper.capture());

    wrapper.getValue().onMessage("{\"token\":\"" + issuer.issue("bob").value() + "\"}");

    ArgumentCaptor<CloseReason> reason = ArgumentCaptor.forClass(CloseReason.class);
    verify(session).close(reason.capture());
    assertThat(reason.getValue().getCloseCode().getCode()).isEqualTo(1008);
    assertThat(reason.getValue().getReasonPhrase()).isEqualTo("re-authentication subject mismatch");
    assertThat(app.got).isEmpty();
  }

  @Test
  void tokenMessage_ofExactlyTheCap_reauthenticates_oneByteMore_closes1009_undelivered() throws Exception {
    LiveSession live = live();
    Recording app = new Recording();
    SessionLifetime.inBandView(session, live, first).addMessageHandler(app);
    @SuppressWarnings("unchecked")
    ArgumentCaptor<MessageHandler.Whole<String>> wrapper = ArgumentCaptor.forClass(MessageHandler.Whole.class);
    verify(session).addMessageHandler(eq(String.class), wrapper.capture());
    clock.advance(Duration.ofSeconds(10));
    String message = "{\"token\":\"" + issuer.issue("alice").value() + "\"}";
    String atCap = message + " ".repeat(64 - message.length());

    wrapper.getValue().onMessage(atCap);
    assertThat(JakartaWsAuth.identity(session).orElseThrow().expiresAt()).isEqualTo(Instant.parse(
        "2030-01-01T00:00:40Z"));
    verify(session, never()).close(any());

    String overCap = message + " ".repeat(64 - message.length() - 1) + "\u00e9"; // 64 chars, 65 bytes
    wrapper.getValue().onMessage(overCap);
    ArgumentCaptor<CloseReason> reason = ArgumentCaptor.forClass(CloseReason.class);
    verify(session).close(reason.capture());
    assertThat(reason.getValue().getCloseCode().getCode()).isEqualTo(1009);
    assertThat(reason.getValue().getReasonPhrase()).isEqualTo("authentication message too big");
    assertThat(app.got).as("neither message reached the application").isEmpty();
  }

  @Test
  void largeOrdinaryMessage_reachesTheApplication() throws Exception {
    Session view = SessionLifetime.inBandView(session, live(), first);
    Recording app = new Recording();
    view.addMessageHandler(app);
    @SuppressWarnings("unchecked")
    ArgumentCaptor<MessageHandler.Whole<String>> wrapper = ArgumentCaptor.forClass(MessageHandler.Whole.class);
    verify(session).addMessageHandler(eq(String.class), wrapper.capture());
    String chat = "{\"chat\":\"" + "x".repeat(100_000) + "\"}";

    wrapper.getValue().onMessage(chat);

    assertThat(app.got).containsExactly(chat);
    verify(session, never()).close(any());
  }

  @Test
  void otherHandlersAndCalls_goToTheSession() {
    Session view = SessionLifetime.inBandView(session, live(), first);
    MessageHandler.Whole<java.nio.ByteBuffer> binary = data -> { };
    view.addMessageHandler(java.nio.ByteBuffer.class, binary);
    verify(session).addMessageHandler(java.nio.ByteBuffer.class, binary);
    assertThat(view.getUserProperties()).isSameAs(properties);
    assertThat(view).isEqualTo(view).isNotEqualTo(session);
  }

  @Test
  void lambdaHandler_registeredWithItsType_isWrappedToo() {
    // A lambda's class declares only the raw MessageHandler.Whole: the explicit String.class decides.
    LiveSession live = live();
    Session view = SessionLifetime.inBandView(session, live, first);
    List<String> got = new ArrayList<>();
    MessageHandler.Whole<String> app = got::add;
    assertThat(SessionLifetime.isWholeString(app)).isFalse();
    view.addMessageHandler(String.class, app);
    @SuppressWarnings("unchecked")
    ArgumentCaptor<MessageHandler.Whole<String>> wrapper = ArgumentCaptor.forClass(MessageHandler.Whole.class);
    verify(session).addMessageHandler(eq(String.class), wrapper.capture());
    assertThat(wrapper.getValue()).isNotSameAs(app);

    clock.advance(Duration.ofSeconds(10));
    wrapper.getValue().onMessage("{\"token\":\"" + issuer.issue("alice").value() + "\"}");
    wrapper.getValue().onMessage("hello");
    assertThat(got).containsExactly("hello");
    assertThat(JakartaWsAuth.identity(session).orElseThrow().expiresAt()).isEqualTo(Instant.parse(
        "2030-01-01T00:00:40Z"));
  }

  /** A binary handler whose class declares its type: registered with the one-argument form. */
  static final class Binary implements MessageHandler.Whole<java.nio.ByteBuffer> {
    @Override
    public void onMessage(java.nio.ByteBuffer message) {}
  }

  @Test
  void oneArgumentBinaryHandler_goesToTheSessionUnwrapped() {
    Session view = SessionLifetime.inBandView(session, live(), first);
    Binary binary = new Binary();
    assertThat(SessionLifetime.isWholeString(binary)).isFalse();
    view.addMessageHandler(binary);
    verify(session).addMessageHandler(binary);
    verify(session, never()).addMessageHandler(eq(String.class), org.mockito.ArgumentMatchers.<MessageHandler.Whole<String>>any());
  }

  @Test
  void view_hashCodeAndToString_areTheViewsOwn() {
    when(session.getId()).thenReturn("s-42");
    Session view = SessionLifetime.inBandView(session, live(), first);
    assertThat(view.hashCode()).isEqualTo(System.identityHashCode(view)).isEqualTo(view.hashCode());
    assertThat(view).hasToString("WsAuthSession[s-42]");
    assertThat(new java.util.HashSet<>(List.of(view, view))).containsExactly(view);
  }

  @Test
  void connection_isOpenFollowsTheSession_andWarnsTheConfiguredListener() {
    List<String> warned = new ArrayList<>();
    JakartaAuthConfig config = JakartaAuthConfig.builder().firstMessage(io.github.wsauth.FirstMessageAuthenticator
        .builder().verifier(verifier).build()).clock(clock).scheduler((task, delay) -> () -> { })
        .expiryWarningListener((s, identity, remaining) -> warned.add((s == session) + " " + identity.subject()
            + " " + remaining)).build();
    LiveSession.Connection connection = SessionLifetime.connection(session, config);
    when(session.isOpen()).thenReturn(true);
    assertThat(connection.isOpen()).isTrue();
    when(session.isOpen()).thenReturn(false);
    assertThat(connection.isOpen()).isFalse();

    Identity alice = verifier.verify(issuer.issue("alice").value()).verifiedIdentity().orElseThrow();
    connection.expiresSoon(alice, Duration.ofSeconds(5));
    assertThat(warned).containsExactly("true alice PT5S");
  }
}
