package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.internal.FirstMessageSession;
import io.github.wsauth.lifetime.ConnectionLifetime;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.testkit.MutableClock;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The first-message wrapper's translation, with the container's session mocked: what it registers, when the
 * application hears of the session, and that the deadline timer never outlives the decision or the connection.
 */
class WsAuthEndpointTest {
  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final TokenStore store = TokenStore.inMemory(clock);
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
  private final TokenVerifier verifier = TokenVerifier.opaque(store, TokenPolicy.defaults());
  private final Session session = mock(Session.class);
  private final EndpointConfig endpointConfig = mock(EndpointConfig.class);
  private final List<String> timers = new ArrayList<>();
  private final List<String> app = new ArrayList<>();
  /** The sessions the application was given, in order. */
  private final List<Session> appSessions = new ArrayList<>();
  /** Runs when a timer is cancelled (after recording it). */
  private Runnable onCancel = () -> { };

  /** Records what the application hears. */
  private final class App extends Endpoint {
    @Override
    public void onOpen(Session s, EndpointConfig c) {
      appSessions.add(s);
      app.add("open " + JakartaWsAuth.identity(s).map(Identity::subject).orElse("anonymous"));
    }

    @Override
    public void onClose(Session s, CloseReason r) {
      appSessions.add(s);
      app.add("close " + r.getCloseCode().getCode());
    }

    @Override
    public void onError(Session s, Throwable t) {
      appSessions.add(s);
      app.add("error " + t.getMessage());
    }
  }

  private WsAuthEndpoint firstMessageEndpoint() throws Exception {
    return open(firstMessage(FirstMessageAuthenticator.Format.RAW).build());
  }

  private JakartaAuthConfig.Builder firstMessage(FirstMessageAuthenticator.Format format) {
    return JakartaAuthConfig.builder().clock(clock)
        .firstMessage(FirstMessageAuthenticator.builder().verifier(verifier).format(format).build())
        .scheduler((task, delay) -> {
          int n = timers.size();
          timers.add("scheduled " + delay.toSeconds());
          return () -> {
            timers.set(n, "cancelled");
            onCancel.run();
          };
        });
  }

  private WsAuthEndpoint open(JakartaAuthConfig config) throws Exception {
    when(session.getUserProperties()).thenReturn(new HashMap<>());
    when(endpointConfig.getUserProperties()).thenReturn(new HashMap<>());
    when(session.isOpen()).thenReturn(true);
    WsAuthEndpoint endpoint = WsAuthEndpoint.builder("/fm", config, App::new).build().getConfigurator()
        .getEndpointInstance(WsAuthEndpoint.class);
    endpoint.onOpen(session, endpointConfig);
    return endpoint;
  }

  @SuppressWarnings("unchecked")
  private MessageHandler.Partial<String> text() {
    ArgumentCaptor<MessageHandler.Partial<String>> c = ArgumentCaptor.forClass(MessageHandler.Partial.class);
    verify(session).addMessageHandler(eq(String.class), c.capture());
    return c.getValue();
  }

  @SuppressWarnings("unchecked")
  private MessageHandler.Partial<ByteBuffer> binary() {
    ArgumentCaptor<MessageHandler.Partial<ByteBuffer>> c = ArgumentCaptor.forClass(MessageHandler.Partial.class);
    verify(session).addMessageHandler(eq(ByteBuffer.class), c.capture());
    return c.getValue();
  }

  private CloseReason closed() throws Exception {
    ArgumentCaptor<CloseReason> reason = ArgumentCaptor.forClass(CloseReason.class);
    verify(session).close(reason.capture());
    return reason.getValue();
  }

