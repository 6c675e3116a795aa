package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.wsauth.FirstMessageAuthenticator;
import io.github.wsauth.Identity;
import io.github.wsauth.RejectionReason;
import io.github.wsauth.Verification;
import io.github.wsauth.scenarios.FirstMessageScenarioTable;
import io.github.wsauth.scenarios.FirstMessageScenarioTable.Row;

/**
 * The first-message scenario table ({@code first-message-scenarios.txt}) against the state machine itself, with a
 * fake timer; the adapters run the same table over real sockets.
 */
class FirstMessageScenarioTableTest {
  private static final String TOKEN = "good-token-of-alice-0123456789";

  static List<Row> rows() throws IOException {
    return FirstMessageScenarioTable.rows();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void scenario(Row row) {
    boolean down = row.storeDown();
    FirstMessageAuthenticator auth = FirstMessageAuthenticator.builder()
        .verifier(token -> {
          if (down) {
            throw new IllegalStateException("store down");
          }
          return token.equals(TOKEN)
              ? Verification.verified(Identity.of("alice", Map.of(), Instant.parse("2030-01-01T00:00:00Z")))
              : Verification.rejected(RejectionReason.UNKNOWN);
        })
        .maxMessageBytes(256).deadline(Duration.ofMillis(300)).build();
    List<String> outcome = new ArrayList<>();
    Runnable[] deadline = new Runnable[1];
    FirstMessageSession<String> session = new FirstMessageSession<>(auth, (task, delay) -> {
      deadline[0] = task;
      return () -> deadline[0] = null;
    }, new FirstMessageSession.Transport<>() {
      @Override
      public void accept(Identity identity) {
        outcome.add("accept");
      }

      @Override
      public void deliver(String message) {}

      @Override
      public void discard(String message) {}

      @Override
      public void close(int code, String reason) {
        outcome.add(code + " " + reason);
      }

      @Override
      public void abort() {
        outcome.add("abort");
      }
    });
    boolean pipelined = row.pipelined();
    if (!pipelined) {
      session.start();
    }
    for (String f : row.frames()) {
      int colon = f.indexOf(':');
      String kind = f.substring(0, colon);
      ByteBuffer payload = ByteBuffer.wrap(value(f.substring(colon + 1)).getBytes(StandardCharsets.UTF_8));
      boolean fin = !kind.endsWith("-part");
      if (kind.startsWith("text")) {
        session.textFrame(f, payload, fin);
      } else if (kind.startsWith("cont")) {
        session.continuationFrame(f, payload, fin);
      } else {
        session.binaryFrame(f);
      }
    }
    if (pipelined) {
      session.start();
    }
    if (outcome.isEmpty() && deadline[0] != null) {
      deadline[0].run();
    }
    assertThat(outcome).containsExactly(row.expected());
  }

  private static String value(String spec) {
    if (spec.equals("TOKEN")) {
      return TOKEN;
    }
    if (spec.startsWith("TOKEN[")) {
      String[] range = spec.substring(6, spec.length() - 1).split(":", -1);
      return TOKEN.substring(Integer.parseInt(range[0]), range[1].isEmpty() ? TOKEN.length()
          : Integer.parseInt(range[1]));
    }
    if (spec.equals("UNKNOWN")) {
      return "unknown-but-well-formed";
    }
    if (spec.startsWith("A*")) {
      return "a".repeat(Integer.parseInt(spec.substring(2)));
    }
    if (spec.startsWith("E*")) {
      return "\u00e9".repeat(Integer.parseInt(spec.substring(2)));
    }
    return spec;
  }
}
