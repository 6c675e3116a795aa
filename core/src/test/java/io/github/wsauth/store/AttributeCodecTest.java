package io.github.wsauth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLDataException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttributeCodecTest {

  @Test
  void encode_escapesWhatJsonRequires_andWritesTheRestAsIs() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("q\"", "a\\b");
    attributes.put("c", "\n\r\t\b\f\u0000\u001f\u007f/");
    attributes.put("u", "ü€\ud83d\ude00");
    assertThat(AttributeCodec.encode(attributes))
        .isEqualTo("{\"q\\\"\":\"a\\\\b\",\"c\":\"\\n\\r\\t\\b\\f\\u0000\\u001f\u007f/\",\"u\":\"ü€\ud83d\ude00\"}");
  }

  @Test
  void encodeThenDecode_roundTripsEveryCharacterClass() throws SQLDataException {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0xd800; c++) {
      all.append(c);
    }
    for (char c = 0xe000; c != 0; c++) {
      all.append(c);
    }
    all.append("\ud800\udc00\udbff\udfff");
    Map<String, String> attributes = Map.of("all", all.toString(), "empty", "", "k\u0001", "v");
    assertThat(AttributeCodec.decode(AttributeCodec.encode(attributes))).isEqualTo(attributes);
    assertThat(AttributeCodec.decode(AttributeCodec.encode(Map.of()))).isEmpty();
  }

  @Test
  void encode_unpairedSurrogate_isRefused() {
    for (String bad : new String[] {"\ud800", "a\ud800b", "\udc00", "\udc00\ud800", "x\ud83d"}) {
      assertThatThrownBy(() -> AttributeCodec.encode(Map.of("k", bad))).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("attributes must not contain unpaired surrogates");
      assertThatThrownBy(() -> AttributeCodec.encode(Map.of(bad, "v"))).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("attributes must not contain unpaired surrogates");
    }
  }

  @Test
  void decode_refusesWhatIsNotAFlatObjectOfStrings() {
    assertThatThrownBy(() -> AttributeCodec.decode("{\"a\":1}")).isInstanceOf(SQLDataException.class)
        .hasMessage("attribute values must be strings");
    assertThatThrownBy(() -> AttributeCodec.decode("{\"a\":{\"b\":\"c\"}}")).isInstanceOf(SQLDataException.class)
        .hasMessage("attributes column is not a JSON object");
    assertThatThrownBy(() -> AttributeCodec.decode("{\"a\":\"b\",\"a\":\"c\"}")).isInstanceOf(SQLDataException.class)
        .hasMessage("attributes column is not a JSON object");
    assertThatThrownBy(() -> AttributeCodec.decode("{\"a\":\"\\ud800\"}")).isInstanceOf(SQLDataException.class)
        .hasMessage("attributes column is not a JSON object");
    assertThatThrownBy(() -> AttributeCodec.decode("[\"a\"]")).isInstanceOf(SQLDataException.class)
        .hasMessage("attributes column is not a JSON object");
    assertThatThrownBy(() -> AttributeCodec.decode(null)).isInstanceOf(SQLDataException.class)
        .hasMessage("attributes column is missing or too long");
  }
  @Test
  void encode_writesTheSpaceAndEverythingFromItOnAsIs() {
    assertThat(AttributeCodec.encode(Map.of("a b", " x\u001f!"))).isEqualTo("{\"a b\":\" x\\u001f!\"}");
  }

  @Test
  void decode_lengthCap_isOneMebibyte_andItsOwnAnswer() throws SQLDataException {
    String prefix = "{\"k\":\"";
    String atCap = prefix + "v".repeat((1 << 20) - prefix.length() - 2) + "\"}";
    assertThat(atCap).hasSize(1 << 20);
    assertThat(AttributeCodec.decode(atCap).get("k")).hasSize((1 << 20) - prefix.length() - 2);
    String overCap = prefix + "v".repeat((1 << 20) - prefix.length() - 1) + "\"}";
    assertThatThrownBy(() -> AttributeCodec.decode(overCap)).isInstanceOf(SQLDataException.class)
        .hasMessage("attributes column is missing or too long");
  }
}