  @Test
  void validToken_inTwoParts_opensTheApplication_removesOurHandlers_cancelsTheDeadline() throws Exception {
    WsAuthEndpoint endpoint = firstMessageEndpoint();
    assertThat(timers).containsExactly("scheduled 10");
    assertThat(app).isEmpty();
    String token = issuer.issue("alice").value();
    MessageHandler.Partial<String> text = text();
    MessageHandler.Partial<ByteBuffer> binary = binary();

    text.onMessage(token.substring(0, 5), false);
    assertThat(app).isEmpty();
    text.onMessage(token.substring(5), true);

    assertThat(app).containsExactly("open alice");
    assertThat(timers).containsExactly("cancelled");
    verify(session).removeMessageHandler(text);
    verify(session).removeMessageHandler(binary);
    verify(session, never()).close(any());
    endpoint.onError(session, new IllegalStateException("later"));
    endpoint.onClose(session, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, ""));
    assertThat(app).containsExactly("open alice", "error later", "close 1001");
    assertThat(appSessions).containsOnly(session); // raw format: no in-band re-authentication view
  }

  @Test
  void jsonFormat_applicationGetsTheInBandView_everywhere_andTheExpiryTimerEndsWithTheSession() throws Exception {
    WsAuthEndpoint endpoint = open(firstMessage(FirstMessageAuthenticator.Format.JSON).closeOnExpiry(true).build());
    text().onMessage("{\"token\":\"" + issuer.issue("alice").value() + "\"}", true);

    assertThat(app).containsExactly("open alice");
    assertThat(timers).containsExactly("cancelled", "scheduled 30"); // the deadline, then the identity's expiry
    endpoint.onError(session, new IllegalStateException("oops"));
    endpoint.onClose(session, new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, ""));
    assertThat(timers).containsExactly("cancelled", "cancelled");
    assertThat(app).containsExactly("open alice", "error oops", "close 1000");
    assertThat(appSessions).hasSize(3).doesNotContainNull().doesNotContain(session);
    assertThat(appSessions).containsOnly(appSessions.get(0));
  }

  @Test
  void jsonFormat_withoutInBandMessages_applicationGetsTheContainersSession() throws Exception {
    open(firstMessage(FirstMessageAuthenticator.Format.JSON)
        .lifetime(ConnectionLifetime.builder().inBandMessages(false).build()).build());
    text().onMessage("{\"token\":\"" + issuer.issue("alice").value() + "\"}", true);

    assertThat(app).containsExactly("open alice");
    assertThat(appSessions).containsExactly(session);
  }

  @Test
  void closeBetweenTheDecisionAndTheOpen_applicationNeverOpens() throws Exception {
    WsAuthEndpoint endpoint = firstMessageEndpoint();
    // The session cancels its deadline just before it hands the identity over: the connection closes right then.
    onCancel = () -> endpoint.onClose(session, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, ""));
    text().onMessage(issuer.issue("alice").value(), true);

    assertThat(timers).containsExactly("cancelled");
    assertThat(app).isEmpty();
  }

  @Test
  void abort_closesNormallyWithoutReason() throws Exception {
    firstMessageEndpoint();
    ((FirstMessageSession.Transport<?>) text()).abort();

    CloseReason reason = closed();
    assertThat(reason.getCloseCode().getCode()).isEqualTo(1000);
    assertThat(reason.getReasonPhrase()).isEmpty();
  }

  @Test
  void handshakeMode_sessionWithIdentity_opensTheApplicationWithTheContainersSession() throws Exception {
    Identity alice = verifier.verify(issuer.issue("alice").value()).verifiedIdentity().orElseThrow();
    Map<String, Object> properties = new HashMap<>(Map.of(JakartaWsAuth.IDENTITY_KEY, alice));
    when(session.getUserProperties()).thenReturn(properties);
    Map<String, Object> configProperties = new HashMap<>();
    when(endpointConfig.getUserProperties()).thenReturn(configProperties);
    WsAuthEndpoint endpoint = WsAuthEndpoint.builder("/hs", handshakeConfig(), App::new).build().getConfigurator()
        .getEndpointInstance(WsAuthEndpoint.class);
    endpoint.onOpen(session, endpointConfig);
    endpoint.onClose(session, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, ""));

    assertThat(app).containsExactly("open alice", "close 1001");
    assertThat(appSessions).containsExactly(session, session);
    assertThat(configProperties).containsEntry(JakartaWsAuth.IDENTITY_KEY, alice);
    verify(session, never()).close(any());
  }

  @Test
  void configurator_createsWsAuthEndpointsOnly() throws Exception {
    ServerEndpointConfig.Configurator configurator = WsAuthEndpoint.builder("/hs", handshakeConfig(), App::new)
        .build().getConfigurator();
    assertThatThrownBy(() -> configurator.getEndpointInstance(App.class)).isInstanceOf(InstantiationException.class)
        .hasMessage("this configurator creates io.github.wsauth.jakarta.WsAuthEndpoint only");
  }

  @Test
  void annotated_wrapsTheAnnotatedAdapter_checksTheClassNow_andTheSuppliersInstance() throws Exception {
    ServerEndpointConfig config = WsAuthEndpoint.annotated("/a", handshakeConfig(),
        AnnotatedEndpointAdapterTest.Good.class, AnnotatedEndpointAdapterTest.Good::new).build();
    assertThat(config.getConfigurator().getEndpointInstance(WsAuthEndpoint.class))
        .hasToString("WsAuthEndpoint[io.github.wsauth.jakarta.AnnotatedEndpointAdapter]");
    assertThatThrownBy(() -> WsAuthEndpoint.annotated("/a", handshakeConfig(),
        AnnotatedEndpointAdapterTest.TwoTextHandlers.class, AnnotatedEndpointAdapterTest.TwoTextHandlers::new))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("more than one method");
    ServerEndpointConfig.Configurator nulls = WsAuthEndpoint.annotated("/a", handshakeConfig(),
        AnnotatedEndpointAdapterTest.Good.class, () -> null).build().getConfigurator();
    assertThatThrownBy(() -> nulls.getEndpointInstance(WsAuthEndpoint.class))
        .isInstanceOf(NullPointerException.class).hasMessage("the instance supplier returned null");
  }

  private JakartaAuthConfig handshakeConfig() {
    return JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.bearerHeader()).verifier(verifier)
        .originPolicy(OriginPolicy.allowOnly("https://app.example")).build()).build();
  }

  @Test
  void unknownToken_closes1008_cancelsTheDeadline_applicationNeverHears() throws Exception {
    WsAuthEndpoint endpoint = firstMessageEndpoint();
    text().onMessage("not-a-token-but-well-formed", true);

    CloseReason reason = closed();
    assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
    assertThat(timers).containsExactly("cancelled");
    verify(session, never()).removeMessageHandler(any(MessageHandler.class));
    endpoint.onError(session, new IllegalStateException("late"));
    endpoint.onClose(session, reason);
    assertThat(app).isEmpty();
  }

  @Test
  void binaryFirstMessage_closes1008NotText() throws Exception {
    firstMessageEndpoint();
    binary().onMessage(ByteBuffer.wrap(new byte[] {1}), true);

    CloseReason reason = closed();
    assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
    assertThat(reason.getReasonPhrase()).isEqualTo("authentication message must be text");
    assertThat(timers).containsExactly("cancelled");
  }

  @Test
  void closedBeforeTheCredential_cancelsTheDeadline_applicationNeverHears() throws Exception {
    WsAuthEndpoint endpoint = firstMessageEndpoint();
    endpoint.onClose(session, new CloseReason(CloseReason.CloseCodes.GOING_AWAY, ""));

    assertThat(timers).containsExactly("cancelled");
    assertThat(app).isEmpty();
    verify(session, never()).close(any());
  }

  @Test
  void handshakeMode_sessionWithoutIdentity_closes1008AuthenticationRequired() throws Exception {
    when(session.getUserProperties()).thenReturn(new HashMap<>());
    WsAuthEndpoint endpoint = WsAuthEndpoint.builder("/hs", handshakeConfig(), App::new).build().getConfigurator()
        .getEndpointInstance(WsAuthEndpoint.class);
    endpoint.onOpen(session, endpointConfig);

    CloseReason reason = closed();
    assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
    assertThat(reason.getReasonPhrase()).isEqualTo("authentication required");
    endpoint.onClose(session, reason);
    assertThat(app).isEmpty();
  }
}
