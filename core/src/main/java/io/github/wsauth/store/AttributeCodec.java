package io.github.wsauth.store;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.sql.SQLDataException;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes a token's attributes as a JSON object of strings for the {@code attributes} column, and decodes it
 * strictly: anything but an object of string values is a corrupt row, which the store treats as a failure rather
 * than guessing.
 */
final class AttributeCodec {
  /** Caps what is parsed from a column: issuers allow 32 attributes of 1024 characters each. */
  private static final int MAX_JSON_LENGTH = 1 << 20;

  private AttributeCodec() {}

  static String encode(Map<String, String> attributes) {
    return attributes.isEmpty() ? "{}" : JSONObjectUtils.toJSONString(attributes);
  }

  /**
   * Decodes the column.
   *
   * @throws SQLDataException if the text is not a JSON object of string values
   */
  static Map<String, String> decode(String json) throws SQLDataException {
    if (json == null || json.length() > MAX_JSON_LENGTH) {
      throw new SQLDataException("attributes column is missing or too long");
    }
    if (json.equals("{}")) {
      return Map.of();
    }
    Map<String, Object> parsed;
    try {
      parsed = JSONObjectUtils.parse(json);
    } catch (ParseException e) {
      throw new SQLDataException("attributes column is not a JSON object");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : parsed.entrySet()) {
      if (!(e.getValue() instanceof String s)) {
        throw new SQLDataException("attribute values must be strings");
      }
      out.put(e.getKey(), s);
    }
    return Map.copyOf(out);
  }
}
