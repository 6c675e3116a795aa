package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialExtractorTest {

  @Test
  void constants_areTheDocumentedDefaults() {
    assertThat(CredentialExtractor.MAX_CREDENTIAL_LENGTH).isEqualTo(4096);
    assertThat(CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX).isEqualTo("authorization.bearer.");
  }

  @Test
  void sources_defaultForCustomExtractorIsEmpty() {
    CredentialExtractor custom = request -> Extraction.absent();
    assertThat(custom.sources()).isEmpty();
  }

  @Test
  void sources_ofEachStockExtractor() {
    assertThat(CredentialExtractor.bearerHeader().sources()).containsExactly(CredentialSource.AUTHORIZATION_BEARER);
    assertThat(CredentialExtractor.basicHeader().sources()).containsExactly(CredentialSource.AUTHORIZATION_BASIC);
    assertThat(CredentialExtractor.queryParameter("t").sources()).containsExactly(CredentialSource.QUERY_PARAMETER);
    assertThat(CredentialExtractor.cookie("t").sources()).containsExactly(CredentialSource.COOKIE);
    assertThat(CredentialExtractor.subprotocol().sources()).containsExactly(CredentialSource.SUBPROTOCOL);
  }

  @Test
  void extract_emptyRequest_isAbsentForEveryStockExtractor() {
    UpgradeRequest empty = UpgradeRequest.builder().build();
    assertThat(CredentialExtractor.bearerHeader().extract(empty)).isSameAs(Extraction.absent());
    assertThat(CredentialExtractor.basicHeader().extract(empty)).isSameAs(Extraction.absent());
    assertThat(CredentialExtractor.queryParameter("t").extract(empty)).isSameAs(Extraction.absent());
    assertThat(CredentialExtractor.cookie("t").extract(empty)).isSameAs(Extraction.absent());
    assertThat(CredentialExtractor.subprotocol().extract(empty)).isSameAs(Extraction.absent());
  }
  @Test
  void extraction_presentCredential_onlyForAPresentOne() {
    assertThat(Extraction.absent().presentCredential()).isEmpty();
    assertThat(Extraction.absent()).hasToString("Absent");
    assertThat(Extraction.malformed(CredentialSource.COOKIE, "bad").presentCredential()).isEmpty();
    Extraction present = CredentialExtractor.bearerHeader().extract(UpgradeRequest.builder()
        .header("Authorization", "Bearer abc").build());
    assertThat(present.presentCredential()).hasValueSatisfying(c -> assertThat(c.source())
        .isEqualTo(CredentialSource.AUTHORIZATION_BEARER));
  }
}
