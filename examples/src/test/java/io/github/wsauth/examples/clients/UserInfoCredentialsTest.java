package io.github.wsauth.examples.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class UserInfoCredentialsTest {

  private static String decodedBasic(UserInfoCredentials c) {
    String header = c.basicAuthorization();
    assertThat(header).startsWith("Basic ");
    return new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
  }

  @Test
  void from_percentEncodedUserAndToken_decodesStrictly() {
    UserInfoCredentials c = UserInfoCredentials.from(
        URI.create("ws://al%20ice:t%3Ao%25k+en@localhost:8004/")).orElseThrow();
    assertThat(c.username()).isEqualTo("al ice");
    assertThat(c.password()).isEqualTo("t:o%k+en"); // '+' is a plus in a URI, not a space
    assertThat(decodedBasic(c)).isEqualTo("al ice:t:o%k+en");
  }

  @Test
  void from_utf8User_isDecodedAsUtf8() {
    UserInfoCredentials c = UserInfoCredentials.from(URI.create("ws://%C3%A9lodie:tok@h/")).orElseThrow();
    assertThat(c.username()).isEqualTo("\u00e9lodie");
    assertThat(decodedBasic(c)).isEqualTo("\u00e9lodie:tok");
  }

  @Test
  void from_noUserInfo_isEmpty() {
    assertThat(UserInfoCredentials.from(URI.create("ws://localhost:8004/"))).isEmpty();
  }

  @Test
  void from_badEncoding_isRejected() {
    assertThatThrownBy(() -> UserInfoCredentials.from(URI.create("ws://a%C3:b@h/")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("b@");
    assertThatThrownBy(() -> UserInfoCredentials.percentDecode("a%2"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UserInfoCredentials.percentDecode("a%zz"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UserInfoCredentials.from(URI.create("ws://nopassword@h/")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UserInfoCredentials.from(URI.create("ws://a%3Ab:c@h/")))
        .as("an encoded colon in the user-id").isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withoutUserInfo_keepsEverythingElse() {
    assertThat(UserInfoCredentials.withoutUserInfo(URI.create("ws://u:p@localhost:8004/a%20b?x=1%262")))
        .isEqualTo(URI.create("ws://localhost:8004/a%20b?x=1%262"));
    assertThat(UserInfoCredentials.withoutUserInfo(URI.create("ws://u:p@localhost")))
        .isEqualTo(URI.create("ws://localhost/"));
  }

  @Test
  void withUserInfo_roundTrips() {
    URI uri = BasicUserInfoClient.withUserInfo(URI.create("ws://localhost:8004/"), "al ice+\u00e9:", "a.b-c_d");
    assertThat(uri.getRawUserInfo()).isEqualTo("al%20ice%2B%C3%A9%3A:a.b-c_d");
    assertThatThrownBy(() -> UserInfoCredentials.from(uri)).isInstanceOf(IllegalArgumentException.class);
    URI ok = BasicUserInfoClient.withUserInfo(URI.create("ws://localhost:8004/"), "al ice+\u00e9", "a.b-c_d");
    UserInfoCredentials c = UserInfoCredentials.from(ok).orElseThrow();
    assertThat(c.username()).isEqualTo("al ice+\u00e9");
    assertThat(c.password()).isEqualTo("a.b-c_d");
  }

  @Test
  void toString_hidesThePassword() {
    assertThat(new UserInfoCredentials("alice", "s3cret").toString()).doesNotContain("s3cret").contains("alice");
    assertThat(new TokenClient.Token("s3cret", 30).toString()).doesNotContain("s3cret");
  }
}
