package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.wsauth.internal.StrictJsonReader.MalformedJsonException;

/**
 * {@link StrictJsonReader} over the JSONTestSuite parsing cases (copied with their licence under
 * {@code src/test/resources/JSONTestSuite}). Each file is bytes, read with {@link StrictJsonReader#read(ByteBuffer)}
 * under the default caps, so invalid UTF-8 is refused before parsing.
 */
class JsonTestSuiteTest {
  private static final String ACCEPTED = "accepted";

  /** {@code y_} files the reader refuses on purpose, with the reason it gives. */
  private static final Map<String, String> Y_REFUSED = Map.of(
      // RFC 8259 §4 only says names SHOULD be unique; we refuse duplicates, as parsers disagree on which one wins.
      "y_object_duplicated_key.json", "duplicate key",
      "y_object_duplicated_key_and_value.json", "duplicate key");

  /** What the reader does with every {@code i_} file (implementation-defined in RFC 8259): accepted, or why not. */
  private static final Map<String, String> I_BEHAVIOUR = Map.ofEntries(
      // Numbers beyond double's range or precision: kept exactly as BigDecimal, since we never round.
      Map.entry("i_number_double_huge_neg_exp.json", ACCEPTED),
      Map.entry("i_number_neg_int_huge_exp.json", ACCEPTED),
      Map.entry("i_number_pos_double_huge_exp.json", ACCEPTED),
      Map.entry("i_number_real_neg_overflow.json", ACCEPTED),
      Map.entry("i_number_real_pos_overflow.json", ACCEPTED),
      Map.entry("i_number_real_underflow.json", ACCEPTED),
      Map.entry("i_number_too_big_neg_int.json", ACCEPTED),
      Map.entry("i_number_too_big_pos_int.json", ACCEPTED),
      Map.entry("i_number_very_big_negative_int.json", ACCEPTED),
      // An exponent that does not fit BigDecimal's int scale.
      Map.entry("i_number_huge_exp.json", "number out of range"),
      // Escapes that are half a surrogate pair, or a pair in the wrong order: no character, refused.
      Map.entry("i_object_key_lone_2nd_surrogate.json", "unpaired surrogate"),
      Map.entry("i_string_1st_surrogate_but_2nd_missing.json", "unpaired surrogate"),
      Map.entry("i_string_1st_valid_surrogate_2nd_invalid.json", "unpaired surrogate"),
      Map.entry("i_string_incomplete_surrogate_and_escape_valid.json", "unpaired surrogate"),
      Map.entry("i_string_incomplete_surrogate_pair.json", "unpaired surrogate"),
      Map.entry("i_string_incomplete_surrogates_escape_valid.json", "unpaired surrogate"),
      Map.entry("i_string_invalid_lonely_surrogate.json", "unpaired surrogate"),
      Map.entry("i_string_invalid_surrogate.json", "unpaired surrogate"),
      Map.entry("i_string_inverted_surrogates_U+1D11E.json", "unpaired surrogate"),
      Map.entry("i_string_lone_second_surrogate.json", "unpaired surrogate"),
      // Not UTF-8 (RFC 8259 §8.1: JSON exchanged between systems MUST be UTF-8): refused before parsing.
      Map.entry("i_string_UTF-16LE_with_BOM.json", "invalid UTF-8"),
      Map.entry("i_string_UTF-8_invalid_sequence.json", "invalid UTF-8"),
      Map.entry("i_string_UTF8_surrogate_U+D800.json", "invalid UTF-8"),
      Map.entry("i_string_invalid_utf-8.json", "invalid UTF-8"),
      Map.entry("i_string_iso_latin_1.json", "invalid UTF-8"),
      Map.entry("i_string_lone_utf8_continuation_byte.json", "invalid UTF-8"),
      Map.entry("i_string_not_in_unicode_range.json", "invalid UTF-8"),
      Map.entry("i_string_overlong_sequence_2_bytes.json", "invalid UTF-8"),
      Map.entry("i_string_overlong_sequence_6_bytes.json", "invalid UTF-8"),
      Map.entry("i_string_overlong_sequence_6_bytes_null.json", "invalid UTF-8"),
      Map.entry("i_string_truncated-utf-8.json", "invalid UTF-8"),
      Map.entry("i_string_utf16BE_no_BOM.json", "invalid UTF-8"),
      Map.entry("i_string_utf16LE_no_BOM.json", "invalid UTF-8"),
      // Deeper than the default cap of 64.
      Map.entry("i_structure_500_nested_arrays.json", "nesting too deep"),
      // RFC 8259 §8.1: a parser MAY ignore a byte order mark; a strict one treats it as the non-whitespace it is.
      Map.entry("i_structure_UTF-8_BOM_empty_object.json", "expected a value"));

