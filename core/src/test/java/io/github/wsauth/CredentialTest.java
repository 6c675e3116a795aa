package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CredentialTest {

  @Test
  void token_toStringRedacts() {
    Credential.Token t = Credential.token("SENTINEL", CredentialSource.COOKIE);
    assertThat(t.toString()).isEqualTo("Token[source=COOKIE, value=<redacted 8 chars>]").doesNotContain("SENTINEL");
    assertThat(t.secret()).isEqualTo("SENTINEL");
  }

  @Test
  void usernamePassword_toStringRedactsPassword() {
    Credential.UsernamePassword up = Credential.usernamePassword("alice", "SENTINEL");
    assertThat(up.toString()).isEqualTo("UsernamePassword[username=alice, password=<redacted>]");
    assertThat(up.secret()).isEqualTo("SENTINEL");
    assertThat(up.source()).isEqualTo(CredentialSource.AUTHORIZATION_BASIC);
  }

  @Test
  void token_equalsComparesValueAndSource() {
    Credential a = Credential.token("abc", CredentialSource.QUERY_PARAMETER);
    assertThat(a).isEqualTo(Credential.token("abc", CredentialSource.QUERY_PARAMETER))
        .hasSameHashCodeAs(Credential.token("xyz", CredentialSource.QUERY_PARAMETER))
        .isNotEqualTo(Credential.token("abd", CredentialSource.QUERY_PARAMETER))
        .isNotEqualTo(Credential.token("abc", CredentialSource.COOKIE))
        .isNotEqualTo(Credential.token("abcd", CredentialSource.QUERY_PARAMETER))
        .isNotEqualTo(Credential.usernamePassword("u", "abc"));
  }

  @Test
  void usernamePassword_equalsComparesBoth() {
    Credential a = Credential.usernamePassword("alice", "pw");
    assertThat(a).isEqualTo(Credential.usernamePassword("alice", "pw"))
        .isNotEqualTo(Credential.usernamePassword("bob", "pw"))
        .isNotEqualTo(Credential.usernamePassword("alice", "pw2"));
  }

  @Test
  void sameSecretAs_acrossKinds() {
    Credential basic = Credential.usernamePassword("alice", "tok");
    Credential bearer = Credential.token("tok", CredentialSource.AUTHORIZATION_BEARER);
    Credential query = Credential.token("tok", CredentialSource.QUERY_PARAMETER);
    assertThat(bearer.sameSecretAs(query)).isTrue();
    assertThat(basic.sameSecretAs(bearer)).isTrue();
    assertThat(bearer.sameSecretAs(basic)).isTrue();
    assertThat(basic.sameSecretAs(Credential.usernamePassword("bob", "tok"))).isFalse();
    assertThat(bearer.sameSecretAs(Credential.token("tok2", CredentialSource.COOKIE))).isFalse();
  }

  @Test
  void validation() {
    assertThatThrownBy(() -> Credential.token("", CredentialSource.COOKIE)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must not be empty");
    assertThatThrownBy(() -> Credential.token(null, CredentialSource.COOKIE)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Credential.token("a", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Credential.usernamePassword("alice", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Credential.usernamePassword("al:ice", "pw"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colon");
    assertThatThrownBy(() -> Credential.usernamePassword(":alice", "pw"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colon");
    assertThatThrownBy(() -> Credential.usernamePassword(null, "pw")).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Credential.usernamePassword("alice", null)).isInstanceOf(NullPointerException.class);
    assertThat(Credential.usernamePassword("", "pw").username()).isEmpty();
  }

  @Test
  void usernamePassword_controlCharacterInUsername_isRejected() {
    // The username shows in toString(): a CR/LF there would let a client forge log lines.
    assertThatThrownBy(() -> Credential.usernamePassword("alice\r\nINFO forged", "pw"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control");
    assertThatThrownBy(() -> Credential.usernamePassword("a\u0000", "pw"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A hash code is never derived from the secret: equal for every secret of one source or username. */
  @Test
  void hashCode_comesFromTheSourceOrUsernameNeverTheSecret() {
    assertThat(Credential.token("secret-1", CredentialSource.COOKIE).hashCode())
        .isEqualTo(Credential.token("secret-2", CredentialSource.COOKIE).hashCode())
        .isEqualTo(CredentialSource.COOKIE.hashCode());
    assertThat(Credential.usernamePassword("alice", "pw-1").hashCode())
        .isEqualTo(Credential.usernamePassword("alice", "pw-2").hashCode())
        .isEqualTo("alice".hashCode());
  }
}
