package io.github.wsauth.examples.demo;

/** Just enough JSON writing for the demo's small answers. */
final class Json {
  private Json() {}

  /** {@code s} as a JSON string literal, quotes included. */
  static String string(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          // Escaping < > & keeps the JSON safe to inline into HTML as well.
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    return out.append('"').toString();
  }

  /**
   * The token of an in-band re-authentication message: a JSON object whose only member is {@code "token"}, a string
   * (whitespace allowed around the tokens of the JSON text). Anything else, malformed JSON included, is not one
   * (empty).
   */
  static java.util.Optional<String> tokenMessage(String text) {
    Reader r = new Reader(text);
    try {
      r.skip();
      r.expect('{');
      r.skip();
      if (!"token".equals(r.string())) {
        return java.util.Optional.empty();
      }
      r.skip();
      r.expect(':');
      r.skip();
      String token = r.string();
      r.skip();
      r.expect('}');
      r.skip();
      return r.atEnd() ? java.util.Optional.of(token) : java.util.Optional.empty();
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  /** A strict reader of the few JSON tokens {@link #tokenMessage} needs; throws on anything unexpected. */
  private static final class Reader {
    private final String s;
    private int i;

    Reader(String s) {
      this.s = s;
    }

    void skip() {
      while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n'
          || s.charAt(i) == '\r')) {
        i++;
      }
    }

    boolean atEnd() {
      return i == s.length();
    }

    void expect(char c) {
      if (i >= s.length() || s.charAt(i) != c) {
        throw new IllegalArgumentException("expected " + c);
      }
      i++;
    }

    String string() {
      expect('"');
      StringBuilder out = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw new IllegalArgumentException("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == '"') {
          return out.toString();
        }
        if (c < 0x20) {
          throw new IllegalArgumentException("control character");
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        if (i >= s.length()) {
          throw new IllegalArgumentException("bad escape");
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"': case '\\': case '/':
            out.append(e);
            break;
          case 'b':
            out.append('\b');
            break;
          case 'f':
            out.append('\f');
            break;
          case 'n':
            out.append('\n');
            break;
          case 'r':
            out.append('\r');
            break;
          case 't':
            out.append('\t');
            break;
          case 'u':
            if (i + 4 > s.length()) {
              throw new IllegalArgumentException("bad escape");
            }
            int cp = 0;
            for (int k = 0; k < 4; k++) {
              int d = Character.digit(s.charAt(i++), 16);
              if (d < 0) {
                throw new IllegalArgumentException("bad escape");
              }
              cp = cp << 4 | d;
            }
            out.append((char) cp);
            break;
          default:
            throw new IllegalArgumentException("bad escape");
        }
      }
    }
  }
}
