package io.github.wsauth.jwt;

import java.nio.charset.StandardCharsets;

/**
 * A strict JSON reader over the decoded bytes of a JWS header or payload, for {@link LeanJws}: it reads one
 * object member by member without building a map, and turns only the values asked for into Java objects.
 *
 * <p>It accepts exactly what Nimbus's JSON parser (Gson in strict mode) accepts, which the differential test
 * checks: the RFC 8259 grammar, nothing after the value, whitespace of space, tab, line feed and carriage return
 * only, no raw control character in a string, the escapes of RFC 8259 (a {@code \\u} escape of a lone surrogate
 * included, as Gson reads it); numbers read as Gson's {@code LONG_OR_DOUBLE} policy reads them (a {@code long}
 * if {@link Long#parseLong} takes the literal, otherwise a finite {@code double}). Duplicate keys are the
 * caller's check (at the top level, as Nimbus checks them). A value nested deeper than {@link #MAX_DEPTH}
 * containers stops the reader with {@link TooDeep}: the caller then hands the token to the Nimbus path, whose
 * own limit decides. The bytes are well-formed UTF-8 ({@link TokenShape} checked them). Not thread-safe; one
 * instance reads one segment.
 */
final class LeanJson {
  /** Deeper than this, the lean path defers to Nimbus (whose parser allows 255). */
  static final int MAX_DEPTH = 32;
  /** Longer numbers are left to the Nimbus path (Gson's reader refuses numbers of 1024 characters or more). */
  static final int MAX_NUMBER_LENGTH = 512;
  /** The value of a JSON {@code null}. */
  static final Object NULL = new Object();
  /** A value that was only checked, not kept (an object, an array, {@code true}, {@code false}). */
  static final Object SKIPPED = new Object();

  private static final Malformed MALFORMED = new Malformed();
  private static final TooDeep TOO_DEEP = new TooDeep();

  private final byte[] b;
  private final int end;
  private int pos;

  LeanJson(byte[] bytes, int start, int end) {
    this.b = bytes;
    this.pos = start;
    this.end = end;
  }

