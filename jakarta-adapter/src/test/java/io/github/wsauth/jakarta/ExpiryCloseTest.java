package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TaskScheduler;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

/** The Jakarta side of core's expiry timer: the configured close code, on the configured clock and scheduler. */
class ExpiryCloseTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private final HandshakeAuthenticator handshake = HandshakeAuthenticator.builder()
      .extractor(CredentialExtractor.bearerHeader())
      .verifier(TokenVerifier.opaque(TokenStore.inMemory(Clock.systemUTC()), TokenPolicy.defaults()))
      .originPolicy(OriginPolicy.allowOnly("https://app.example")).build();
  private final List<Runnable> tasks = new ArrayList<>();
  private final TaskScheduler manual = (task, delay) -> {
    tasks.add(task);
    return () -> { };
  };

  private List<CloseReason> expire(JakartaAuthConfig.Builder builder) throws Exception {
    List<CloseReason> closes = new ArrayList<>();
    Session session = mock(Session.class);
    when(session.isOpen()).thenReturn(true);
    doAnswer(i -> closes.add(i.getArgument(0))).when(session).close(any(CloseReason.class));
    JakartaAuthConfig config = builder.handshake(handshake).closeOnExpiry(true)
        .clock(Clock.fixed(START.plusSeconds(60), ZoneOffset.UTC)).scheduler(manual).build();
    when(session.getUserProperties()).thenReturn(new java.util.HashMap<>(
        Map.of(JakartaWsAuth.IDENTITY_KEY, Identity.of("alice", Map.of(), START.plusSeconds(30)))));
    JakartaWsAuth.closeOnExpiry(session, config);
    tasks.get(0).run();
    return closes;
  }

  @Test
  void expired_closesWith1008_byDefault() throws Exception {
    List<CloseReason> closes = expire(JakartaAuthConfig.builder());
    assertThat(closes).hasSize(1);
    assertThat(closes.get(0).getCloseCode().getCode()).isEqualTo(1008);
    assertThat(closes.get(0).getReasonPhrase()).isEqualTo("authentication expired");
  }

  @Test
  void expired_closesWithTheConfiguredCode() throws Exception {
    List<CloseReason> closes = expire(JakartaAuthConfig.builder().expiryCloseCode(4401));
    assertThat(closes).hasSize(1);
    assertThat(closes.get(0).getCloseCode().getCode()).isEqualTo(4401);
    assertThat(closes.get(0).getReasonPhrase()).isEqualTo("authentication expired");
  }

  @Test
  void expiryCloseCode_refusesAReservedCode() {
    assertThatThrownBy(() -> JakartaAuthConfig.builder().expiryCloseCode(1006))
        .hasMessage("expiry close code must be 1000, 1001, 1008 or 3000-4999: 1006");
  }
}
