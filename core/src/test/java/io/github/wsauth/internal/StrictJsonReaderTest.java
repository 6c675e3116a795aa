package io.github.wsauth.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.wsauth.internal.StrictJsonReader.MalformedJsonException;

class StrictJsonReaderTest {
  private static final StrictJsonReader JSON = StrictJsonReader.defaults();

  private static Object read(String text) throws MalformedJsonException {
    return JSON.read(text);
  }

  /** The refusal of {@code text} by {@code reader}; fails the test if it is read. */
  private static MalformedJsonException refusal(StrictJsonReader reader, String text) {
    try {
      Object value = reader.read(text);
      throw new AssertionError("read, expected a refusal: " + value);
    } catch (MalformedJsonException e) {
      return e;
    }
  }

  private static String reason(String text) {
    return refusal(JSON, text).reason();
  }

  private static String reasonOfBytes(StrictJsonReader reader, byte[] bytes) {
    try {
      Object value = reader.read(ByteBuffer.wrap(bytes));
      throw new AssertionError("read, expected a refusal: " + value);
    } catch (MalformedJsonException e) {
      return e.reason();
    }
  }

  // --- values ---

  @Test
  void read_values_haveTheirJavaTypes() throws Exception {
    Object v = read("{\"s\":\"x\",\"i\":-12,\"d\":1.5e2,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,{}],\"o\":{}}");
    assertThat(v).isInstanceOf(Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    assertThat(List.copyOf(m.keySet())).containsExactly("s", "i", "d", "t", "f", "n", "a", "o");
    assertThat(m.get("s")).isEqualTo("x");
    assertThat(m.get("i")).isEqualTo(-12L);
    assertThat(m.get("d")).isEqualTo(new BigDecimal("1.5e2"));
    assertThat(m.get("t")).isEqualTo(Boolean.TRUE);
    assertThat(m.get("f")).isEqualTo(Boolean.FALSE);
    assertThat(m.get("n")).isSameAs(StrictJsonReader.NULL);
    assertThat(StrictJsonReader.NULL).hasToString("null");
    assertThat(m.get("a")).isEqualTo(List.of(1L, Map.of()));
    assertThat(m.get("o")).isEqualTo(Map.of());
  }

  @Test
  void read_containers_areUnmodifiable() throws Exception {
    Map<?, ?> m = (Map<?, ?>) read("{\"a\":[1]}");
    assertThatThrownBy(() -> m.clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> ((List<?>) m.get("a")).clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void read_scalarsAtTopLevel_areValues() throws Exception {
    assertThat(read("\"abc\"")).isEqualTo("abc");
    assertThat(read("0")).isEqualTo(0L);
    assertThat(read("null")).isSameAs(StrictJsonReader.NULL);
  }

  @Test
  void readObject_notAnObject_isRefused() throws Exception {
    assertThat(JSON.readObject("{\"token\":\"abc\"}")).containsEntry("token", "abc");
    for (String notObject : List.of("[]", "\"abc\"", "1", "null")) {
      assertThatThrownBy(() -> JSON.readObject(notObject)).isInstanceOf(MalformedJsonException.class)
          .hasMessage("not an object at offset 0");
    }
  }

  // --- duplicate keys ---

  @Test
  void read_duplicateKey_isRefused() throws Exception {
    assertThat(read("{\"a\":1,\"b\":1}")).isEqualTo(Map.of("a", 1L, "b", 1L));
    MalformedJsonException e = refusal(JSON, "{\"a\":1,\"a\":1}");
    assertThat(e.reason()).isEqualTo("duplicate key");
    assertThat(e.offset()).isEqualTo(7);
    assertThat(reason("{\"a\":1,\"b\":{\"c\":1,\"c\":2}}")).isEqualTo("duplicate key");
    assertThat(reason("{\"a\":null,\"a\":null}")).isEqualTo("duplicate key");
  }

  @Test
  void read_duplicateKey_isComparedAfterUnescaping() throws Exception {
    assertThat(read("{\"a\":1,\"\\u0062\":1}")).isEqualTo(Map.of("a", 1L, "b", 1L));
    assertThat(reason("{\"a\":1,\"\\u0061\":1}")).isEqualTo("duplicate key");
  }

  @Test
  void read_sameKeyInSiblingObjects_isNotADuplicate() throws Exception {
    assertThat(read("[{\"a\":1},{\"a\":2}]")).isEqualTo(List.of(Map.of("a", 1L), Map.of("a", 2L)));
  }

  // --- surrogates ---

  @Test
  void read_escapedSurrogatePair_isOneCharacter() throws Exception {
    assertThat(read("\"\\uD834\\uDD1E\"")).isEqualTo("\uD834\uDD1E");
    assertThat(read("\"\\ud834\\udd1e\"")).isEqualTo("\uD834\uDD1E");
  }

  @ParameterizedTest(name = "[{index}]") // raw surrogates and control characters stay out of reports
  @ValueSource(strings = {"\"\\uD800\"", "\"\\uDC00\"", "\"\\uD800\\u0041\"", "\"\\uD800x\"", "\"\\uD800\\n\"",
      "\"\\uDD1E\\uD834\"", "\"\\uD800\\uD800\"", "{\"\\uD800\":1}", "\"\uD800\"", "\"\uDC00\"", "\"\uDD1E\uD834\"",
      "\"\\uD834\uDD1E\""})
  void read_unpairedSurrogate_isRefused(String text) {
    assertThat(reason(text)).isEqualTo("unpaired surrogate");
  }

  @Test
  void read_rawSurrogatePair_isKept() throws Exception {
    assertThat(read("\"\uD834\uDD1E\"")).isEqualTo("\uD834\uDD1E");
  }

  // --- control characters ---

  @Test
  void read_rawControlCharacterInString_isRefused() throws Exception {
    for (char c = 0; c < 0x20; c++) {
      assertThat(reason("\"a" + c + "b\"")).as("U+%04X", (int) c).isEqualTo("control character in string");
      assertThat(reason("{\"a" + c + "\":1}")).as("U+%04X in a key", (int) c)
          .isEqualTo("control character in string");
      String escaped = String.format("\"a\\u%04xb\"", (int) c);
      assertThat(read(escaped)).isEqualTo("a" + c + "b");
    }
    assertThat(read("\"a\u007fb\"")).isEqualTo("a\u007fb");
  }

  // --- escapes ---

  @Test
  void read_escapes_areDecoded() throws Exception {
    assertThat(read("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u00E9\"")).isEqualTo("\" \\ / \b \f \n \r \t é é");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"\\x\"", "\"\\'\"", "\"\\a\"", "\"\\U00e9\"", "\"\\u00g9\"", "\"\\u00\"", "\"\\u00e\"",
      "\"\\u\uff10\uff10\uff14\uff11\"", "\"\\u\u0660\u0660\u0664\u0661\"", "\"\\0\""})
  void read_invalidEscape_isRefused(String text) {
    assertThat(reason(text)).isEqualTo("invalid escape");
  }

  // --- nesting depth ---

  @Test
  void read_depthCap_isCheckedForArraysAndObjects() throws Exception {
    StrictJsonReader three = StrictJsonReader.withLimits(3, 1000);
    assertThat(three.read("[[[]]]")).isEqualTo(List.of(List.of(List.of())));
    assertThat(three.read("{\"a\":{\"a\":{}}}")).isInstanceOf(Map.class);
    assertThat(three.read("[[1],[2],{\"a\":[]}]")).isInstanceOf(List.class);
    MalformedJsonException e = refusal(three, "[[[[]]]]");
    assertThat(e.reason()).isEqualTo("nesting too deep");
    assertThat(e.offset()).isEqualTo(3);
    assertThat(refusal(three, "{\"a\":{\"a\":{\"a\":{}}}}").reason()).isEqualTo("nesting too deep");
    assertThat(refusal(three, "[{\"a\":[{}]}]").reason()).isEqualTo("nesting too deep");
  }

  @Test
  void read_defaultDepth_is64() throws Exception {
    assertThat(read("[".repeat(64) + "]".repeat(64))).isInstanceOf(List.class);
    assertThat(reason("[".repeat(65) + "]".repeat(65))).isEqualTo("nesting too deep");
  }

  @Test
  void read_veryDeepInputAtTheLargestCap_isRefusedWithoutStackOverflow() {
    StrictJsonReader deepest = StrictJsonReader.withLimits(StrictJsonReader.MAX_DEPTH_LIMIT, 1 << 20);
    assertThat(refusal(deepest, "[".repeat(500_000)).reason()).isEqualTo("nesting too deep");
    assertThat(refusal(deepest, "{\"a\":".repeat(100_000)).reason()).isEqualTo("nesting too deep");
  }

  // --- length ---

  @Test
  void read_lengthCap_isCheckedBeforeParsing() throws Exception {
    StrictJsonReader ten = StrictJsonReader.withLimits(8, 10);
    assertThat(ten.read("[1,2,3,45]")).isEqualTo(List.of(1L, 2L, 3L, 45L));
    MalformedJsonException e = refusal(ten, "[1,2,3,456]");
    assertThat(e.reason()).isEqualTo("input too long");
    assertThat(e.offset()).isZero();
    // Checked first: a too-long input is refused for its length even when it is also malformed.
    assertThat(refusal(ten, "[[[[[[[[[[[[").reason()).isEqualTo("input too long");
    assertThat(refusal(StrictJsonReader.defaults(), " ".repeat(StrictJsonReader.DEFAULT_MAX_LENGTH + 1)).reason())
        .isEqualTo("input too long");
  }

  @Test
  void read_lengthCapOnBytes_countsBytes() throws Exception {
    StrictJsonReader four = StrictJsonReader.withLimits(8, 4);
    assertThat(four.read(ByteBuffer.wrap("\"\u00e9\"".getBytes(StandardCharsets.UTF_8)))).isEqualTo("\u00e9");
    // Three characters but five bytes.
    assertThat(reasonOfBytes(four, "\"\u00e9\u00e9\"".getBytes(StandardCharsets.UTF_8))).isEqualTo("input too long");
  }

  @Test
  void withLimits_outOfRange_isRefused() {
    assertThatThrownBy(() -> StrictJsonReader.withLimits(0, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximum depth must be between 1 and 512");
    assertThatThrownBy(() -> StrictJsonReader.withLimits(513, 10)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximum depth must be between 1 and 512");
    assertThatThrownBy(() -> StrictJsonReader.withLimits(1, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximum length must be positive");
    assertThat(StrictJsonReader.withLimits(2, 3)).hasToString("StrictJsonReader[maxDepth=2, maxLength=3]");
  }

  // --- trailing data ---

  @ParameterizedTest(name = "[{index}]") // raw surrogates and control characters stay out of reports
  @ValueSource(strings = {"{} {}", "1 2", "[]x", "{}}", "\"a\"\"b\"", "null,", "0x1", "[1]]", "{}\u0000"})
  void read_trailingData_isRefused(String text) {
    assertThat(reason(text)).isEqualTo("trailing data");
  }

  @Test
  void read_trailingJsonWhitespace_isAllowed() throws Exception {
    assertThat(read("{} \t\r\n")).isEqualTo(Map.of());
  }

  // --- whitespace ---

  @Test
  void read_theFourJsonWhitespaceCharacters_areAllowedEverywhere() throws Exception {
    String ws = " \t\n\r";
    assertThat(read(ws + "{" + ws + "\"a\"" + ws + ":" + ws + "[" + ws + "1" + ws + "," + ws + "2" + ws + "]" + ws
        + "}" + ws)).isEqualTo(Map.of("a", List.of(1L, 2L)));
  }

  @ParameterizedTest(name = "[{index}]") // raw surrogates and control characters stay out of reports
  @ValueSource(chars = {'\u000b', '\u000c', '\u001c', '\u001f', '\u0085', '\u00a0', '\u2003', '\u2028', '\u3000',
      '\ufeff'})
  void read_otherWhitespace_isRefused(char c) {
    assertThat(reason(c + "[1]")).isEqualTo("expected a value");
    assertThat(reason("[" + c + "1]")).isEqualTo("expected a value");
    assertThat(reason("[1" + c + "]")).isEqualTo("expected ',' or ']'");
    assertThat(reason("{\"a\"" + c + ":1}")).isEqualTo("expected ':'");
    assertThat(reason("[1]" + c)).isEqualTo("trailing data");
  }

  // --- numbers ---

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"0|0", "-0|0", "7|7", "-7|-7", "10|10", "9223372036854775807|9223372036854775807",
      "-9223372036854775808|-9223372036854775808"})
  void read_integers_areLongs(String text, long expected) throws Exception {
    assertThat(read(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "123456789012345678901234567890", "0.5",
      "-0.0", "1e2", "1E2", "1e+2", "1e-2", "1.5E-10", "-12.25e003", "123e-10000000", "0e0"})
  void read_otherNumbers_areBigDecimals(String text) throws Exception {
    assertThat(read(text)).isEqualTo(new BigDecimal(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"01", "-01", "00", "1.", "1.e1", "1e", "1e+", "1E-", "-", "-a", "[-]", "1.5e", "-.5"})
  void read_numberOutsideTheGrammar_isInvalid(String text) {
    assertThat(reason(text)).isEqualTo("invalid number");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {".5|expected a value", "+1|expected a value", "[.5]|expected a value",
      "[+1]|expected a value", "NaN|expected a value", "Infinity|expected a value", "[-Infinity]|invalid number"})
  void read_numberNotStartingWithMinusOrDigit_isNotAValue(String text, String expected) {
    assertThat(reason(text)).isEqualTo(expected);
  }

  @Test
  void read_numberLength_isCapped() throws Exception {
    String longest = "1".repeat(StrictJsonReader.MAX_NUMBER_LENGTH);
    assertThat(read(longest)).isEqualTo(new BigDecimal(longest));
    assertThat(reason(longest + "1")).isEqualTo("number too long");
    assertThat(reason("0." + "1".repeat(StrictJsonReader.MAX_NUMBER_LENGTH))).isEqualTo("number too long");
  }

  @Test
  void read_exponentBeyondBigDecimal_isOutOfRange() throws Exception {
    assertThat(read("1e2147483647")).isEqualTo(new BigDecimal("1e2147483647"));
    assertThat(reason("1e2147483648")).isEqualTo("number out of range");
    assertThat(reason("1e-99999999999")).isEqualTo("number out of range");
    assertThat(reason("[0.4e00669999999999999999999999999999]")).isEqualTo("number out of range");
  }

  // --- literals and structure ---

  @ParameterizedTest
  @ValueSource(strings = {"tru", "fals", "nul", "truth", "nill", "[t]"})
  void read_brokenLiteral_isInvalid(String text) {
    assertThat(reason(text)).isEqualTo("invalid literal");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "``|unexpected end of input", "`   `|unexpected end of input", "`[`|unexpected end of input",
      "`[1`|unexpected end of input", "`[1,`|unexpected end of input", "`{`|unexpected end of input",
      "`{\"a\"`|unexpected end of input", "`{\"a\":`|unexpected end of input", "`{\"a\":1`|unexpected end of input",
      "`\"abc`|unexpected end of input", "`\"abc\\`|unexpected end of input",
      "`TRUE`|expected a value", "`'a'`|expected a value", "`[,]`|expected a value", "`[1,]`|expected a value",
      "`{\"a\":}`|expected a value", "`]`|expected a value",
      "`{1:2}`|expected a string key", "`{'a':1}`|expected a string key", "`{a:1}`|expected a string key",
      "`{\"a\":1,}`|expected a string key", "`{,}`|expected a string key",
      "`{\"a\" 1}`|expected ':'", "`{\"a\"=1}`|expected ':'",
      "`{\"a\":1 \"b\":2}`|expected ',' or '}'", "`{\"a\":1]`|expected ',' or '}'",
      "`[1 2]`|expected ',' or ']'", "`[1}`|expected ',' or ']'", "`[1:2]`|expected ',' or ']'"})
  void read_brokenStructure_saysWhatWasExpected(String text, String expected) {
    assertThat(reason(text)).isEqualTo(expected);
  }

  // --- bytes ---

  @Test
  void read_validUtf8Bytes_areReadAndTheBufferIsNotMoved() throws Exception {
    ByteBuffer b = ByteBuffer.wrap("{\"k\":\"caf\u00e9 \uD834\uDD1E\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(JSON.read(b)).isEqualTo(Map.of("k", "caf\u00e9 \uD834\uDD1E"));
    assertThat(b.position()).isZero();
  }

  @Test
  void read_invalidUtf8_isRefused() {
    List<byte[]> bad = List.of(
        new byte[] {'"', (byte) 0xc3, 0x28, '"'},                           // bad continuation
        new byte[] {'"', (byte) 0xff, '"'},                                 // never valid
        new byte[] {'"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"'},       // encoded surrogate U+D800
        new byte[] {'"', (byte) 0xc0, (byte) 0xaf, '"'},                    // overlong '/'
        new byte[] {'"', (byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // above U+10FFFF
        new byte[] {'"', (byte) 0xe2, (byte) 0x82, '"'},                    // truncated
        new byte[] {'"', (byte) 0x80, '"'});                                // lone continuation
    for (byte[] bytes : bad) {
      assertThat(reasonOfBytes(JSON, bytes)).isEqualTo("invalid UTF-8");
    }
  }

  // --- messages ---

  @Test
  void errorMessages_neverContainTheInput() {
    String secret = "SECRETabcdefghijklmnop";
    List<String> inputs = List.of(
        "{\"token\":\"" + secret + "\",\"token\":\"" + secret + "\"}",
        "{\"token\":\"" + secret + "\\uD800\"}",
        "{\"token\":\"" + secret + "\u0001\"}",
        "{\"token\":\"" + secret + "\"} " + secret,
        "{\"token\":" + secret + "}",
        "{\"" + secret + "\" \"" + secret + "\"}",
        "{\"token\":\"" + secret + "\\q\"}");
    for (String input : inputs) {
      MalformedJsonException e = refusal(JSON, input);
      assertThat(e.getMessage()).doesNotContain("SECRET").matches("[a-zA-Z8' ,:\\]}-]+ at offset \\d+");
      assertThat(e.getStackTrace()).isEmpty();
      assertThat(e.getCause()).isNull();
    }
  }

  // --- where each refusal is reported, and the edges of the text (mutation testing's survivors) ---

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "`[1 2]`|expected ',' or ']'|3", "`[1,2 }`|expected ',' or ']'|5",
      "`{\"a\":1 \"b\":2}`|expected ',' or '}'|7", "`{\"a\":1]`|expected ',' or '}'|6",
      "`[1 `|unexpected end of input|3", "`{\"a\":1 `|unexpected end of input|7"})
  void read_badSeparator_isReportedAtTheOffendingCharacter(String text, String reason, int offset) {
    MalformedJsonException e = refusal(JSON, text);
    assertThat(e.reason()).isEqualTo(reason);
    assertThat(e.offset()).isEqualTo(offset);
  }

  @Test
  void read_escapeCutByTheEndOfTheText_isAnInvalidEscapeNotACrash() {
    // Fewer than four characters left after a backslash and u: the escape is refused before its digits are read.
    for (String text : new String[] {"\"\\u", "\"\\u0", "\"\\u00", "\"\\u004"}) {
      MalformedJsonException e = refusal(JSON, text);
      assertThat(e.reason()).as(text).isEqualTo("invalid escape");
      assertThat(e.offset()).as(text).isEqualTo(1);
    }
    MalformedJsonException low = refusal(JSON, "\"\\uD834\\uDD");
    assertThat(low.reason()).isEqualTo("invalid escape");
    assertThat(low.offset()).isEqualTo(7);
    // Exactly four digits at the very end: the escape is whole, the string is not closed.
    MalformedJsonException open = refusal(JSON, "\"\\u0041");
    assertThat(open.reason()).isEqualTo("unexpected end of input");
    assertThat(open.offset()).isEqualTo(7);
  }

  @Test
  void read_rawHighSurrogateAsTheLastCharacter_isUnpairedNotACrash() {
    MalformedJsonException e = refusal(JSON, "\"ab\uD834");
    assertThat(e.reason()).isEqualTo("unpaired surrogate");
    assertThat(e.offset()).isEqualTo(3);
    assertThat(reason("\"\uD834")).isEqualTo("unpaired surrogate");
  }

  @Test
  void read_numberLengthCap_countsTheNumberOnlyWhereverItStarts() throws Exception {
    String longest = "1".repeat(StrictJsonReader.MAX_NUMBER_LENGTH);
    assertThat(read("[" + longest + "]")).isEqualTo(List.of(new BigDecimal(longest)));
    assertThat(read("{\"n\": " + longest + "}")).isEqualTo(Map.of("n", new BigDecimal(longest)));
    MalformedJsonException e = refusal(JSON, "[" + longest + "1]");
    assertThat(e.reason()).isEqualTo("number too long");
    assertThat(e.offset()).isEqualTo(1);
  }

  @Test
  void withLimits_smallestCaps_areAccepted() throws Exception {
    StrictJsonReader smallest = StrictJsonReader.withLimits(1, 1);
    assertThat(smallest.read("7")).isEqualTo(7L);
    assertThat(smallest.read(ByteBuffer.wrap(new byte[] {'7'}))).isEqualTo(7L);
    assertThat(refusal(smallest, "77").reason()).isEqualTo("input too long");
    assertThat(StrictJsonReader.withLimits(StrictJsonReader.MAX_DEPTH_LIMIT, 1)).hasToString(
        "StrictJsonReader[maxDepth=512, maxLength=1]");
  }

  @Test
  void read_emptyAndNonEmptyContainers_closeTheSameWay() throws Exception {
    assertThat(read(" [ ] ")).isEqualTo(List.of());
    assertThat(read(" { } ")).isEqualTo(Map.of());
    assertThat(read("[[],{},[1],{\"a\":[]}]"))
        .isEqualTo(List.of(List.of(), Map.of(), List.of(1L), Map.of("a", List.of())));
    assertThat(reason("[]]")).isEqualTo("trailing data");
    assertThat(reason("{}}")).isEqualTo("trailing data");
  }
}
