package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubprotocolsTest {
  private static final String PREFIX = "authorization.bearer.";

  @Test
  void withoutTokenEntries_dropsTokenBlankAndNullEntries_trimsTheRest_inOrder() {
    List<String> offered = Arrays.asList(" chat ", PREFIX + "secret", "", "  ", null, "v2", " " + PREFIX + "x");
    assertThat(Subprotocols.withoutTokenEntries(offered, List.of(PREFIX))).containsExactly("chat", "v2");
    assertThat(Subprotocols.withoutTokenEntries(null, List.of(PREFIX))).isEmpty();
    assertThat(Subprotocols.withoutTokenEntries(List.of(), List.of(PREFIX))).isEmpty();
    assertThat(Subprotocols.withoutTokenEntries(List.of("authorization.basic.x"), List.of(PREFIX)))
        .as("only the configured prefix marks a token entry").containsExactly("authorization.basic.x");
    assertThat(Subprotocols.withoutTokenEntries(List.of("a.x", "chat", "b.y", "ab"), List.of("a.", "b.")))
        .as("every prefix marks a token entry").containsExactly("chat", "ab");
    assertThat(Subprotocols.withoutTokenEntries(List.of("chat"), List.of())).containsExactly("chat");
  }

  @Test
  void select_isTheServersFirstPreference_thatTheClientOffered() {
    assertThat(Subprotocols.select(List.of("v2", "chat"), List.of("chat", "v2"))).isEqualTo("v2");
    assertThat(Subprotocols.select(List.of("v3", "chat"), List.of("chat", "v2"))).isEqualTo("chat");
    assertThat(Subprotocols.select(List.of("v3"), List.of("chat"))).isNull();
    assertThat(Subprotocols.select(List.of(), List.of("chat"))).isNull();
    assertThat(Subprotocols.select(List.of("chat"), List.of())).isNull();
  }
}
