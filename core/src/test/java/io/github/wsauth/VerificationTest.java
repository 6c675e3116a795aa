package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VerificationTest {

  @Test
  void rejected_withoutDetail_usesTheReasonsDescription() {
    Verification.Rejected r = Verification.rejected(RejectionReason.EXPIRED);
    assertThat(r.detail()).isEqualTo("token expired");
    assertThat(r).isEqualTo(new Verification.Rejected(RejectionReason.EXPIRED, "token expired"));
  }

  @Test
  void rejected_detail_mustBeShortPrintableAscii() {
    String ok = "x".repeat(Verification.Rejected.MAX_DETAIL_LENGTH);
    assertThat(Verification.rejected(RejectionReason.INVALID_CLAIMS, ok).detail()).isEqualTo(ok);
    assertThatThrownBy(() -> Verification.rejected(RejectionReason.INVALID_CLAIMS, ok + "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("detail must be 1 to 100 characters");
    assertThatThrownBy(() -> Verification.rejected(RejectionReason.INVALID_CLAIMS, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("detail must be 1 to 100 characters");
    for (String bad : new String[] {"a\nb", "a\u007fb", "caf\u00e9"}) {
      assertThatThrownBy(() -> Verification.rejected(RejectionReason.INVALID_CLAIMS, bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("detail must be printable ASCII");
    }
    assertThatThrownBy(() -> Verification.rejected(RejectionReason.INVALID_CLAIMS, null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void rejectedDetail_isWhatTheHandshakeAndFirstMessageSay() {
    TokenVerifier verifier = token -> Verification.rejected(RejectionReason.INVALID_CLAIMS, "invalid token claims (x)");
    HandshakeAuthenticator handshake = HandshakeAuthenticator.builder().extractor(CredentialExtractor.bearerHeader())
        .verifier(verifier).originPolicy(OriginPolicy.anyOrigin()).build();
    AuthDecision d = handshake.authenticate(UpgradeRequest.builder().requestTarget("/ws")
        .header("Authorization", "Bearer " + "A".repeat(43)).build());
    assertThat(d).isInstanceOfSatisfying(AuthDecision.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo("invalid token claims (x)"));
    FirstMessageResult f = FirstMessageAuthenticator.builder().verifier(verifier).build().authenticate("A".repeat(43));
    assertThat(f).isInstanceOfSatisfying(FirstMessageResult.Rejected.class,
        r -> assertThat(r.reason()).isEqualTo("invalid token claims (x)"));
  }
}
