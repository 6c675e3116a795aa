package io.github.wsauth.jakarta;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.github.wsauth.CredentialExtractor;
import io.github.wsauth.HandshakeAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.OriginPolicy;
import io.github.wsauth.TokenPolicy;
import io.github.wsauth.store.TokenStore;
import io.github.wsauth.TokenVerifier;

class HandoffTest {
  private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
  private final JakartaAuthConfig a = config();
  private final JakartaAuthConfig b = config();
  private final Identity alice = Identity.of("alice", Map.of(), Instant.parse("2030-01-01T00:00:00Z"));

  private static JakartaAuthConfig config() {
    return JakartaAuthConfig.builder().handshake(HandshakeAuthenticator.builder()
        .extractor(CredentialExtractor.bearerHeader())
        .verifier(TokenVerifier.opaque(TokenStore.inMemory(Clock.systemUTC()), TokenPolicy.defaults()))
        .originPolicy(OriginPolicy.anyOrigin()).build()).build();
  }

  @Test
  void claim_noScope_isNone() {
    assertThat(Handoff.claim(a, KEY, "/chat").kind()).isEqualTo(Handoff.Claim.Kind.NONE);
    assertThat(Handoff.filterInFront()).isFalse();
  }

  @Test
  void claim_sameConfigKeyAndPath_isAccepted_andMarksTheDecisionClaimed() {
    try (Handoff h = Handoff.offer(a, KEY, "/chat", alice)) {
      assertThat(h.claimed()).isFalse();
      Handoff.Claim c = Handoff.claim(a, KEY, "/chat");
      assertThat(c.kind()).isEqualTo(Handoff.Claim.Kind.ACCEPTED);
      assertThat(c.identity()).isSameAs(alice);
      assertThat(h.claimed()).isTrue();
    }
    assertThat(Handoff.filterInFront()).isFalse();
  }

  @Test
  void claim_otherConfigOrKeyOrPath_isForeign_andNotClaimed() {
    try (Handoff h = Handoff.offer(a, KEY, "/chat", alice)) {
      assertThat(Handoff.claim(b, KEY, "/chat").kind()).isEqualTo(Handoff.Claim.Kind.FOREIGN);
      assertThat(Handoff.claim(a, "AAAAAAAAAAAAAAAAAAAAAA==", "/chat").kind()).isEqualTo(Handoff.Claim.Kind.FOREIGN);
      assertThat(Handoff.claim(a, KEY, "/admin").kind()).isEqualTo(Handoff.Claim.Kind.FOREIGN);
      assertThat(h.claimed()).isFalse();
    }
  }

  @Test
  void claim_guardOnly_isGuarded_andMarksTheGuardLookedAt() {
    try (Handoff g = Handoff.guard(a)) {
      assertThat(Handoff.filterInFront()).isTrue();
      assertThat(g.claimed()).isFalse();
      assertThat(Handoff.claim(b, KEY, "/admin").kind()).isEqualTo(Handoff.Claim.Kind.GUARDED);
      assertThat(g.claimed()).isTrue();
    }
  }

  @Test
  @SuppressWarnings("try") // the handoffs are scopes: opened and closed around the claim, never read in it
  void claim_decisionInsideOrAroundAGuard_isFound() {
    try (Handoff d = Handoff.offer(b, KEY, "/admin", alice); Handoff g = Handoff.guard(a)) {
      assertThat(Handoff.claim(b, KEY, "/admin").kind()).isEqualTo(Handoff.Claim.Kind.ACCEPTED);
      assertThat(d.claimed()).isTrue();
      assertThat(g.claimed()).isTrue();
    }
    try (Handoff g = Handoff.guard(a); Handoff d = Handoff.offer(b, KEY, "/admin", alice)) {
      assertThat(Handoff.claim(b, KEY, "/admin").kind()).isEqualTo(Handoff.Claim.Kind.ACCEPTED);
    }
    assertThat(Handoff.filterInFront()).isFalse();
  }

  private static jakarta.servlet.http.HttpServletRequest request(String key, String uri) {
    jakarta.servlet.http.HttpServletRequest r = org.mockito.Mockito.mock(jakarta.servlet.http.HttpServletRequest.class);
    org.mockito.Mockito.when(r.getHeader("Sec-WebSocket-Key")).thenReturn(key);
    org.mockito.Mockito.when(r.getRequestURI()).thenReturn(uri);
    return r;
  }

  @Test
  void claimFilterDecision_takesOnlyThisConfigsDecisionForThisRequest_andMarksItClaimed() {
    assertThat(JakartaWsAuth.claimFilterDecision(request(KEY, "/chat"), a)).isEmpty();
    try (Handoff h = Handoff.offer(a, KEY, "/chat", alice)) {
      assertThat(JakartaWsAuth.claimFilterDecision(request(KEY, "/chat"), b)).isEmpty();
      assertThat(JakartaWsAuth.claimFilterDecision(request("AAAAAAAAAAAAAAAAAAAAAA==", "/chat"), a)).isEmpty();
      assertThat(JakartaWsAuth.claimFilterDecision(request(KEY, "/admin"), a)).isEmpty();
      assertThat(h.claimed()).isFalse();
      assertThat(JakartaWsAuth.claimFilterDecision(request(KEY, "/chat"), a)).containsSame(alice);
      assertThat(h.claimed()).isTrue();
    }
    try (Handoff g = Handoff.guard(a)) {
      assertThat(JakartaWsAuth.claimFilterDecision(request(KEY, "/chat"), a)).isEmpty();
      assertThat(g.claimed()).as("a guard only learns that a wsauth component looked").isTrue();
    }
  }
}
