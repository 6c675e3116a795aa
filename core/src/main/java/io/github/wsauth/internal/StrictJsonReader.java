package io.github.wsauth.internal;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader (RFC 8259) for untrusted input, so that core parses its first message without a
 * JSON library. Internal: not API.
 *
 * <pre>{@code
 * Object value = StrictJsonReader.defaults().read("{\"token\": \"abc\"}");
 * }</pre>
 *
 * <p>Values are read as {@link Map} (insertion-ordered, unmodifiable, {@code String} keys), {@link List}
 * (unmodifiable), {@link String}, {@link Long} (an integer without fraction or exponent that fits in a
 * {@code long}; {@code -0} reads as {@code 0}), {@link BigDecimal} (any other number), {@link Boolean}, and
 * {@link #NULL} for JSON {@code null} (so no value is a Java {@code null}).
 *
 * <p>Refused, with a {@link MalformedJsonException}: input longer than the length cap (checked first, before
 * parsing), containers nested deeper than the depth cap, a duplicate key in an object (compared after unescaping),
 * an escape or a character that is an unpaired UTF-16 surrogate, a raw control character (U+0000 to U+001F) in a
 * string, whitespace other than space, tab, line feed and carriage return (a byte order mark included), a number
 * outside the RFC 8259 grammar or longer than {@value #MAX_NUMBER_LENGTH} characters or out of
 * {@link BigDecimal}'s range, anything after the value, and, for bytes, invalid UTF-8. Error messages are a short
 * fixed reason and an offset; they never contain the input.
 *
 * <p>Immutable and thread-safe. Recursion is bounded by the depth cap, itself at most {@value #MAX_DEPTH_LIMIT}.
 */
public final class StrictJsonReader {
  /** JSON {@code null} as read. */
  public static final Object NULL = new Object() {
    @Override
    public String toString() {
      return "null";
    }
  };

  /** The default nesting cap: 64 containers. */
  public static final int DEFAULT_MAX_DEPTH = 64;
  /** The default length cap: 1 MiB characters (or bytes, for {@link #read(ByteBuffer)}). */
  public static final int DEFAULT_MAX_LENGTH = 1 << 20;
  /** The largest depth cap accepted, which keeps recursion far from a stack overflow. */
  public static final int MAX_DEPTH_LIMIT = 512;
  /** The longest number read; a longer one is refused before any conversion, whose cost grows with length. */
  public static final int MAX_NUMBER_LENGTH = 1000;

  private static final StrictJsonReader DEFAULTS = new StrictJsonReader(DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH);

  private final int maxDepth;
  private final int maxLength;

  private StrictJsonReader(int maxDepth, int maxLength) {
    this.maxDepth = maxDepth;
    this.maxLength = maxLength;
  }

  /** A reader with {@link #DEFAULT_MAX_DEPTH} and {@link #DEFAULT_MAX_LENGTH}. */
  public static StrictJsonReader defaults() {
    return DEFAULTS;
  }

  /**
   * A reader with the given caps.
   *
   * @param maxDepth the most containers nested in one another, 1 to {@value #MAX_DEPTH_LIMIT}
   * @param maxLength the longest input in characters (bytes for {@link #read(ByteBuffer)}), at least 1
   * @throws IllegalArgumentException if a cap is out of range
   */
  public static StrictJsonReader withLimits(int maxDepth, int maxLength) {
    if (maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT) {
      throw new IllegalArgumentException("maximum depth must be between 1 and " + MAX_DEPTH_LIMIT);
    }
    if (maxLength < 1) {
      throw new IllegalArgumentException("maximum length must be positive");
    }
    return new StrictJsonReader(maxDepth, maxLength);
  }

  /**
   * Reads one JSON value that must make up the whole text (surrounding JSON whitespace allowed).
   *
   * @throws MalformedJsonException if the text is not strict JSON within the caps
   * @throws NullPointerException if {@code text} is null
   */
  public Object read(String text) throws MalformedJsonException {
    if (text.length() > maxLength) {
      throw new MalformedJsonException("input too long", 0);
    }
    return new Parser(text, maxDepth).document();
  }

  /**
   * Reads one JSON value from UTF-8 bytes (position to limit; the buffer is not moved), decoded strictly: invalid
   * UTF-8 (overlong forms, encoded surrogates, truncated sequences) is refused. The length cap counts bytes.
   *
   * @throws MalformedJsonException if the bytes are not strict UTF-8 JSON within the caps
   * @throws NullPointerException if {@code utf8} is null
   */
  public Object read(ByteBuffer utf8) throws MalformedJsonException {
    if (utf8.remaining() > maxLength) {
      throw new MalformedJsonException("input too long", 0);
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer chars;
    try {
      chars = decoder.decode(utf8.duplicate());
    } catch (CharacterCodingException e) {
      throw new MalformedJsonException("invalid UTF-8", 0);
    }
    return new Parser(chars.toString(), maxDepth).document();
  }

  /**
   * Reads a JSON object that must make up the whole text.
   *
   * @throws MalformedJsonException if the text is not strict JSON within the caps, or not an object
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> readObject(String text) throws MalformedJsonException {
    Object value = read(text);
    if (!(value instanceof Map)) {
      throw new MalformedJsonException("not an object", 0);
    }
    return (Map<String, Object>) value;
  }

  @Override
  public String toString() {
    return "StrictJsonReader[maxDepth=" + maxDepth + ", maxLength=" + maxLength + "]";
  }

  /**
   * Why a text was refused: a short fixed {@link #reason()} and the character {@link #offset()} where it was
   * found. The message never contains the input. No stack trace is captured (refusals are expected, and cheap).
   */
  public static final class MalformedJsonException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;
    private final int offset;

    MalformedJsonException(String reason, int offset) {
      super(reason + " at offset " + offset, null, false, false);
      this.reason = reason;
      this.offset = offset;
    }

    /** The fixed reason, e.g. {@code "duplicate key"}. */
    public String reason() {
      return reason;
    }

    /** The offset in characters (0 for checks on the whole input: length, UTF-8, type). */
    public int offset() {
      return offset;
    }
  }

  /** One pass over one text; not thread-safe, used once. */
  private static final class Parser {
    private final String s;
    private final int maxDepth;
    private int pos;

    Parser(String s, int maxDepth) {
      this.s = s;
      this.maxDepth = maxDepth;
    }

    Object document() throws MalformedJsonException {
      skipWhitespace();
      Object value = value(0);
      skipWhitespace();
      if (pos < s.length()) {
        throw fail("trailing data");
      }
      return value;
    }

    private MalformedJsonException fail(String reason) {
      return new MalformedJsonException(reason, pos);
    }

    private MalformedJsonException failHere(String expected) {
      return fail(pos >= s.length() ? "unexpected end of input" : expected);
    }

    // RFC 8259 §2: ws = *( %x20 / %x09 / %x0A / %x0D ); nothing else, not even a byte order mark.
    private void skipWhitespace() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        pos++;
      }
    }

    private Object value(int depth) throws MalformedJsonException {
      if (pos >= s.length()) {
        throw fail("unexpected end of input");
      }
      char c = s.charAt(pos);
      switch (c) {
        case '{':
          return object(depth + 1);
        case '[':
          return array(depth + 1);
        case '"':
          return string();
        case 't':
          return literal("true", Boolean.TRUE);
        case 'f':
          return literal("false", Boolean.FALSE);
        case 'n':
          return literal("null", NULL);
        default:
          if (c == '-' || (c >= '0' && c <= '9')) {
            return number();
          }
          throw fail("expected a value");
      }
    }

    private Object literal(String word, Object value) throws MalformedJsonException {
      if (!s.startsWith(word, pos)) {
        throw fail("invalid literal");
      }
      pos += word.length();
      return value;
    }

    private Map<String, Object> object(int depth) throws MalformedJsonException {
      if (depth > maxDepth) {
        throw fail("nesting too deep");
      }
      pos++;
      Map<String, Object> members = new LinkedHashMap<>();
      skipWhitespace();
      // One exit for empty and non-empty objects: the closing brace is consumed after the loop.
      boolean more = pos >= s.length() || s.charAt(pos) != '}';
      while (more) {
        if (pos >= s.length() || s.charAt(pos) != '"') {
          throw failHere("expected a string key");
        }
        int keyStart = pos;
        String key = string();
        skipWhitespace();
        if (pos >= s.length() || s.charAt(pos) != ':') {
          throw failHere("expected ':'");
        }
        pos++;
        skipWhitespace();
        Object value = value(depth);
        // RFC 8259 §4 leaves duplicate names' meaning open; parsers disagree on which wins, so refuse them.
        if (members.putIfAbsent(key, value) != null) {
          pos = keyStart;
          throw fail("duplicate key");
        }
        skipWhitespace();
        more = separator('}', "expected ',' or '}'");
      }
      pos++; // '}'
      return Collections.unmodifiableMap(members);
    }

    private List<Object> array(int depth) throws MalformedJsonException {
      if (depth > maxDepth) {
        throw fail("nesting too deep");
      }
      pos++;
      List<Object> elements = new ArrayList<>();
      skipWhitespace();
      boolean more = pos >= s.length() || s.charAt(pos) != ']';
      while (more) {
        elements.add(value(depth));
        skipWhitespace();
        more = separator(']', "expected ',' or ']'");
      }
      pos++; // ']'
      return Collections.unmodifiableList(elements);
    }

    /**
     * After a member or element: true past a comma (and the whitespace after it), false at {@code close} (not
     * consumed).
     */
    private boolean separator(char close, String expected) throws MalformedJsonException {
      if (pos >= s.length()) {
        throw fail("unexpected end of input");
      }
      char c = s.charAt(pos);
      if (c == close) {
        return false;
      }
      if (c != ',') {
        throw fail(expected);
      }
      pos++;
      skipWhitespace();
      return true;
    }

    private String string() throws MalformedJsonException {
      pos++; // opening quote
      StringBuilder out = null;
      int runStart = pos;
      while (true) {
        if (pos >= s.length()) {
          throw fail("unexpected end of input");
        }
        char c = s.charAt(pos);
        if (c == '"') {
          String result = out == null ? s.substring(runStart, pos) : out.append(s, runStart, pos).toString();
          pos++;
          return result;
        }
        if (c < 0x20) {
          throw fail("control character in string");
        }
        if (c == '\\') {
          if (out == null) {
            out = new StringBuilder();
          }
          out.append(s, runStart, pos);
          escape(out);
          runStart = pos;
        } else if (Character.isSurrogate(c)) {
          // A raw surrogate must be the first half of a raw pair (a String built from bytes we did not decode).
          if (Character.isHighSurrogate(c) && pos + 1 < s.length() && Character.isLowSurrogate(s.charAt(pos + 1))) {
            pos += 2;
          } else {
            throw fail("unpaired surrogate");
          }
        } else {
          pos++;
        }
      }
    }

    private void escape(StringBuilder out) throws MalformedJsonException {
      int start = pos;
      pos++; // backslash
      if (pos >= s.length()) {
        throw fail("unexpected end of input");
      }
      char c = s.charAt(pos++);
      switch (c) {
        case '"' -> out.append('"');
        case '\\' -> out.append('\\');
        case '/' -> out.append('/');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          char unit = hex4(start);
          if (Character.isLowSurrogate(unit)) {
            pos = start;
            throw fail("unpaired surrogate");
          }
          if (Character.isHighSurrogate(unit)) {
            // RFC 8259 §7: a character outside the BMP is escaped as a pair; half a pair is no character.
            int second = pos;
            if (!s.startsWith("\\u", pos)) {
              pos = start;
              throw fail("unpaired surrogate");
            }
            pos += 2;
            char low = hex4(second);
            if (!Character.isLowSurrogate(low)) {
              pos = start;
              throw fail("unpaired surrogate");
            }
            out.append(unit).append(low);
          } else {
            out.append(unit);
          }
        }
        default -> {
          pos = start;
          throw fail("invalid escape");
        }
      }
    }

    /** Reads four hex digits at {@link #pos}; {@code escapeStart} is where a failure is reported. */
    private char hex4(int escapeStart) throws MalformedJsonException {
      if (pos + 4 > s.length()) {
        pos = escapeStart;
        throw fail("invalid escape");
      }
      int v = 0;
      for (int i = 0; i < 4; i++) {
        int d = hexDigit(s.charAt(pos + i));
        if (d < 0) {
          pos = escapeStart;
          throw fail("invalid escape");
        }
        v = (v << 4) | d;
      }
      pos += 4;
      return (char) v;
    }

    // RFC 8259 §6: number = [ minus ] int [ frac ] [ exp ]; int = zero / ( digit1-9 *DIGIT ).
    private Object number() throws MalformedJsonException {
      int start = pos;
      if (s.charAt(pos) == '-') {
        pos++;
      }
      if (pos >= s.length() || !isDigit(s.charAt(pos))) {
        pos = start;
        throw fail("invalid number");
      }
      if (s.charAt(pos) == '0') {
        pos++;
        if (pos < s.length() && isDigit(s.charAt(pos))) {
          pos = start;
          throw fail("invalid number");
        }
      } else {
        skipDigits();
      }
      boolean integer = true;
      if (pos < s.length() && s.charAt(pos) == '.') {
        integer = false;
        pos++;
        if (skipDigits() == 0) {
          pos = start;
          throw fail("invalid number");
        }
      }
      if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
        integer = false;
        pos++;
        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
          pos++;
        }
        if (skipDigits() == 0) {
          pos = start;
          throw fail("invalid number");
        }
      }
      if (pos - start > MAX_NUMBER_LENGTH) {
        pos = start;
        throw fail("number too long");
      }
      String text = s.substring(start, pos);
      if (integer && pos - start <= 20) {
        try {
          return Long.parseLong(text);
        } catch (NumberFormatException e) {
          // beyond long: a BigDecimal below
        }
      }
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException | ArithmeticException e) {
        // The grammar was checked, so this is an exponent beyond BigDecimal's int scale.
        pos = start;
        throw fail("number out of range");
      }
    }

    private int skipDigits() {
      int from = pos;
      while (pos < s.length() && isDigit(s.charAt(pos))) {
        pos++;
      }
      return pos - from;
    }

    /** Only 0-9, a-f and A-F: {@link Character#digit} would also take non-ASCII digits such as fullwidth ones. */
    private static int hexDigit(char c) {
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

    private static boolean isDigit(char c) {
      return c >= '0' && c <= '9';
    }
  }
}
