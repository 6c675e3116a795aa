package io.github.wsauth.store;

import io.github.wsauth.internal.StrictJsonReader;
import io.github.wsauth.internal.StrictJsonReader.MalformedJsonException;
import java.sql.SQLDataException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encodes a token's attributes as a JSON object of strings for the {@code attributes} column, and decodes it
 * strictly: anything but an object of string values is a corrupt row, which the store treats as a failure rather
 * than guessing.
 *
 * <p>The writer escapes what RFC 8259 requires (quotation mark, reverse solidus, U+0000 to U+001F) and writes
 * every other character as is, so the column is valid JSON for any database's JSON functions. Unpaired UTF-16
 * surrogates cannot be written: they are not Unicode text, so they would not survive a UTF-8 database column
 * and {@link StrictJsonReader} refuses them. Issuers refuse them when a token is issued ({@code Subjects}); the
 * writer refuses them too, for entries built by hand.
 */
final class AttributeCodec {
  /** Caps what is parsed from a column: issuers allow 32 attributes of 1024 characters each. */
  private static final int MAX_JSON_LENGTH = 1 << 20;
  /** Attributes are one flat object. */
  private static final StrictJsonReader READER = StrictJsonReader.withLimits(1, MAX_JSON_LENGTH);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private AttributeCodec() {}

  /**
   * Encodes the attributes as a JSON object of strings.
   *
   * @throws IllegalArgumentException if a name or value holds an unpaired surrogate
   */
  static String encode(Map<String, String> attributes) {
    if (attributes.isEmpty()) {
      return "{}";
    }
    StringBuilder sb = new StringBuilder(2 + attributes.size() * 16);
    sb.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : attributes.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      writeString(sb, e.getKey());
      sb.append(':');
      writeString(sb, e.getValue());
    }
    return sb.append('}').toString();
  }

  private static void writeString(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        switch (c) {
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          case '\b' -> sb.append("\\b");
          case '\f' -> sb.append("\\f");
          default -> sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
        }
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          throw new IllegalArgumentException("attributes must not contain unpaired surrogates");
        }
        sb.append(c).append(s.charAt(++i));
      } else if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException("attributes must not contain unpaired surrogates");
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
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
      parsed = READER.readObject(json);
    } catch (MalformedJsonException e) {
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
