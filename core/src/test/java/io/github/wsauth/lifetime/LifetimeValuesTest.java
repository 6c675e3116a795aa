package io.github.wsauth.lifetime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.wsauth.Identity;
import io.github.wsauth.Verification;
import io.github.wsauth.TokenVerifier;
import io.github.wsauth.internal.Subjects;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The lifetime settings' and revocation values' limits, each at its edge, and the in-process bus after close. */
class LifetimeValuesTest {

  @Test
  void rejectedCloseCode_is1008OrAnApplicationCode() {
    for (int ok : new int[] {1008, 3000, 4999}) {
      assertThat(ConnectionLifetime.builder().rejectedCloseCode(ok).build().rejectedCloseCode()).isEqualTo(ok);
    }
    for (int bad : new int[] {1000, 1007, 1009, 1011, 2999, 5000}) {
      assertThatThrownBy(() -> ConnectionLifetime.builder().rejectedCloseCode(bad)).as("%d", bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessage("close code must be 1008 or 3000-4999: " + bad);
    }
  }

  @Test
  void unavailableCloseCode_is1011OrAnApplicationCode() {
    assertThat(ConnectionLifetime.builder().build().unavailableCloseCode()).isEqualTo(1011);
    for (int ok : new int[] {1011, 3000, 4999}) {
      assertThat(ConnectionLifetime.builder().unavailableCloseCode(ok).build().unavailableCloseCode()).isEqualTo(ok);
    }
    for (int bad : new int[] {1008, 1010, 1012, 2999, 5000}) {
      assertThatThrownBy(() -> ConnectionLifetime.builder().unavailableCloseCode(bad)).as("%d", bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessage("close code must be 1011 or 3000-4999: " + bad);
    }
  }

  @Test
  void expiryWarning_isPositive() {
    assertThat(ConnectionLifetime.builder().expiryWarning(Duration.ofNanos(1)).build().expiryWarning())
        .contains(Duration.ofNanos(1));
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofNanos(-1)}) {
      assertThatThrownBy(() -> ConnectionLifetime.builder().expiryWarning(bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessage("expiry warning must be positive");
    }
  }

  @Test
  void reauthenticationVerifier_isKept_andTheSettingsShowInToString() {
    TokenVerifier verifier = token -> Verification.rejected(io.github.wsauth.RejectionReason.MALFORMED);
    ConnectionLifetime lifetime = ConnectionLifetime.builder().reauthenticationVerifier(verifier)
        .registry(new ConnectionRegistry()).inBandMessages(false).build();
    assertThat(lifetime.reauthenticationVerifier()).containsSame(verifier);
    assertThat(ConnectionLifetime.builder().build().reauthenticationVerifier()).isEmpty();
    assertThat(lifetime.toString()).startsWith("ConnectionLifetime[registry=true, inBandMessages=false");
    assertThat(ConnectionLifetime.builder().build().toString()).startsWith("ConnectionLifetime[registry=false");
  }

  @Test
  void revocationIds_areOneTo255Characters() {
    assertThat(Revocation.subject("a").id()).isEqualTo("a");
    assertThat(Revocation.token("t".repeat(255)).id()).hasSize(255);
    assertThatThrownBy(() -> Revocation.token("t".repeat(256))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be 1 to 255 characters");
    assertThatThrownBy(() -> Revocation.token("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("id must be 1 to 255 characters");
    assertThatThrownBy(() -> Revocation.subject("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subject must be 1 to 256 characters");
    assertThat(Revocation.subject("alice").toString()).isEqualTo("Revocation[SUBJECT]").doesNotContain("alice");
  }

  @Test
  void revocationSubjects_areWhatTheIssuersAccept_oneTo256Characters() {
    String longest = "s".repeat(256);
    Subjects.validate(longest, Map.of()); // an issuer accepts it ...
    assertThat(Revocation.subject(longest).id()).isEqualTo(longest); // ... so it can be revoked
    assertThat(Revocation.MAX_SUBJECT_LENGTH).isEqualTo(Subjects.MAX_SUBJECT_LENGTH);
    assertThatThrownBy(() -> Revocation.subject(longest + "s")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("subject must be 1 to 256 characters");
    assertThatThrownBy(() -> Subjects.validate(longest + "s", Map.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void identityTokenIds_areOneTo255Characters() {
    Identity id = Identity.of("alice", Map.of(), Instant.EPOCH);
    assertThat(id.withTokenId("t".repeat(255)).tokenId()).contains("t".repeat(255));
    assertThatThrownBy(() -> id.withTokenId("t".repeat(256))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tokenId must be 1 to 255 characters");
    assertThatThrownBy(() -> id.withTokenId("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void inProcessBus_afterClose_refusesToPublish() throws Exception {
    RevocationBus bus = RevocationBus.inProcess();
    List<Revocation> heard = new ArrayList<>();
    bus.subscribe(heard::add);
    bus.publish(Revocation.subject("alice"));
    bus.close();
    assertThatThrownBy(() -> bus.publish(Revocation.subject("bob"))).isInstanceOf(IllegalStateException.class)
        .hasMessage("revocation bus is closed");
    assertThat(heard).containsExactly(Revocation.subject("alice"));
  }
}
