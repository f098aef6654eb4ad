package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Parses Python literal notation into Jelly values: {@code None}, {@code True}, {@code False},
 * integers of any size, floats (also {@code inf}, {@code nan}), {@code 'text'}, {@code b'bytes'},
 * {@code [lists]}, {@code (tuples,)}, {@code {dicts: 1}}, {@code {sets}}, and the calls {@code
 * set(...)}, {@code frozenset(...)}, {@code float('-inf')}, {@code Decimal('1.5')}, {@code
 * datetime.datetime(2020, 7, 11, 1, 16)}, {@code datetime.date(...)}, {@code datetime.time(...)}
 * and {@code datetime.timedelta(days=-1, seconds=5)}, with positional or keyword arguments as
 * Python takes them. The notation of {@code pb call} arguments and of {@link
 * io.github.pb4j.jelly.PythonRepr}'s output, so {@code parse(PythonRepr.of(v))} gives back {@code
 * v} for these types.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class PythonLiteral {
  /** The names that may be called, each building one data-model type. */
  private static final Set<String> CALLS = Set.of("set", "frozenset", "float", "Decimal",
      "decimal.Decimal", "datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta");

  private final String text;
  private int pos;

  private PythonLiteral(String text) {
    this.text = text;
  }

  /**
   * Parses one literal.
   *
   * @throws IllegalArgumentException naming the position of the first error
   */
  public static @Nullable Object parse(String text) {
    PythonLiteral p = new PythonLiteral(text);
    Object value = p.value();
    p.skipSpace();
    if (p.pos != text.length()) {
      throw p.error("unexpected text after the value");
    }
    return value;
  }

  private @Nullable Object value() {
    skipSpace();
    if (pos >= text.length()) {
      throw error("value expected");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '[': {
        pos++;
        List<@Nullable Object> list = new ArrayList<>();
        items(']', list);
        return list;
      }
      case '(': {
        pos++;
        List<@Nullable Object> items = new ArrayList<>();
        boolean trailingComma = items(')', items);
        if (items.size() == 1 && !trailingComma) {
          return items.get(0);
        }
        return Tuple.copyOf(items);
      }
      case '{':
        return braces();
      case '\'':
      case '"':
        return string();
      default:
        break;
    }
    if ((c == 'b' || c == 'B') && pos + 1 < text.length()
        && (text.charAt(pos + 1) == '\'' || text.charAt(pos + 1) == '"')) {
      pos++;
      return bytes();
    }
    if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) {
      return number();
    }
    return word();
  }

  /** Reads comma-separated values up to {@code close}; returns true if a trailing comma was seen. */
  private boolean items(char close, List<@Nullable Object> out) {
    boolean trailingComma = false;
    while (true) {
      skipSpace();
      if (peek(close)) {
        pos++;
        return trailingComma;
      }
      out.add(value());
      skipSpace();
      trailingComma = false;
      if (peek(',')) {
        pos++;
        trailingComma = true;
      } else if (!peek(close)) {
        throw error("expected ',' or '" + close + "'");
      }
    }
  }

  private Object braces() {
    pos++;
    skipSpace();
    if (peek('}')) {
      pos++;
      return new LinkedHashMap<>();
    }
    Object first = value();
    skipSpace();
    if (peek(':')) {
      Map<@Nullable Object, @Nullable Object> map = new LinkedHashMap<>();
      pos++;
      map.put(first, value());
      while (true) {
        skipSpace();
        if (peek('}')) {
          pos++;
          return map;
        }
        expect(',');
        skipSpace();
        if (peek('}')) {
          pos++;
          return map;
        }
        Object key = value();
        skipSpace();
        expect(':');
        map.put(key, value());
      }
    }
    Set<@Nullable Object> set = new LinkedHashSet<>();
    set.add(first);
    skipSpace();
    if (peek(',')) {
      pos++;
      List<@Nullable Object> rest = new ArrayList<>();
      items('}', rest);
      set.addAll(rest);
    } else {
      expect('}');
    }
    return set;
  }

  private @Nullable Object word() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_'
        || text.charAt(pos) == '.')) {
      pos++;
    }
    String w = text.substring(start, pos);
    switch (w) {
      case "None":
        return null;
      case "True":
        return Boolean.TRUE;
      case "False":
        return Boolean.FALSE;
      case "inf":
        return Double.POSITIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        break;
    }
    skipSpace();
    if (w.isEmpty() || !peek('(') || !CALLS.contains(w)) {
      pos = start;
      throw error(w.isEmpty() ? "value expected" : "unknown name '" + w + "'");
    }
    pos++;
    Arguments args = arguments();
    try {
      return call(w, args);
    } catch (IllegalArgumentException | ArithmeticException | DateTimeException e) {
      pos = start;
      throw error(w + "(): " + e.getMessage());
    }
  }

  /** The positional and keyword arguments of a call, in the order written. */
  private record Arguments(List<@Nullable Object> positional, Map<String, @Nullable Object> keywords) {
    /** Binds the arguments to Python's parameter names; a parameter not passed is absent. */
    Map<String, @Nullable Object> bind(String... names) {
      if (positional.size() > names.length) {
        throw new IllegalArgumentException(
            "too many arguments: " + positional.size() + " (expected: <=" + names.length + ")");
      }
      Map<String, @Nullable Object> bound = new LinkedHashMap<>();
      for (int i = 0; i < positional.size(); i++) {
        bound.put(names[i], positional.get(i));
      }
      List<String> known = List.of(names);
      for (Map.Entry<String, @Nullable Object> e : keywords.entrySet()) {
        if (!known.contains(e.getKey())) {
          throw new IllegalArgumentException("unexpected keyword argument '" + e.getKey() + "'");
        }
        if (bound.containsKey(e.getKey())) {
          throw new IllegalArgumentException("argument '" + e.getKey() + "' given twice");
        }
        bound.put(e.getKey(), e.getValue());
      }
      return bound;
    }
  }

  /** Reads call arguments after the '(' up to and including the ')'. */
  private Arguments arguments() {
    List<@Nullable Object> positional = new ArrayList<>();
    Map<String, @Nullable Object> keywords = new LinkedHashMap<>();
    while (true) {
      skipSpace();
      if (peek(')')) {
        pos++;
        return new Arguments(positional, keywords);
      }
      String keyword = keyword();
      if (keyword != null) {
        if (keywords.put(keyword, value()) != null) {
          throw error("keyword argument repeated");
        }
      } else if (keywords.isEmpty()) {
        positional.add(value());
      } else {
        throw error("positional argument follows keyword argument");
      }
      skipSpace();
      if (peek(',')) {
        pos++;
      } else if (!peek(')')) {
        throw error("expected ',' or ')'");
      }
    }
  }

  /** Reads {@code name=} at pos and returns the name, or returns null leaving pos unchanged. */
  private @Nullable String keyword() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    String name = text.substring(start, pos);
    skipSpace();
    if (!name.isEmpty() && Character.isLetter(name.charAt(0)) && peek('=') && !text.startsWith("==", pos)) {
      pos++;
      return name;
    }
    pos = start;
    return null;
  }

  private static Object call(String name, Arguments args) {
    switch (name) {
      case "set":
        return new LinkedHashSet<>(iterable(args.bind("iterable").get("iterable")));
      case "frozenset":
        return FrozenSet.copyOf(iterable(args.bind("iterable").get("iterable")));
      case "float":
        return toFloat(args.bind("x").getOrDefault("x", 0.0));
      case "Decimal":
      case "decimal.Decimal":
        return toDecimal(args.bind("value").getOrDefault("value", "0"));
      case "datetime.datetime": {
        Map<String, @Nullable Object> a =
            args.bind("year", "month", "day", "hour", "minute", "second", "microsecond");
        return LocalDateTime.of(LocalDate.of(required(a, "year"), required(a, "month"), required(a, "day")), clock(a));
      }
      case "datetime.date": {
        Map<String, @Nullable Object> a = args.bind("year", "month", "day");
        return LocalDate.of(required(a, "year"), required(a, "month"), required(a, "day"));
      }
      case "datetime.time":
        return clock(args.bind("hour", "minute", "second", "microsecond"));
      case "datetime.timedelta": {
        Map<String, @Nullable Object> a = args.bind(
            "days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks");
        return Duration.ofDays(Math.multiplyExact(integer(a, "weeks"), 7))
            .plusDays(integer(a, "days"))
            .plusHours(integer(a, "hours"))
            .plusMinutes(integer(a, "minutes"))
            .plusSeconds(integer(a, "seconds"))
            .plusMillis(integer(a, "milliseconds"))
            .plusNanos(Math.multiplyExact(integer(a, "microseconds"), 1000));
      }
      default:
        throw new AssertionError(name);
    }
  }

  private static LocalTime clock(Map<String, @Nullable Object> a) {
    return LocalTime.of(Math.toIntExact(integer(a, "hour")), Math.toIntExact(integer(a, "minute")),
        Math.toIntExact(integer(a, "second")),
        Math.toIntExact(Math.multiplyExact(integer(a, "microsecond"), 1000)));
  }

  private static int required(Map<String, @Nullable Object> a, String name) {
    if (!a.containsKey(name)) {
      throw new IllegalArgumentException("missing argument '" + name + "'");
    }
    return Math.toIntExact(integer(a, name));
  }

  /** Returns an integer argument; 0 if absent. */
  private static long integer(Map<String, @Nullable Object> a, String name) {
    Object v = a.getOrDefault(name, 0);
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.longValueExact();
    }
    throw new IllegalArgumentException("'" + name + "' must be an integer: " + PythonRepr.of(v));
  }

  private static java.util.Collection<?> iterable(@Nullable Object v) {
    if (v == null) {
      return List.of();
    }
    if (v instanceof java.util.Collection<?> c) {
      return c;
    }
    if (v instanceof Tuple t) {
      return t.asList();
    }
    throw new IllegalArgumentException("a set, list or tuple expected: " + PythonRepr.of(v));
  }

  private static Object toFloat(@Nullable Object v) {
    if (v instanceof String s) {
      Object n = number(s.strip());
      if (n != null) {
        return n instanceof Double ? n : ((Number) n).doubleValue();
      }
      throw new IllegalArgumentException("could not convert string to float: " + PythonRepr.of(v));
    }
    if (v instanceof Number n && !(v instanceof BigDecimal)) {
      return n.doubleValue();
    }
    throw new IllegalArgumentException("a string or number expected: " + PythonRepr.of(v));
  }

  private static BigDecimal toDecimal(@Nullable Object v) {
    try {
      if (v instanceof String s) {
        return new BigDecimal(s.strip());
      }
      if (v instanceof Integer || v instanceof Long || v instanceof BigInteger) {
        return new BigDecimal(v.toString());
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid Decimal: " + PythonRepr.of(v));
    }
    throw new IllegalArgumentException("a string or integer expected: " + PythonRepr.of(v));
  }

  private Object number() {
    int start = pos;
    if (peek('-') || peek('+')) {
      pos++;
    }
    if (text.startsWith("inf", pos) || text.startsWith("nan", pos)) {
      pos += 3;
    }
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.'
        || text.charAt(pos) == '_'
        || ((text.charAt(pos) == '-' || text.charAt(pos) == '+') && (text.charAt(pos - 1) == 'e' || text.charAt(pos - 1) == 'E')))) {
      pos++;
    }
    String s = text.substring(start, pos).replace("_", "");
    Object n = number(s);
    if (n == null) {
      pos = start;
      throw error("invalid number '" + s + "'");
    }
    return n;
  }

  private static @Nullable Object number(String s) {
    String lower = s.toLowerCase();
    switch (lower) {
      case "inf":
      case "+inf":
      case "infinity":
      case "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf":
      case "-infinity":
        return Double.NEGATIVE_INFINITY;
      case "nan":
      case "+nan":
      case "-nan":
        return Double.NaN;
      default:
        break;
    }
    try {
      boolean negative = lower.startsWith("-");
      String digits = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
      int radix = 10;
      if (digits.startsWith("0x")) {
        radix = 16;
      } else if (digits.startsWith("0o")) {
        radix = 8;
      } else if (digits.startsWith("0b")) {
        radix = 2;
      }
      if (radix != 10) {
        BigInteger v = new BigInteger(digits.substring(2), radix);
        return narrow(negative ? v.negate() : v);
      }
      if (digits.matches("[0-9]+")) {
        BigInteger v = new BigInteger(digits);
        return narrow(negative ? v.negate() : v);
      }
      return Double.parseDouble(lower);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Number narrow(BigInteger v) {
    return io.github.pb4j.banana.BananaDecoder.narrow(v);
  }

  private String string() {
    if (!peek('\'') && !peek('"')) {
      throw error("string expected");
    }
    return new String(quoted(false), java.nio.charset.StandardCharsets.UTF_8);
  }

  private ByteString bytes() {
    return ByteString.of(quoted(true));
  }

  /** Reads a quoted literal at pos (the quote) and returns its bytes (UTF-8 for text). */
  private byte[] quoted(boolean bytes) {
    char quote = text.charAt(pos++);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        break;
      }
      if (c != '\\') {
        if (bytes && c > 0x7f) {
          throw error("bytes can only contain ASCII literal characters");
        }
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'n': sb.append('\n'); break;
        case 't': sb.append('\t'); break;
        case 'r': sb.append('\r'); break;
        case '0': sb.append('\0'); break;
        case 'a': sb.append('\007'); break;
        case 'b': sb.append('\b'); break;
        case 'f': sb.append('\f'); break;
        case 'v': sb.append('\013'); break;
        case '\\': sb.append('\\'); break;
        case '\'': sb.append('\''); break;
        case '"': sb.append('"'); break;
        case '\n': break;
        case 'x': {
          int v = hex(2);
          if (bytes) {
            flush(sb, out, true);
            out.write(v);
          } else {
            sb.append((char) v);
          }
          break;
        }
        case 'u':
          if (bytes) {
            sb.append("\\u");
          } else {
            sb.append((char) hex(4));
          }
          break;
        case 'U':
          if (bytes) {
            sb.append("\\U");
          } else {
            sb.appendCodePoint(hex(8));
          }
          break;
        default:
          sb.append('\\').append(e);
      }
    }
    flush(sb, out, bytes);
    return out.toByteArray();
  }

  private static void flush(StringBuilder sb, ByteArrayOutputStream out, boolean latin1) {
    byte[] b = sb.toString().getBytes(latin1 ? java.nio.charset.StandardCharsets.ISO_8859_1
        : java.nio.charset.StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
    sb.setLength(0);
  }

  private int hex(int digits) {
    if (pos + digits > text.length()) {
      throw error("truncated escape");
    }
    try {
      int v = Integer.parseInt(text.substring(pos, pos + digits), 16);
      pos += digits;
      return v;
    } catch (NumberFormatException e) {
      throw error("invalid escape");
    }
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) {
    skipSpace();
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(
        "python literal: " + what + " at position " + pos + " in " + abbreviate(text));
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }
}
