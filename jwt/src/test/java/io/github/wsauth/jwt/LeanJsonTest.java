package io.github.wsauth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LeanJson} against Nimbus's JSON parser on hand-picked texts around every rule of the grammar: both accept
 * or both refuse, and on acceptance the top-level strings and numbers read the same. Texts start with an object,
 * as {@link TokenShape} guarantees before the reader runs (Nimbus would also read {@code []} as an empty object).
 */
class LeanJsonTest {
  private static final Object REFUSED = "refused";

  private static Object lean(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    LeanJson r = new LeanJson(b, 0, b.length);
    Map<String, Object> out = new LinkedHashMap<>();
    try {
      r.beginObject();
      boolean first = true;
      for (String k; (k = r.nextKey(first)) != null; first = false) {
        Object v = r.value();
        out.put(k, v == LeanJson.NULL ? null : v == LeanJson.SKIPPED ? "skipped" : v);
      }
      return out;
    } catch (LeanJson.Malformed e) {
      return REFUSED;
    } catch (LeanJson.TooDeep e) {
      return "deep";
    }
  }

  private static Object nimbus(String json) {
    try {
      Map<String, Object> m = JSONObjectUtils.parse(json);
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, v instanceof Map || v instanceof List || v instanceof Boolean ? "skipped" : v));
      return out;
    } catch (java.text.ParseException e) {
      return REFUSED;
    }
  }

  @Test
  void agreesWithNimbusOnEveryRule() {
    List<String> texts = new ArrayList<>(List.of(
        "{}", " {} ", "{ }", "\t{\n}\r", "{}x", "{} }", "{", "{\"a\"}", "{\"a\":}", "{\"a\" 1}",
        "{\"a\":1,}", "{,\"a\":1}", "{\"a\":1 \"b\":2}", "{\"a\":1,\"b\":2}", "{ \"a\" : 1 , \"b\" : 2 }",
        "{\"a\":\t[ 1 , 2 ]\n}", "{\"a\":[ ]}", "{\"a\":[1 2]}", "{\"a\":[1,]}", "{\"a\":[,]}", "{\"a\":[",
        "{\"a\":{ }}", "{\"a\":{ \"b\" : 1 , \"c\" : [ ] }}", "{\"a\":{\"b\" 1}}", "{\"a\":{1:2}}", "{\"a\":{\"b\":1,}}",
        "{\"a\":{\"b\":1", "{\"a\":true}", "{\"a\":false}", "{\"a\":null}", "{\"a\":tru}", "{\"a\":fals}",
        "{\"a\":nul}", "{\"a\":nulL}", "{\"a\":[true,false,null]}", "{\"a\":t", "{\"a\":n", "{\"a\":[nul]}",
        "{\"a\":0}", "{\"a\":-0}", "{\"a\":01}", "{\"a\":-01}", "{\"a\":1.}", "{\"a\":.1}", "{\"a\":1.5}",
        "{\"a\":-}", "{\"a\":+1}", "{\"a\":1e5}", "{\"a\":1E+5}", "{\"a\":1e-5}", "{\"a\":1e}", "{\"a\":1e+}",
        "{\"a\":9223372036854775807}", "{\"a\":9223372036854775808}", "{\"a\":-9223372036854775808}",
        "{\"a\":18446744073709551616}", "{\"a\":184467440737095516163}", "{\"a\":1e308}", "{\"a\":1e309}",
        "{\"a\":-1e309}", "{\"a\":[1e309]}", "{\"a\":[01]}", "{\"a\":[-]}", "{\"a\":[1.e5]}", "{\"a\":12345678901234567890123}",
        "{\"a\":\"\"}", "{\"a\":\"x\"}", "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "{\"a\":\"\\u0041\\u00e9\\u00E9\"}",
        "{\"a\":\"\\u004\"}", "{\"a\":\"\\u00g1\"}", "{\"a\":\"\\u00G1\"}", "{\"a\":\"\\u00:1\"}", "{\"a\":\"\\u00@1\"}",
        "{\"a\":\"\\u00`1\"}", "{\"a\":\"\\u00/1\"}", "{\"a\":\"\\u09af\"}", "{\"a\":\"\\u0AFf\"}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\'\"}", "{\"a\":\"\\\"}", "{\"a\":\"\\", "{\"a\":\"\\u", "{\"a\":\"\\u12", "{\"a\":\"x",
        "{\"a\":\"\u0001\"}", "{\"a\":\"\u001f\"}", "{\"a\":\" \u007f\"}", "{\"a\":\"\u00e9\u4e2d\"}",
        "{\"a\":\"\\ud800\"}", "{\"a\":\"\\uD83D\\uDE00\"}", "{\"a\":\"\u00e9\\n\u00e8\"}", "{\"a\":[\"\\x\"]}",
        "{\"a\":[\"\u0001\"]}", "{\"a\":{\"\\u0062\":\"\\n\"}}", "{\"\\u0061\":1}", "{\"a\":1,\"a\":2}",
        "{\"a\":[[[[]]]]}", "{\"a\":\f1}", "{\f\"a\":1}", "{\"a\":1\f}", "{\"a\":[1,\f2]}", "{\"a\":{\"b\":1}\f}",
        "{\"a\":[ 1 ,\n2 ]\t}", "{\"a\":{\n\"b\"\n:\n[\n]\n,\n\"c\":{}\n}\n}", "{\"a\":x}", "{\"a\":[x]}",
        "{\"a\":{\"b\":x}}", "{\"a\":\"b\"\"c\"}"));
    texts.add("{\"a\":" + "[".repeat(31) + "]".repeat(31) + "}");
    for (String t : texts) {
      Object lean = lean(t);
      if ("deep".equals(lean)) {
        continue;
      }
      Object nimbus = nimbus(t);
      if (lean instanceof Map && nimbus instanceof Map) {
        // LeanJson leaves duplicates to its caller; Nimbus refuses them (checked in JwtDifferentialTest).
        assertThat(((Map<?, ?>) lean).toString()).as(t).isEqualTo(nimbus.toString());
      } else if (!(lean instanceof Map && t.contains("\"a\":1,\"a\":2"))) {
        assertThat(lean).as(t).isEqualTo(nimbus);
      }
    }
  }

  @Test
  void deepNestingAndLongNumbers_areLeftToNimbus() {
    assertThat(lean("{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}")).isEqualTo("deep");
    assertThat(lean("{\"a\":" + "{\"b\":".repeat(40) + "1" + "}".repeat(40) + "}")).isEqualTo("deep");
    assertThat(lean("{\"a\":" + "7".repeat(LeanJson.MAX_NUMBER_LENGTH + 1) + "}")).isEqualTo("deep");
    assertThat(lean("{\"a\":0." + "7".repeat(LeanJson.MAX_NUMBER_LENGTH - 2) + "}")).isInstanceOf(Map.class);
  }

  /** Texts each rule's mutant would read otherwise; refused or read as noted, as Nimbus does. */
  @Test
  void boundariesOfEachRule() {
    // Nesting: 31 levels below the member are read, 32 are left to Nimbus.
    assertThat(lean("{\"a\":" + "[".repeat(31) + "]".repeat(31) + "}")).isInstanceOf(Map.class);
    assertThat(lean("{\"a\":" + "[".repeat(32) + "]".repeat(32) + "}")).isEqualTo("deep");
    assertThat(lean("{\"a\":" + "[".repeat(33) + "]".repeat(33) + "}")).isEqualTo("deep");
    List<String> refused = List.of(
        "{\"a\":{x\":1}}", "{\"a\":[1;2]}", "{\"a\":{\"b\":1;\"c\":2}}",
        "{\"a\":\"\\n\u0001\"}", "{\"a\":\"\\n\u001f\"}", "{\"a\":\"\\n\u0000\"}", "{\"a\":\"\u0000\"}",
        "{\"a\":[\"\u0000\"]}", "{\"a\":{\"b\":\"\u001f\"}}", "{\"a\":1.5", "{\"a\":1e5", "{\"a\":-1",
        "{\"a\":[-1");
    for (String t : refused) {
      assertThat(lean(t)).as(t).isEqualTo(REFUSED).isEqualTo(nimbus(t));
    }
    List<String> read = List.of(
        "{\"a\":\"\\n \"}", "{\"a\":[\" \"]}", "{\"a\":{\"b\":\" \"}}", "{\"a\":[0,9,-1]}",
        "{\"a\":{\"b\":-1,\"c\":0,\"d\":9}}", "{\"a\":1.0}", "{\"a\":1.9}", "{\"a\":1e0}", "{\"a\":1e9}",
        "{\"a\":10.09,\"b\":9E09}");
    for (String t : read) {
      assertThat(lean(t)).as(t).isInstanceOf(Map.class);
      assertThat(lean(t).toString()).as(t).isEqualTo(nimbus(t).toString());
    }
  }

  private static final Object NOT_ARRAY = "not an array";
  private static final Object NON_STRING = "non-string";

  private static Object array(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    try {
      return new LeanJson(b, 0, b.length).stringArray(NOT_ARRAY, NON_STRING);
    } catch (LeanJson.Malformed e) {
      return REFUSED;
    } catch (LeanJson.TooDeep e) {
      return "deep";
    }
  }

  /** The reader of {@code aud}: an array of strings and nulls, a marker for any other array, whitespace anywhere. */
  @Test
  void stringArray_readsStringsAndNulls_marksOtherArrays() {
    assertThat(array("\"a\"")).isSameAs(NOT_ARRAY);
    assertThat(array("[]")).isEqualTo(List.of());
    assertThat(array("[ ]")).isEqualTo(List.of());
    assertThat(array("[ \"a\" , null ,\"b\" ]")).isEqualTo(java.util.Arrays.asList("a", null, "b"));
    assertThat(array("[\"a\", \"b\"]")).isEqualTo(List.of("a", "b"));
    assertThat(array("[\"a\" ]")).isEqualTo(List.of("a"));
    assertThat(array("[1]")).isSameAs(NON_STRING);
    assertThat(array("[\"a\",{\"x\":[1, true]}]")).isSameAs(NON_STRING);
    assertThat(array("[\"a\";\"b\"]")).isEqualTo(REFUSED);
    assertThat(array("[\"a\",]")).isEqualTo(REFUSED);
    assertThat(array("[\"a\"")).isEqualTo(REFUSED);
  }
}
