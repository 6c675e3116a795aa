package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The issuers' checks of a subject and its attributes, each at its edge, with the message that names it. */
class SubjectsTest {
  private static final Map<String, String> NONE = Map.of();

  @Test
  void subject_atMostMaxLength() {
    assertThatCode(() -> Subjects.validate("a".repeat(Subjects.MAX_SUBJECT_LENGTH), NONE))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> Subjects.validate("a".repeat(Subjects.MAX_SUBJECT_LENGTH + 1), NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("subject must not be longer than 256 characters");
    assertThatThrownBy(() -> Subjects.validate("", NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("subject must not be empty");
  }

  @Test
  void subject_controlCharacters_C0DelAndC1() {
    for (char c : new char[] {0x00, 0x1f, 0x7f, 0x80, 0x9f}) {
      assertThatThrownBy(() -> Subjects.validate("al" + c + "ice", NONE)).as("U+%04X", (int) c)
          .isInstanceOf(IllegalArgumentException.class).hasMessage("subject must not contain control characters");
    }
    for (char c : new char[] {0x20, 0x7e, 0xa0}) {
      assertThatCode(() -> Subjects.validate("al" + c + "ice", NONE)).as("U+%04X", (int) c)
          .doesNotThrowAnyException();
    }
  }

  @Test
  void subject_unpairedSurrogate() {
    assertThatCode(() -> Subjects.validate("a\uD834\uDD1E", NONE)).doesNotThrowAnyException();
    for (String s : new String[] {"a\uD834", "\uDD1Ea", "\uDD1E\uD834", "\uD834\uD834"}) {
      assertThatThrownBy(() -> Subjects.validate(s, NONE)).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("subject must not contain unpaired surrogates");
    }
  }

  @Test
  void attributeNamesAndValues_atMostMaxLength() {
    String longest = "k".repeat(Subjects.MAX_ATTRIBUTE_LENGTH);
    assertThatCode(() -> Subjects.validate("alice", Map.of(longest, longest))).doesNotThrowAnyException();
    assertThatCode(() -> Subjects.validate("alice", Map.of("k", ""))).doesNotThrowAnyException();
    String message = "attribute names must be 1 to 1024 characters and values at most 1024";
    assertThatThrownBy(() -> Subjects.validate("alice", Map.of(longest + "k", "v")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    assertThatThrownBy(() -> Subjects.validate("alice", Map.of("k", longest + "v")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    assertThatThrownBy(() -> Subjects.validate("alice", Map.of("", "v")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void attributes_atMostMaxAttributes() {
    Map<String, String> most = new HashMap<>();
    for (int i = 0; i < Subjects.MAX_ATTRIBUTES; i++) {
      most.put("k" + i, "v");
    }
    assertThatCode(() -> Subjects.validate("alice", most)).doesNotThrowAnyException();
    most.put("one-more", "v");
    assertThatThrownBy(() -> Subjects.validate("alice", most)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("at most 32 attributes are allowed");
  }
}
