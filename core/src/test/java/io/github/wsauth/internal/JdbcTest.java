package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JdbcTest {

  @Test
  void validateTable_plainOrSchemaQualifiedIdentifiers_upTo48Characters() {
    assertThat(Jdbc.validateTable("wsauth_tokens", "auth.x")).isEqualTo("wsauth_tokens");
    assertThat(Jdbc.validateTable("auth._T1", "auth.x")).isEqualTo("auth._T1");
    assertThat(Jdbc.validateTable("a".repeat(48), "auth.x")).hasSize(48);
  }

  @Test
  void validateTable_refusesWhatCouldNotBeWrittenIntoSqlUnquoted_namingTheExample() {
    for (String bad : new String[] {"", "1abc", "a-b", "a;drop", "a.b.c", "a.", ".a", "a".repeat(49), "t\u00e9"}) {
      assertThatThrownBy(() -> Jdbc.validateTable(bad, "auth.wsauth_revocations"))
          .as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("table must be an identifier of letters, digits and '_' (at most 48, not starting with a "
              + "digit), optionally qualified by a schema like 'auth.wsauth_revocations'");
    }
    assertThatThrownBy(() -> Jdbc.validateTable(null, "x")).isInstanceOf(NullPointerException.class)
        .hasMessage("table must not be null");
  }
}
