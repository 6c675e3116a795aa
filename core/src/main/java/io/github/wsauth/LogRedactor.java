package io.github.wsauth;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds credentials in free text (log messages, exception messages, raw request dumps) and masks them; the engine
 * of {@link RedactingLogFilter}. Where the text is a URI or a header, {@link Redaction} decides what stays.
 * Immutable and thread-safe.
 */
final class LogRedactor {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  /** An absolute URI: masked as {@link Redaction#uri(String)} does (user info, query, fragment). */
  private static final Pattern ABSOLUTE_URI =
      Pattern.compile("(?i)(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]*://[^\\s\"'<>\\[\\]{}|\\\\^`]+");

  /**
   * {@code Name: value} or {@code name=value} / {@code name=[value]} of a header that carries credentials; where
   * the value ends is found by {@link #headerValueEnd(String, int)}.
   */
  private static final Pattern HEADER = Pattern.compile("(?i)(?<![A-Za-z0-9_-])("
      + Redaction.SECRET_HEADERS.stream().map(Pattern::quote).collect(Collectors.joining("|"))
      + ")(\\s*[:=][ \\t]*\\[?)");

  /** {@code , Other-Name:} or {@code , other-name=}: the next entry of a one-line header dump. */
  private static final Pattern NEXT_ENTRY = Pattern.compile(",\\s?[A-Za-z0-9_-]+\\s*[:=]");

  /** A subprotocol entry carrying a token, wherever it appears. */
  private static final Pattern SUBPROTOCOL_TOKEN = Pattern.compile("(?i)("
      + Pattern.quote(CredentialExtractor.DEFAULT_SUBPROTOCOL_PREFIX) + ")[^\\s,;\"'\\[\\]]+");

  /**
   * An RFC 7235 {@code token68} of 8 characters or more after {@code Basic} or {@code Bearer}, even without its
   * header name; it must hold a digit, an upper-case letter or a symbol after its first character, so that prose
   * ("Basic credentials") stays readable.
   */
  private static final Pattern SCHEME_CREDENTIAL = Pattern.compile("(?<![A-Za-z0-9])((?i:Basic|Bearer))(\\s+)"
      + "[A-Za-z0-9._~+/-](?=[A-Za-z0-9._~+/-]*[0-9A-Z._~+/-])[A-Za-z0-9._~+/-]{7,}=*");

  /** Anything shaped like a JWS compact serialisation (header {@code {"} is {@code eyJ} in base64url). */
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  private final Set<String> parameters;
  private final Pattern parameter;
  private final Pattern jsonMember;

  LogRedactor(Iterable<String> names) {
    Set<String> lower = new LinkedHashSet<>();
    for (String n : names) {
      if (n == null || !NAME.matcher(n).matches()) {
        throw new IllegalArgumentException("parameter name must be letters, digits, '-', '_' or '.': " + n);
      }
      lower.add(n.toLowerCase(Locale.ROOT));
    }
    if (lower.isEmpty()) {
      throw new IllegalArgumentException("at least one parameter name is needed");
    }
    this.parameters = Set.copyOf(lower);
    String alternatives = lower.stream().map(Pattern::quote).collect(Collectors.joining("|"));
    // name=value as in a query string or a form; the value ends where a query, a bracket or a quote would.
    this.parameter = Pattern.compile("(?i)(?<![A-Za-z0-9_.-])(" + alternatives + ")(=)[^&;#\\s\"'<>\\[\\]]+");
    // Unrolled ("[^\"\\]*(\\.[^\"\\]*)*") so that a long string does not recurse once per character.
    this.jsonMember = Pattern.compile(
        "(?i)(\"(?:" + alternatives + ")\"\\s*:\\s*\")[^\"\\\\]*(?:\\\\.[^\"\\\\]*)*(\")");
  }

  Set<String> parameters() {
    return parameters;
  }

  String redact(String text) {
    String s = replace(ABSOLUTE_URI, text, m -> Redaction.uri(m.group()));
    s = redactHeaders(s);
    s = replace(parameter, s, m -> m.group(1) + m.group(2) + Redaction.MASK);
    s = replace(jsonMember, s, m -> m.group(1) + Redaction.MASK + m.group(2));
    s = replace(SUBPROTOCOL_TOKEN, s, m -> m.group(1) + Redaction.MASK);
    s = replace(SCHEME_CREDENTIAL, s, m -> m.group(1) + m.group(2) + Redaction.MASK);
    return replace(JWT, s, m -> Redaction.MASK);
  }

  private static String redactHeaders(String text) {
    Matcher m = HEADER.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    do {
      int valueStart = m.end();
      int valueEnd = headerValueEnd(text, valueStart);
      String value = text.substring(valueStart, valueEnd);
      out.append(text, last, valueStart);
      out.append(value.isBlank() ? value : Redaction.header(m.group(1), value));
      last = valueEnd;
    } while (m.find(last)); // last <= text.length(): find(length) is false
    return out.append(text, last, text.length()).toString();
  }

  /**
   * Where a header value that starts at {@code from} ends: at a line break not followed by a space or tab (RFC
   * 9112 5.2: obs-fold continues the value), at a closing bracket, brace or quote, or at the next {@code ,
   * Other-Name:} of a one-line dump (Netty's {@code DefaultHttpHeaders[...]}, a map's {@code toString()}). A loop,
   * not a regular expression: values can be long and hostile.
   */
  static int headerValueEnd(String text, int from) {
    Matcher next = NEXT_ENTRY.matcher(text);
    int n = text.length();
    for (int i = from; i < n; i++) {
      char c = text.charAt(i);
      if (c == ']' || c == '}' || c == '"') {
        return i;
      }
      if (c == '\r' || c == '\n') {
        int j = c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? i + 2 : i + 1;
        if (j < n && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
          i = j;
          continue;
        }
        return i;
      }
      if (c == ',' && next.region(i, n).lookingAt()) {
        return i;
      }
    }
    return n;
  }

  private static String replace(Pattern pattern, String text, Function<Matcher, String> replacement) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    do {
      out.append(text, last, m.start()).append(replacement.apply(m));
      last = m.end();
    } while (m.find());
    return out.append(text, last, text.length()).toString();
  }
}
