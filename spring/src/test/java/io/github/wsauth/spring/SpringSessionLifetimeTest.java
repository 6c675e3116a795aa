package io.github.wsauth.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.internal.LiveSession;
import io.github.wsauth.jakarta.JakartaAuthConfig;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The Spring session as core's live session drives it (the Spring WebSocket session is the seam): the expiry close,
 * the STOMP {@code ERROR} frame before it, and a send that the broker's thread holds busy.
 */
class SpringSessionLifetimeTest {
  private static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");
  private final MutableClock clock = MutableClock.at(NOW);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final JakartaAuthConfig config = JakartaAuthConfig.builder()
      .handshake(HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
          .verifier(TokenVerifier.opaque(TokenStore.inMemory(clock), TokenPolicy.defaults()))
          .originPolicy(OriginPolicy.anyOrigin()).build())
      .closeOnExpiry(true).clock(clock).scheduler(scheduler).build();
  private final Identity alice = Identity.of("alice", Map.of(), NOW.plusSeconds(60));

  private WebSocketSession session(boolean open) {
    WebSocketSession session = mock(WebSocketSession.class);
    Map<String, Object> attributes = new HashMap<>();
    when(session.getAttributes()).thenReturn(attributes);
    when(session.isOpen()).thenReturn(open);
    return session;
  }

  @Test
  void start_keepsTheLiveSessionInTheSessionsAttributes() {
    WebSocketSession session = session(true);
    LiveSession live = SpringSessionLifetime.start(session, alice, config, null, false);
    assertThat(live).isNotNull();
    assertThat(SpringSessionLifetime.of(session)).containsSame(live);
    assertThat(live.identity()).isSameAs(alice);
  }

  @Test
  void expiry_closesAnOpenSessionWithTheExpiryCode_andNoFrame() throws Exception {
    WebSocketSession session = session(true);
    SpringSessionLifetime.start(session, alice, config, null, false);
    clock.advance(Duration.ofSeconds(61));
    scheduler.runDue();
    verify(session).close(new CloseStatus(1008, "authentication expired"));
    verify(session, never()).sendMessage(any());
  }

  @Test
  void expiry_ofASessionNoLongerOpen_closesNothing() throws Exception {
    WebSocketSession session = session(false);
    SpringSessionLifetime.start(session, alice, config, null, true);
    clock.advance(Duration.ofSeconds(61));
    scheduler.runDue();
    verify(session, never()).close(any());
    verify(session, never()).sendMessage(any());
  }

  @Test
  void stomp_expiry_sendsAnErrorFrameWithTheReason_thenCloses() throws Exception {
    WebSocketSession session = session(true);
    SpringSessionLifetime.start(session, alice, config, null, true);
    clock.advance(Duration.ofSeconds(61));
    scheduler.runDue();
    ArgumentCaptor<WebSocketMessage<?>> sent = ArgumentCaptor.forClass(WebSocketMessage.class);
    InOrder order = inOrder(session);
    order.verify(session).sendMessage(sent.capture());
    order.verify(session).close(new CloseStatus(1008, "authentication expired"));
    String frame = ((TextMessage) sent.getValue()).getPayload();
    assertThat(frame).startsWith("ERROR\n").contains("message:authentication expired\n").endsWith("\0");
  }

  @Test
  void stomp_aSendTheBrokerHoldsBusy_isTriedAgain_thenTheSessionCloses() throws Exception {
    WebSocketSession session = session(true);
    AtomicInteger tries = new AtomicInteger();
    doThrow(new IllegalStateException("busy")).doThrow(new IllegalStateException("busy")).doAnswer(i -> {
      tries.incrementAndGet();
      return null;
    }).when(session).sendMessage(any());
    SpringSessionLifetime.start(session, alice, config, null, true);
    clock.advance(Duration.ofSeconds(61));
    scheduler.runDue();
    verify(session, times(3)).sendMessage(any());
    assertThat(tries).hasValue(1);
    verify(session).close(new CloseStatus(1008, "authentication expired"));
  }

  @Test
  void stomp_aSessionThatClosesWhileBusy_isNotWaitedFor() throws Exception {
    WebSocketSession session = session(true);
    when(session.isOpen()).thenReturn(true, false); // open for the expiry check, closed when the send is refused
    doThrow(new IllegalStateException("busy")).when(session).sendMessage(any());
    SpringSessionLifetime.start(session, alice, config, null, true);
    clock.advance(Duration.ofSeconds(61));
    scheduler.runDue();
    verify(session, times(1)).sendMessage(any());
    verify(session).close(new CloseStatus(1008, "authentication expired"));
  }

  @Test
  void stomp_aSendBusyPastItsDeadline_isGivenUp_andTheSessionStillCloses() throws Exception {
    WebSocketSession session = session(true);
    doThrow(new IllegalStateException("busy")).when(session).sendMessage(any());
    SpringSessionLifetime.start(session, alice, config, null, true);
    clock.advance(Duration.ofSeconds(61));
    long start = System.nanoTime();
    scheduler.runDue();
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    verify(session, org.mockito.Mockito.atLeast(2)).sendMessage(any());
    verify(session).close(new CloseStatus(1008, "authentication expired"));
    assertThat(tookMillis).as("given up after about 200 ms").isBetween(150L, 5_000L);
  }

  @Test
  void stomp_anInterruptedWait_givesUp_keepsTheInterrupt_andStillCloses() throws Exception {
    WebSocketSession session = session(true);
    doThrow(new IllegalStateException("busy")).when(session).sendMessage(any());
    SpringSessionLifetime.start(session, alice, config, null, true);
    clock.advance(Duration.ofSeconds(61));
    Thread.currentThread().interrupt();
    try {
      scheduler.runDue();
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    verify(session, times(1)).sendMessage(any());
    verify(session).close(new CloseStatus(1008, "authentication expired"));
  }

  @Test
  void aFailingClose_isSwallowed() throws Exception {
    WebSocketSession session = session(true);
    doThrow(new java.io.IOException("gone")).when(session).close(any());
    SpringSessionLifetime.start(session, alice, config, null, false);
    clock.advance(Duration.ofSeconds(61));
    scheduler.runDue(); // no exception reaches the scheduler
    verify(session).close(any());
  }
}
