package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class FirstOfExtractorTest {
  private static final String P = CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX;
  private static final CredentialExtractor ALL = CredentialExtractor.firstOf(
      CredentialExtractor.bearerHeader(),
      CredentialExtractor.basicHeader(),
      CredentialExtractor.queryParameter("token"),
      CredentialExtractor.cookie("ws_token"),
      CredentialExtractor.subprotocol());

  @Test
  void extract_oneCredential_isPresentFromItsSource() {
    Extraction e = ALL.extract(UpgradeRequest.builder().requestTarget("/ws?token=abc").build());
    assertThat(((Extraction.Present) e).credential().source()).isEqualTo(CredentialSource.QUERY_PARAMETER);
  }

  @Test
  void extract_twoDifferentCredentials_isMalformed() {
    UpgradeRequest r = UpgradeRequest.builder().requestTarget("/ws?token=abc")
        .header("Authorization", "Bearer def").build();
    Extraction e = ALL.extract(r);
    assertThat(e).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).reason()).isEqualTo("more than one credential in the request");
  }

  @Test
  void extract_differentCookieAndSubprotocol_isMalformed() {
    UpgradeRequest r = UpgradeRequest.builder().header("Cookie", "ws_token=abc")
        .header("Sec-WebSocket-Protocol", "chat, " + P + "def").build();
    assertThat(ALL.extract(r)).isInstanceOf(Extraction.Malformed.class);
  }

  @Test
  void extract_sameCredentialInTwoPlaces_isAcceptedOnce() {
    UpgradeRequest r = UpgradeRequest.builder().requestTarget("/ws?token=abc")
        .header("Authorization", "Bearer abc").build();
    Extraction.Present p = (Extraction.Present) ALL.extract(r);
    assertThat(p.credential().secret()).isEqualTo("abc");
    assertThat(p.credential().source()).isEqualTo(CredentialSource.AUTHORIZATION_BEARER);
  }

  @Test
  void extract_sameTokenInHeaderAndSubprotocol_keepsTokenEntryOutOfSelectableList() {
    UpgradeRequest r = UpgradeRequest.builder().header("Authorization", "Bearer abc")
        .header("Sec-WebSocket-Protocol", "chat, " + P + "abc").build();
    Extraction.Present p = (Extraction.Present) ALL.extract(r);
    assertThat(p.credential().source()).isEqualTo(CredentialSource.AUTHORIZATION_BEARER);
    assertThat(p.applicationSubprotocols()).containsExactly("chat");
  }

  @Test
  void extract_malformedPlusGood_isMalformed() {
    UpgradeRequest r = UpgradeRequest.builder().requestTarget("/ws?token=a%ZZ")
        .header("Authorization", "Bearer abc").build();
    Extraction e = ALL.extract(r);
    assertThat(e).isInstanceOf(Extraction.Malformed.class);
    assertThat(((Extraction.Malformed) e).source()).isEqualTo(CredentialSource.QUERY_PARAMETER);

    UpgradeRequest goodFirst = UpgradeRequest.builder().requestTarget("/ws?token=abc")
        .header("Sec-WebSocket-Protocol", P + "a=b").build();
    assertThat(ALL.extract(goodFirst)).isInstanceOf(Extraction.Malformed.class);
  }

  @Test
  void extract_basicAndBearerWithSameSecret_isAccepted() {
    String basic = "Basic " + Base64.getEncoder().encodeToString("alice:abc".getBytes(StandardCharsets.UTF_8));
    UpgradeRequest r = UpgradeRequest.builder().requestTarget("/ws?token=abc").header("Authorization", basic).build();
    Extraction.Present p = (Extraction.Present) ALL.extract(r);
    assertThat(p.credential()).isInstanceOf(Credential.UsernamePassword.class);
  }

  @Test
  void extract_nothing_isAbsent() {
    assertThat(ALL.extract(UpgradeRequest.builder().requestTarget("/ws?x=1").build())).isSameAs(Extraction.absent());
  }

  @Test
  void sources_isTheUnionOfAll() {
    assertThat(ALL.sources()).containsExactlyInAnyOrder(CredentialSource.AUTHORIZATION_BEARER,
        CredentialSource.AUTHORIZATION_BASIC, CredentialSource.QUERY_PARAMETER, CredentialSource.COOKIE,
        CredentialSource.SUBPROTOCOL);
    assertThat(CredentialExtractor.firstOf(CredentialExtractor.cookie("a"), CredentialExtractor.cookie("b")).sources())
        .containsExactly(CredentialSource.COOKIE);
  }

  @Test
  void factory_rejectsNoExtractorsOrNull() {
    assertThatThrownBy(CredentialExtractor::firstOf).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CredentialExtractor.firstOf(CredentialExtractor.bearerHeader(), null))
        .isInstanceOf(NullPointerException.class);
  }
}