  /** Not JSON, or not what Nimbus would read. Shared and stackless: an expected outcome of hostile input. */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    Malformed() {
      super("malformed JSON", null, false, false);
    }
  }

  /** Nested deeper than {@link #MAX_DEPTH}, or a number longer than {@link #MAX_NUMBER_LENGTH}: the caller defers
   * to the Nimbus path. */
  static final class TooDeep extends Exception {
    private static final long serialVersionUID = 1L;

    TooDeep() {
      super("nested too deep", null, false, false);
    }
  }

  /** Reads the opening brace of the top-level object (after optional whitespace). */
  void beginObject() throws Malformed {
    skipWhitespace();
    expect('{');
  }

  /**
   * The next member's key, positioned on its value; null after the closing brace of the top-level object, which
   * must end the text (whitespace aside). {@code first} is true for the first call.
   */
  String nextKey(boolean first) throws Malformed {
    skipWhitespace();
    int c = peek();
    if (c == '}') {
      pos++;
      skipWhitespace();
      if (pos != end) {
        throw MALFORMED;
      }
      return null;
    }
    if (!first) {
      expect(',');
      skipWhitespace();
    }
    if (peek() != '"') {
      throw MALFORMED;
    }
    String key = string();
    skipWhitespace();
    expect(':');
    skipWhitespace();
    return key;
  }

  /**
   * Reads a member value: a {@link String}, a {@link Long} or {@link Double}, {@link #NULL}, or for any other
   * value {@link #SKIPPED} (checked, not kept).
   */
  Object value() throws Malformed, TooDeep {
    int c = peek();
    if (c == '"') {
      return string();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return number();
    }
    if (c == 'n') {
      literal("null");
      return NULL;
    }
    skip(1);
    return SKIPPED;
  }

  /**
   * Reads an array whose elements are all strings or nulls (JSON null as Java null); {@code nonString} if any
   * element is anything else (it is still checked), or {@code notArray} if the value is not an array.
   */
  Object stringArray(Object notArray, Object nonString) throws Malformed, TooDeep {
    if (peek() != '[') {
      return notArray;
    }
    pos++;
    java.util.ArrayList<String> out = new java.util.ArrayList<>(2);
    boolean strings = true;
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return out;
    }
    while (true) {
      skipWhitespace();
      int c = peek();
      if (c == '"') {
        out.add(string());
      } else if (c == 'n') {
        literal("null");
        out.add(null);
      } else {
        skip(2);
        strings = false;
      }
      skipWhitespace();
      int d = next();
      if (d == ']') {
        return strings ? out : nonString;
      }
      if (d != ',') {
        throw MALFORMED;
      }
    }
  }

  /** Checks one value of any kind at nesting {@code depth} (1 for a member of the top-level object). */
  private void skip(int depth) throws Malformed, TooDeep {
    int c = peek();
    switch (c) {
      case '{':
        container(depth, '}', true);
        return;
      case '[':
        container(depth, ']', false);
        return;
      case '"':
        skipString();
        return;
      case 't':
        literal("true");
        return;
      case 'f':
        literal("false");
        return;
      case 'n':
        literal("null");
        return;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          number();
          return;
        }
        throw MALFORMED;
    }
  }

  private void container(int depth, char close, boolean object) throws Malformed, TooDeep {
    if (depth + 1 > MAX_DEPTH) {
      throw TOO_DEEP;
    }
    pos++;
    skipWhitespace();
    if (peek() == close) {
      pos++;
      return;
    }
    while (true) {
      skipWhitespace();
      if (object) {
        if (peek() != '"') {
          throw MALFORMED;
        }
        skipString();
        skipWhitespace();
        expect(':');
        skipWhitespace();
      }
      skip(depth + 1);
      skipWhitespace();
      int d = next();
      if (d == close) {
        return;
      }
      if (d != ',') {
        throw MALFORMED;
      }
    }
  }

  private void literal(String word) throws Malformed {
    int n = word.length();
    if (end - pos < n) {
      throw MALFORMED;
    }
    for (int i = 0; i < n; i++) {
      if (b[pos + i] != word.charAt(i)) {
        throw MALFORMED;
      }
    }
    pos += n;
  }

  /** RFC 8259 §6 grammar; then the value Gson's LONG_OR_DOUBLE policy gives the literal. */
  private Object number() throws Malformed, TooDeep {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    int c = peek();
    if (c < '0' || c > '9') {
      throw MALFORMED;
    }
    // The integer part as Gson's reader accumulates it (negated, wrapping): it refuses a digit after an
    // accumulated 0, which is a leading zero ("01") but also a prefix that wraps to 0 modulo 2^64
    // ("18446744073709551616" followed by a digit). A quirk, mirrored so both paths agree.
    long value = -(c - '0');
    pos++;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      if (value == 0) {
        throw MALFORMED;
      }
      value = value * 10 - (b[pos] - '0');
      pos++;
    }
    boolean integer = true;
    if (peek() == '.') {
      integer = false;
      pos++;
      if (digits() == 0) {
        throw MALFORMED;
      }
    }
    c = peek();
    if (c == 'e' || c == 'E') {
      integer = false;
      pos++;
      c = peek();
      if (c == '+' || c == '-') {
        pos++;
      }
      if (digits() == 0) {
        throw MALFORMED;
      }
    }
    if (pos - start > MAX_NUMBER_LENGTH) {
      throw TOO_DEEP; // Gson gives up on a number longer than its buffer: let the Nimbus path decide
    }
    String text = new String(b, start, pos - start, StandardCharsets.ISO_8859_1);
    if (integer && pos - start <= 20) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        // beyond long: a double, as Gson reads it
      }
    }
    double d = Double.parseDouble(text);
    if (Double.isInfinite(d)) {
      throw MALFORMED;
    }
    return d;
  }

  private int digits() {
    int from = pos;
    while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
      pos++;
    }
    return pos - from;
  }

  private void skipString() throws Malformed {
    pos++;
    while (true) {
      int c = next();
      if (c == '"') {
        return;
      }
      if (c == '\\') {
        escape(null);
      } else if (c < 0x20 && c >= 0) {
        throw MALFORMED;
      }
    }
  }

  /** A string value at {@link #pos} (on its opening quote), decoded. */
  private String string() throws Malformed {
    pos++;
    int start = pos;
    boolean ascii = true;
    while (true) {
      if (pos >= end) {
        throw MALFORMED;
      }
      int c = b[pos];
      if (c == '"') {
        String s = new String(b, start, pos - start,
            ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        pos++;
        return s;
      }
      if (c == '\\') {
        return escapedString(start);
      }
      if (c < 0) {
        ascii = false;
      } else if (c < 0x20) {
        throw MALFORMED;
      }
      pos++;
    }
  }

  private String escapedString(int start) throws Malformed {
    StringBuilder out = new StringBuilder(pos - start + 16);
    int run = start;
    while (true) {
      if (pos >= end) {
        throw MALFORMED;
      }
      int c = b[pos];
      if (c == '"' || c == '\\') {
        // Runs end at ASCII bytes only, so a multi-byte UTF-8 sequence is never split.
        out.append(new String(b, run, pos - run, StandardCharsets.UTF_8));
        pos++;
        if (c == '"') {
          return out.toString();
        }
        escape(out);
        run = pos;
      } else if (c >= 0 && c < 0x20) {
        throw MALFORMED;
      } else {
        pos++;
      }
    }
  }

  /** After a backslash: one RFC 8259 escape, appended to {@code out} if not null. */
  private void escape(StringBuilder out) throws Malformed {
    int c = next();
    char v;
    switch (c) {
      case '"': v = '"'; break;
      case '\\': v = '\\'; break;
      case '/': v = '/'; break;
      case 'b': v = '\b'; break;
      case 'f': v = '\f'; break;
      case 'n': v = '\n'; break;
      case 'r': v = '\r'; break;
      case 't': v = '\t'; break;
      case 'u':
        if (end - pos < 4) {
          throw MALFORMED;
        }
        int u = 0;
        for (int i = 0; i < 4; i++) {
          int h = hex(b[pos++]);
          if (h < 0) {
            throw MALFORMED;
          }
          u = (u << 4) | h;
        }
        v = (char) u; // a lone surrogate too, as Gson reads it
        break;
      default:
        throw MALFORMED;
    }
    if (out != null) {
      out.append(v);
    }
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte c = b[pos];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private void expect(char c) throws Malformed {
    if (next() != c) {
      throw MALFORMED;
    }
  }

  /** The byte at {@link #pos} (sign-extended: negative for non-ASCII), or -1000 at the end. */
  private int peek() {
    return pos < end ? b[pos] : -1000;
  }

  private int next() throws Malformed {
    if (pos >= end) {
      throw MALFORMED;
    }
    return b[pos++];
  }
}
