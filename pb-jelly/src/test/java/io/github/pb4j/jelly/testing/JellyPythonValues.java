package io.github.pb4j.jelly.testing;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.FrozenSet;
import io.github.pb4j.jelly.Tuple;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
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
 * Parses the Python literals of {@code jelly.json} ({@code python_repr}, {@code result_repr}) into
 * values of the Jelly data model, in the form {@link io.github.pb4j.jelly.Unjellier} returns them:
 *
 * <ul>
 *   <li>{@code None}, {@code True}, {@code False};
 *   <li>integers as the smallest of {@link Integer}, {@link Long}, {@link BigInteger}; unary
 *       {@code -}, {@code **} and {@code *} on integers;
 *   <li>floats as {@link Double}, including {@code inf}, {@code nan}, {@code -0.0} and {@code
 *       float('...')};
 *   <li>{@code b'..'} as {@link ByteString} and {@code '..'} as {@link String}, with Python's
 *       escapes; {@code 'x' * 100} repetition;
 *   <li>lists ({@link ArrayList}), tuples ({@link Tuple}), dicts ({@link LinkedHashMap}), sets
 *       ({@link LinkedHashSet}), {@code set()}, {@code frozenset(...)} ({@link FrozenSet});
 *   <li>{@code datetime.datetime/date/time/timedelta(...)} as {@link LocalDateTime}, {@link
 *       LocalDate}, {@link LocalTime}, {@link Duration}; {@code Decimal('...')} as {@link
 *       BigDecimal}.
 * </ul>
 *
 * <p>Anything else fails with {@link IllegalArgumentException}, so a new kind of vector cannot be
 * misread silently.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class JellyPythonValues {
  private final String text;
  private int pos;

  private JellyPythonValues(String text) {
    this.text = text;
  }

  /**
   * Returns the value of the Python expression {@code text}.
   *
   * @throws IllegalArgumentException if the expression is not one this parser supports
   */
  public static @Nullable Object parse(String text) {
    JellyPythonValues parser = new JellyPythonValues(text);
    Object value = parser.expression();
    parser.skipSpace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected input");
    }
    return value;
  }

  private @Nullable Object expression() {
    Object value = power();
    while (peek('*') && !peekText("**")) {
      pos++;
      Object times = power();
      value = multiply(value, times);
    }
    return value;
  }

  private @Nullable Object power() {
    skipSpace();
    if (peek('-')) {
      pos++;
      return negate(power());
    }
    Object base = atom();
    skipSpace();
    if (peekText("**")) {
      pos += 2;
      Object exponent = power();
      return BananaDecoder.narrow(integer(base).pow(integer(exponent).intValueExact()));
    }
    return base;
  }

  private @Nullable Object atom() {
    skipSpace();
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(pos);
    if (c == '\'' || c == '"') {
      return stringLiteral();
    }
    if (c == 'b' && pos + 1 < text.length() && (text.charAt(pos + 1) == '\'' || text.charAt(pos + 1) == '"')) {
      pos++;
      return bytesLiteral();
    }
    if (Character.isDigit(c) || c == '.') {
      return number();
    }
    if (c == '[') {
      pos++;
      return new ArrayList<>(items(']'));
    }
    if (c == '(') {
      return parenthesised();
    }
    if (c == '{') {
      return braces();
    }
    if (Character.isLetter(c) || c == '_') {
      return named(identifier());
    }
    throw error("unexpected character");
  }

  private @Nullable Object named(String name) {
    switch (name) {
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
        return call(name);
    }
  }

  private Object call(String name) {
    skipSpace();
    expect('(');
    List<@Nullable Object> args = new ArrayList<>();
    Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
    skipSpace();
    while (!peek(')')) {
      int save = pos;
      String keyword = Character.isLetter(text.charAt(pos)) ? identifier() : null;
      skipSpace();
      if (keyword != null && peek('=')) {
        pos++;
        kwargs.put(keyword, expression());
      } else {
        pos = save;
        args.add(expression());
      }
      skipSpace();
      if (peek(',')) {
        pos++;
        skipSpace();
      }
    }
    pos++;
    return construct(name, args, kwargs);
  }

  private Object construct(String name, List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
    switch (name) {
      case "float":
        return Double.parseDouble(pythonFloatName((String) single(args)));
      case "set":
        return args.isEmpty() ? new LinkedHashSet<>() : new LinkedHashSet<>((Set<?>) single(args));
      case "frozenset":
        return args.isEmpty() ? FrozenSet.of() : FrozenSet.copyOf((Set<?>) single(args));
      case "Decimal":
        return new BigDecimal((String) single(args));
      case "datetime.datetime": {
        int[] f = ints(args, 3, 7);
        return LocalDateTime.of(f[0], f[1], f[2], f[3], f[4], f[5], f[6] * 1000);
      }
      case "datetime.date": {
        int[] f = ints(args, 3, 3);
        return LocalDate.of(f[0], f[1], f[2]);
      }
      case "datetime.time": {
        int[] f = ints(args, 0, 4);
        return LocalTime.of(f[0], f[1], f[2], f[3] * 1000);
      }
      case "datetime.timedelta":
        return timedelta(args, kwargs);
      default:
        throw error("unsupported call " + name);
    }
  }

  private Duration timedelta(List<@Nullable Object> args, Map<String, @Nullable Object> kwargs) {
    String[] positional = {"days", "seconds", "microseconds"};
    Map<String, @Nullable Object> all = new LinkedHashMap<>(kwargs);
    for (int i = 0; i < args.size(); i++) {
      all.put(positional[i], args.get(i));
    }
    Duration d = Duration.ZERO;
    for (Map.Entry<String, @Nullable Object> e : all.entrySet()) {
      long n = integer(e.getValue()).longValueExact();
      switch (e.getKey()) {
        case "days":
          d = d.plusDays(n);
          break;
        case "hours":
          d = d.plusHours(n);
          break;
        case "minutes":
          d = d.plusMinutes(n);
          break;
        case "seconds":
          d = d.plusSeconds(n);
          break;
        case "microseconds":
          d = d.plusNanos(n * 1000);
          break;
        default:
          throw error("unsupported timedelta field " + e.getKey());
      }
    }
    return d;
  }

  private int[] ints(List<@Nullable Object> args, int min, int max) {
    if (args.size() < min || args.size() > max) {
      throw error("expected " + min + ".." + max + " arguments");
    }
    int[] result = new int[max];
    for (int i = 0; i < args.size(); i++) {
      result[i] = integer(args.get(i)).intValueExact();
    }
    return result;
  }

  private @Nullable Object single(List<@Nullable Object> args) {
    if (args.size() != 1) {
      throw error("expected one argument");
    }
    return args.get(0);
  }

  private static String pythonFloatName(String s) {
    switch (s.strip().toLowerCase()) {
      case "nan":
        return "NaN";
      case "inf":
      case "+inf":
      case "infinity":
        return "Infinity";
      case "-inf":
      case "-infinity":
        return "-Infinity";
      default:
        return s;
    }
  }

  private Object parenthesised() {
    int start = pos;
    pos++;
    skipSpace();
    if (peek(')')) {
      pos++;
      return Tuple.of();
    }
    Object first = expression();
    skipSpace();
    if (peek(')')) {
      pos++;
      return first; // (x) is just x
    }
    pos = start + 1;
    return Tuple.copyOf(items(')'));
  }

  private Object braces() {
    pos++;
    skipSpace();
    if (peek('}')) {
      pos++;
      return new LinkedHashMap<>();
    }
    Object first = expression();
    skipSpace();
    if (peek(':')) {
      pos++;
      Map<@Nullable Object, @Nullable Object> map = new LinkedHashMap<>();
      map.put(first, expression());
      skipSpace();
      while (peek(',')) {
        pos++;
        skipSpace();
        if (peek('}')) {
          break;
        }
        Object key = expression();
        skipSpace();
        expect(':');
        map.put(key, expression());
        skipSpace();
      }
      expect('}');
      return map;
    }
    Set<@Nullable Object> set = new LinkedHashSet<>();
    set.add(first);
    skipSpace();
    while (peek(',')) {
      pos++;
      skipSpace();
      if (peek('}')) {
        break;
      }
      set.add(expression());
      skipSpace();
    }
    expect('}');
    return set;
  }

  /** Reads comma-separated expressions up to {@code close}. */
  private List<@Nullable Object> items(char close) {
    List<@Nullable Object> items = new ArrayList<>();
    skipSpace();
    while (!peek(close)) {
      items.add(expression());
      skipSpace();
      if (peek(',')) {
        pos++;
        skipSpace();
      } else if (!peek(close)) {
        throw error("expected ',' or '" + close + "'");
      }
    }
    pos++;
    return items;
  }

  private Object number() {
    int start = pos;
    while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.'
        || ((text.charAt(pos) == '+' || text.charAt(pos) == '-') && Character.toLowerCase(text.charAt(pos - 1)) == 'e'))) {
      pos++;
    }
    String literal = text.substring(start, pos);
    if (literal.contains(".") || literal.toLowerCase().contains("e")) {
      return Double.parseDouble(literal);
    }
    return BananaDecoder.narrow(new BigInteger(literal));
  }

  private String stringLiteral() {
    char quote = text.charAt(pos++);
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        return sb.toString();
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = text.charAt(pos++);
      switch (e) {
        case 'x':
          sb.appendCodePoint(hex(2));
          break;
        case 'u':
          sb.appendCodePoint(hex(4));
          break;
        case 'U':
          sb.appendCodePoint(hex(8));
          break;
        default:
          sb.append(simpleEscape(e));
      }
    }
  }

  private ByteString bytesLiteral() {
    char quote = text.charAt(pos++);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated bytes");
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        return ByteString.of(out.toByteArray());
      }
      if (c > 0x7f) {
        throw error("non-ASCII character in a bytes literal");
      }
      if (c != '\\') {
        out.write(c);
        continue;
      }
      char e = text.charAt(pos++);
      out.write(e == 'x' ? hex(2) : simpleEscape(e));
    }
  }

  private char simpleEscape(char e) {
    switch (e) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '0':
        return '\0';
      case 'a':
        return 7;
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return 11;
      case '\\':
      case '\'':
      case '"':
        return e;
      default:
        throw error("unsupported escape \\" + e);
    }
  }

  private int hex(int digits) {
    int value = Integer.parseUnsignedInt(text.substring(pos, pos + digits), 16);
    pos += digits;
    return value;
  }

  private String identifier() {
    int start = pos;
    while (pos < text.length()
        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_' || text.charAt(pos) == '.')) {
      pos++;
    }
    return text.substring(start, pos);
  }

  private static @Nullable Object multiply(@Nullable Object value, @Nullable Object times) {
    if (value instanceof String s) {
      return s.repeat(integer(times).intValueExact());
    }
    if (value instanceof ByteString b) {
      int n = integer(times).intValueExact();
      byte[] one = b.toByteArray();
      byte[] all = new byte[one.length * n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(one, 0, all, i * one.length, one.length);
      }
      return ByteString.of(all);
    }
    if (value instanceof List<?> l) {
      int n = integer(times).intValueExact();
      List<@Nullable Object> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.addAll(l);
      }
      return all;
    }
    return BananaDecoder.narrow(integer(value).multiply(integer(times)));
  }

  private @Nullable Object negate(@Nullable Object value) {
    if (value instanceof Double d) {
      return -d;
    }
    return BananaDecoder.narrow(integer(value).negate());
  }

  private static BigInteger integer(@Nullable Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger b) {
      return b;
    }
    throw new IllegalArgumentException("not an integer: " + value);
  }

  private boolean peek(char c) {
    skipSpace();
    return pos < text.length() && text.charAt(pos) == c;
  }

  private boolean peekText(String s) {
    return text.startsWith(s, pos);
  }

  private void expect(char c) {
    skipSpace();
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private void skipSpace() {
    while (pos < text.length() && text.charAt(pos) == ' ') {
      pos++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(
        message + " at " + pos + " in " + text.substring(0, Math.min(pos, text.length())) + "<<<"
            + text.substring(Math.min(pos, text.length())));
  }
}
