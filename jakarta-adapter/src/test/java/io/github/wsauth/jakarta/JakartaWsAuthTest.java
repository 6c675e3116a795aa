package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.wsauth.AuthDecision;
import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.TokenIssuer;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.internal.LiveSession;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.testkit.MutableClock;
import jakarta.servlet.ServletRequest;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

/**
 * {@link JakartaWsAuth}'s lookups and calls on their own (the container's {@code Session}, {@code EndpointConfig} and
 * {@code ServletRequest} as Mockito seams), and {@link HandshakeRejectedException} across serialization.
 */
class JakartaWsAuthTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private final MutableClock clock = MutableClock.at(NOW);
  private final TokenStore store = TokenStore.inMemory(clock);
  private final TokenIssuer issuer = TokenIssuer.opaque(store, TokenPolicy.defaults(), clock);
  private final List<Runnable> tasks = new ArrayList<>();
  private final List<Duration> delays = new ArrayList<>();
  private final List<Runnable> cancelled = new ArrayList<>();
  private final TaskScheduler manual = (task, delay) -> {
    tasks.add(task);
    delays.add(delay);
    return () -> cancelled.add(task);
  };
  private final JakartaAuthConfig config = JakartaAuthConfig.builder()
      .handshake(HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
          .verifier(TokenVerifier.opaque(store, TokenPolicy.defaults())).originPolicy(OriginPolicy.anyOrigin())
          .build())
      .closeOnExpiry(true).clock(clock).scheduler(manual).build();
  private final Identity alice = Identity.of("alice", Map.of(), NOW.plusSeconds(30));

  private Session session(Map<String, Object> properties) {
    Session session = mock(Session.class);
    when(session.getUserProperties()).thenReturn(properties);
    when(session.isOpen()).thenReturn(true);
    return session;
  }

  @Test
  void identity_ofTheEndpointConfig_andOfTheServletRequest() {
    EndpointConfig endpointConfig = mock(EndpointConfig.class);
    when(endpointConfig.getUserProperties()).thenReturn(new HashMap<>(Map.of(JakartaWsAuth.IDENTITY_KEY, alice)));
    assertThat(JakartaWsAuth.identity(endpointConfig)).containsSame(alice);
    ServletRequest request = mock(ServletRequest.class);
    when(request.getAttribute(JakartaWsAuth.IDENTITY_KEY)).thenReturn(alice);
    assertThat(JakartaWsAuth.identity(request)).containsSame(alice);
    ServletRequest other = mock(ServletRequest.class);
    when(other.getAttribute(JakartaWsAuth.IDENTITY_KEY)).thenReturn("not an identity");
    assertThat(JakartaWsAuth.identity(other)).isEmpty();
  }

  @Test
  void closeOnExpiry_closesAtTheIdentitysExpiry_withTheConfiguredCode() throws Exception {
    Session session = session(new HashMap<>(Map.of(JakartaWsAuth.IDENTITY_KEY, alice)));
    JakartaWsAuth.closeOnExpiry(session, config);
    assertThat(delays).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(30),
        Duration.ofSeconds(31)));
    clock.advance(Duration.ofSeconds(31));
    tasks.get(0).run();
    org.mockito.ArgumentCaptor<CloseReason> reason = org.mockito.ArgumentCaptor.forClass(CloseReason.class);
    verify(session).close(reason.capture());
    assertThat(reason.getValue().getCloseCode().getCode()).isEqualTo(1008);
    assertThat(reason.getValue().getReasonPhrase()).isEqualTo("authentication expired");
  }

  @Test
  void closeOnExpiry_cancelled_closesNothing() throws Exception {
    Session session = session(new HashMap<>(Map.of(JakartaWsAuth.IDENTITY_KEY, alice)));
    TaskScheduler.Cancellable handle = JakartaWsAuth.closeOnExpiry(session, config);
    handle.cancel();
    assertThat(cancelled).containsExactly(tasks.get(0));
    clock.advance(Duration.ofSeconds(31));
    tasks.get(0).run();
    verify(session, never()).close(any(CloseReason.class));
  }

  @Test
  void closeOnExpiry_ofASessionWithoutIdentity_schedulesNothing() {
    Session session = session(new HashMap<>());
    TaskScheduler.Cancellable handle = JakartaWsAuth.closeOnExpiry(session, config);
    assertThat(handle).isNotNull();
    handle.cancel();
    assertThat(tasks).isEmpty();
  }

  @Test
  void reauthenticate_ofASessionWsAuthDidNotAuthenticate_isRefused() throws Exception {
    Session session = session(new HashMap<>());
    assertThatThrownBy(() -> JakartaWsAuth.reauthenticate(session, issuer.issue("alice").value()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the session was not authenticated by a WsAuthEndpoint");
    verify(session, never()).close(any(CloseReason.class));
  }

  @Test
  void reauthenticate_ofALiveSession_returnsTheNewIdentity() {
    Map<String, Object> properties = new HashMap<>();
    Session session = session(properties);
    LiveSession live = SessionLifetime.start(session, alice, config, TokenVerifier.opaque(store, TokenPolicy.defaults()));
    assertThat(SessionLifetime.of(session)).containsSame(live);
    clock.advance(Duration.ofSeconds(5));
    Identity fresh = JakartaWsAuth.reauthenticate(session, issuer.issue("alice").value()).orElseThrow();
    assertThat(fresh.subject()).isEqualTo("alice");
    assertThat(fresh.expiresAt()).isAfter(alice.expiresAt());
  }

  @Test
  void handshakeRejectedException_carriesTheRefusal_andAfterSerializationItsStatus() throws Exception {
    AuthDecision.Rejected forbidden = new AuthDecision.Rejected(403, List.of(), "origin not allowed");
    HandshakeRejectedException e = new HandshakeRejectedException(forbidden);
    assertThat(e.rejected()).isSameAs(forbidden);
    assertThat(e.status()).isEqualTo(403);
    assertThat(e).hasMessage("WebSocket handshake rejected (403): origin not allowed");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(e);
    }
    HandshakeRejectedException copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (HandshakeRejectedException) in.readObject();
    }
    assertThat(copy.status()).isEqualTo(403);
    assertThat(copy.rejected()).isEqualTo(new AuthDecision.Rejected(403, List.of(), "handshake rejected"));
  }

  @Test
  void theExpiryWarningListener_isTheConfigured() {
    ExpiryWarningListener listener = (session, identity, remaining) -> { };
    assertThat(JakartaAuthConfig.builder().handshake(config.requireHandshake()).expiryWarningListener(listener)
        .build().expiryWarningListener()).isSameAs(listener);
    assertThat(config.expiryWarningListener()).isSameAs(ExpiryWarningListener.NONE);
    assertThat(Clock.systemUTC()).isNotNull();
  }
}
