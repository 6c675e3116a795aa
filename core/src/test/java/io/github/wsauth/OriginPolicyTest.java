package io.github.wsauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
  private final OriginPolicy policy = OriginPolicy.allowOnly("https://app.example", "http://localhost:8080");

  @Test
  void allowOnly_noOrigin_isRefused() {
    assertThatThrownBy(() -> OriginPolicy.allowOnly()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("allowOnly needs at least one origin");
    assertThat(OriginPolicy.allowOnly("https://app.example").allowsAnyOrigin()).isFalse();
  }

  private boolean allows(OriginPolicy p, String... origins) {
    UpgradeRequest.Builder b = UpgradeRequest.builder();
    for (String o : origins) {
      b.header("Origin", o);
    }
    return p.allows(b.build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://app.example", "HTTPS://APP.EXAMPLE", "https://App.Example:443",
      "http://localhost:8080", "http://LOCALHOST:8080"})
  void allows_exactMatchIgnoringCaseAndDefaultPort(String origin) {
    assertThat(allows(policy, origin)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://evil.example", "http://app.example", "https://app.example:8443",
      "https://app.example.evil.example", "https://sub.app.example", "http://localhost", "http://localhost:80",
      "http://localhost:8081", "https://localhost:8080", "https://app.example/", "https://app.example/path",
      "https://user@app.example", "https://app.example?x=1", "https://app.example#f", "app.example", "null",
      "NULL", "", " https://app.example", "https://app.example\n", "file://", "https://app.example:abc",
      "https://app.example:0", "http://localhost:0"})
  void allows_anythingElse_isRejected(String origin) {
    assertThat(allows(policy, origin)).isFalse();
  }

  @Test
  void allows_defaultPortsNormalisedInAllowList() {
    OriginPolicy p = OriginPolicy.allowOnly("https://app.example:443", "http://web.example:80");
    assertThat(allows(p, "https://app.example")).isTrue();
    assertThat(allows(p, "http://web.example")).isTrue();
    assertThat(allows(p, "http://web.example:443")).isFalse();
  }

  @Test
  void allows_nullOriginOnlyWhenAllowed() {
    OriginPolicy p = OriginPolicy.builder().allow("https://app.example").allowNullOrigin().build();
    assertThat(allows(p, "null")).isTrue();
    assertThat(allows(policy, "null")).isFalse();
  }

  @Test
  void allows_missingOrigin_unlessRequired() {
    assertThat(allows(policy)).isTrue();
    OriginPolicy strict = OriginPolicy.builder().allow("https://app.example").requireOrigin().build();
    assertThat(allows(strict)).isFalse();
    assertThat(allows(strict, "https://app.example")).isTrue();
  }

  @Test
  void allows_severalOriginValues_isRejectedEvenForAny() {
    assertThat(allows(policy, "https://app.example", "https://app.example")).isFalse();
    assertThat(allows(OriginPolicy.anyOrigin(), "https://a.example", "https://b.example")).isFalse();
    assertThat(policy.allows(List.of("https://app.example", "https://evil.example"))).isFalse();
  }

  @Test
  void anyOrigin_allowsEverySingleOrNoOrigin() {
    OriginPolicy any = OriginPolicy.anyOrigin();
    assertThat(any.allowsAnyOrigin()).isTrue();
    assertThat(allows(any, "https://evil.example")).isTrue();
    assertThat(allows(any, "null")).isTrue();
    assertThat(allows(any)).isTrue();
    assertThat(policy.allowsAnyOrigin()).isFalse();
    assertThat(OriginPolicy.builder().build().allowsAnyOrigin()).isFalse();
  }

  @Test
  void emptyAllowList_rejectsEveryOrigin() {
    assertThat(allows(OriginPolicy.builder().build(), "https://app.example")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"app.example", "https://app.example/", "https://app.example/x", "https://u:p@app.example",
      "https://app.example?q", "https://app.example#f", "null", "", "https://", "https://app example", "*"})
  void builder_rejectsInvalidAllowListEntries(String origin) {
    assertThatThrownBy(() -> OriginPolicy.builder().allow(origin)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a serialised origin");
  }

  @Test
  void builder_rejectsNull() {
    assertThatThrownBy(() -> OriginPolicy.builder().allow(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toString_listsNormalisedOrigins() {
    assertThat(OriginPolicy.allowOnly("HTTPS://App.Example:443").toString()).contains("https://app.example");
    assertThat(OriginPolicy.anyOrigin().toString()).isEqualTo("OriginPolicy[any]");
  }

  /** Port 0 is a port like any other: never the default one (issue 13, item 12). */
  @Test
  void normalize_portZero_isKept() {
    assertThat(OriginPolicy.normalize("https://app.example:0")).isEqualTo("https://app.example:0");
    assertThat(OriginPolicy.normalize("https://app.example:443")).isEqualTo("https://app.example");
    assertThat(OriginPolicy.normalize("wss://app.example:443")).isEqualTo("wss://app.example");
    assertThat(OriginPolicy.normalize("ws://app.example:80")).isEqualTo("ws://app.example");
    assertThat(OriginPolicy.normalize("foo://app.example:1")).isEqualTo("foo://app.example:1");
    assertThat(OriginPolicy.normalize("foo://app.example:0")).as("a scheme without a default port")
        .isEqualTo("foo://app.example:0");
  }

  @Test
  void normalize_lengthCapIs2048() {
    String host2040 = ("a".repeat(9) + ".").repeat(203) + "a".repeat(10);
    String at = "https://" + host2040;
    assertThat(at).hasSize(2048);
    assertThat(OriginPolicy.normalize(at)).isEqualTo(at);
    assertThat(OriginPolicy.normalize(at + "a")).isNull();
  }

  @Test
  void toString_showsEveryOption() {
    assertThat(OriginPolicy.allowOnly("https://app.example").toString()).isEqualTo("OriginPolicy[https://app.example]");
    assertThat(OriginPolicy.builder().allow("https://app.example").allowNullOrigin().requireOrigin().build().toString())
        .isEqualTo("OriginPolicy[https://app.example]+null, origin required");
  }
}