  /** Every reason the reader gives, so that no message can carry input. */
  private static final Set<String> REASONS = Set.of("input too long", "invalid UTF-8", "nesting too deep",
      "duplicate key", "unpaired surrogate", "control character in string", "invalid escape", "invalid number",
      "number too long", "number out of range", "invalid literal", "expected a value", "expected a string key",
      "expected ':'", "expected ',' or '}'", "expected ',' or ']'", "unexpected end of input", "trailing data");

  private static Path suite() {
    URL url = JsonTestSuiteTest.class.getResource("/JSONTestSuite/test_parsing");
    assertThat(url).as("JSONTestSuite cases on the test class path").isNotNull();
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> files(String prefix) {
    try (Stream<Path> files = Files.list(suite())) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix) && n.endsWith(".json"))
          .sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code "accepted"}, or the refusal's reason (after checking its message is a fixed reason and an offset). */
  private static String outcome(String file) throws IOException {
    byte[] bytes = Files.readAllBytes(suite().resolve(file));
    try {
      StrictJsonReader.defaults().read(ByteBuffer.wrap(bytes));
      return ACCEPTED;
    } catch (MalformedJsonException e) {
      assertThat(e.reason()).as(file).isIn(REASONS);
      assertThat(e.getMessage()).as(file).isEqualTo(e.reason() + " at offset " + e.offset());
      return e.reason();
    }
  }

  static List<String> yFiles() {
    return files("y_");
  }

  static List<String> nFiles() {
    return files("n_");
  }

  static List<String> iFiles() {
    return files("i_");
  }

  @Test
  void suite_isComplete() {
    assertThat(yFiles()).hasSize(95);
    assertThat(nFiles()).hasSize(188);
    assertThat(iFiles()).hasSize(35);
    assertThat(suite().resolveSibling("LICENSE")).exists();
    assertThat(I_BEHAVIOUR.keySet()).containsExactlyInAnyOrderElementsOf(iFiles());
    assertThat(yFiles()).containsAll(Y_REFUSED.keySet());
  }

  @ParameterizedTest
  @MethodSource("yFiles")
  void y_isAccepted_exceptOurDocumentedRefusals(String file) throws IOException {
    assertThat(outcome(file)).as(file).isEqualTo(Y_REFUSED.getOrDefault(file, ACCEPTED));
  }

  @ParameterizedTest
  @MethodSource("nFiles")
  void n_isRefused(String file) throws IOException {
    assertThat(outcome(file)).as(file).isNotEqualTo(ACCEPTED);
  }

  @ParameterizedTest
  @MethodSource("iFiles")
  void i_hasItsDocumentedBehaviour(String file) throws IOException {
    assertThat(outcome(file)).as(file).isEqualTo(I_BEHAVIOUR.get(file));
  }

  @Test
  void n_largeAndDeepFiles_areRefusedQuickly() throws IOException {
    Map<String, String> reasons = new TreeMap<>();
    long start = System.nanoTime();
    for (String file : List.of("n_structure_100000_opening_arrays.json", "n_structure_open_array_object.json")) {
      reasons.put(file, outcome(file));
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(reasons).containsOnly(Map.entry("n_structure_100000_opening_arrays.json", "nesting too deep"),
        Map.entry("n_structure_open_array_object.json", "nesting too deep"));
    if (millis > 5_000) {
      fail("two deep files took " + millis + " ms");
    }
  }
}
