package io.github.pb4j.banana.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.github.pb4j.banana.ByteString;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses the Python literals that the test vectors carry ({@code python_repr}, {@code
 * decoded_repr}, {@code generator}) into values of the Banana data model, in the form {@link
 * io.github.pb4j.banana.BananaDecoder} returns them.
 *
 * <p>Supported, which covers every expression in {@code banana.json}:
 *
 * <ul>
 *   <li>integers, as the smallest of {@link Integer}, {@link Long} and {@link BigInteger} that
 *       holds them; {@code True} and {@code False} are the integers 1 and 0, as at the Banana
 *       level;
 *   <li>floats as {@link Double}: decimal and exponent forms, {@code inf}, {@code nan}, {@code
 *       float('-inf')};
 *   <li>{@code b'...'} and {@code b"..."} literals with Python's escapes, as {@link ByteString};
 *   <li>lists and tuples, both as {@link ArrayList};
 *   <li>the operators unary {@code -}, {@code **} (integers) and {@code *} (integers, and the
 *       repetition {@code b'z' * 655360}, {@code [0] * 655360});
 *   <li>values Banana cannot encode, for {@code encode_error} records: text ({@link String}), dicts
 *       ({@link LinkedHashMap}) and {@code None} ({@code null}).
 * </ul>
 *
 * <p>Anything else is rejected with {@link IllegalArgumentException}, so that a new kind of vector
 * cannot be silently misread.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class PythonValues {
  private final String text;
  private int pos;

  private PythonValues(String text) {
    this.text = text;
  }

  /**
   * Returns the value of the Python expression {@code text}.
   *
   * @throws IllegalArgumentException if the expression is not one this parser supports
   */
  public static @Nullable Object parse(String text) {
    PythonValues parser = new PythonValues(text);
    Object value = parser.expression();
    parser.skipSpace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected input");
    }
    return value;
  }

  /** Returns {@code value} as the smallest of Integer, Long and BigInteger that holds it. */
  public static Number integer(BigInteger value) {
    if (value.bitLength() <= 31) {
      return value.intValue();
    }
    if (value.bitLength() <= 63) {
      return value.longValue();
    }
    return value;
  }

  // expression := unary ('*' unary)*
  private @Nullable Object expression() {
    Object left = unary();
    while (lookingAt("*") && !lookingAt("**")) {
      pos++;
      left = multiply(left, unary());
    }
    return left;
  }

  // unary := '-' unary | power      (so -2**448 is -(2**448), as in Python)
  private @Nullable Object unary() {
    if (consume("-")) {
      Object operand = unary();
      if (operand instanceof Double d) {
        return -d;
      }
      return integer(bigInteger(operand).negate());
    }
    return power();
  }

  // power := atom ('**' unary)?
  private @Nullable Object power() {
    Object base = atom();
    if (consume("**")) {
      int exponent = bigInteger(unary()).intValueExact();
      return integer(bigInteger(base).pow(exponent));
    }
    return base;
  }

  private @Nullable Object atom() {
    skipSpace();
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(pos);
    if (c == '[') {
      pos++;
      return sequence(']');
    }
    if (c == '(') {
      pos++;
      if (consume(")")) {
        return new ArrayList<>();
      }
      Object first = expression();
      if (consume(")")) {
        return first; // Parenthesised, as in -(2**448).
      }
      expect(',');
      List<@Nullable Object> tuple = sequence(')');
      tuple.add(0, first);
      return tuple;
    }
    if (c == '{') {
      pos++;
      return dict();
    }
    if (c == 'b' && pos + 1 < text.length() && isQuote(text.charAt(pos + 1))) {
      pos++;
      return ByteString.of(stringLiteral(true).toByteArray());
    }
    if (isQuote(c)) {
      return stringLiteral(false).toString(UTF_8);
    }
    if (Character.isDigit(c) || c == '.') {
      return number();
    }
    if (Character.isLetter(c) || c == '_') {
      return name();
    }
    throw error("unexpected character");
  }

  private List<@Nullable Object> sequence(char close) {
    List<@Nullable Object> items = new ArrayList<>();
    while (true) {
      if (consume(String.valueOf(close))) {
        return items;
      }
      items.add(expression());
      if (!consume(",")) {
        expect(close);
        return items;
      }
    }
  }

  private Map<@Nullable Object, @Nullable Object> dict() {
    Map<@Nullable Object, @Nullable Object> map = new LinkedHashMap<>();
    while (!consume("}")) {
      Object key = expression();
      expect(':');
      map.put(key, expression());
      if (!consume(",")) {
        expect('}');
        break;
      }
    }
    return map;
  }

  private Object number() {
    int start = pos;
    boolean isFloat = false;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isDigit(c)) {
        pos++;
      } else if (c == '.') {
        isFloat = true;
        pos++;
      } else if ((c == 'e' || c == 'E') && pos > start) {
        isFloat = true;
        pos++;
        if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
          pos++;
        }
      } else {
        break;
      }
    }
    String token = text.substring(start, pos);
    return isFloat ? (Object) Double.parseDouble(token) : integer(new BigInteger(token));
  }

  private @Nullable Object name() {
    int start = pos;
    while (pos < text.length()
        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    String name = text.substring(start, pos);
    switch (name) {
      case "True":
        return 1;
      case "False":
        return 0;
      case "None":
        return null;
      case "inf":
        return Double.POSITIVE_INFINITY;
      case "nan":
        return Double.NaN;
      case "float":
        expect('(');
        skipSpace();
        String argument = stringLiteral(false).toString(UTF_8);
        expect(')');
        return parseFloatArgument(argument.trim());
      default:
        pos = start;
        throw error("unknown name '" + name + "'");
    }
  }

  private static double parseFloatArgument(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
    double sign = lower.startsWith("-") ? -1.0 : 1.0;
    switch (unsigned) {
      case "inf":
      case "infinity":
        return sign * Double.POSITIVE_INFINITY;
      case "nan":
        return Double.NaN;
      default:
        return Double.parseDouble(s);
    }
  }

  /** Reads a quoted literal, returning its bytes (UTF-8 for text). */
  private ByteArrayOutputStream stringLiteral(boolean bytes) {
    char quote = text.charAt(pos++);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == quote) {
        return out;
      }
      if (c != '\\') {
        if (bytes && c > 0x7f) {
          throw error("non-ASCII character in a bytes literal");
        }
        writeText(out, String.valueOf(c));
        continue;
      }
      escape(out, bytes);
    }
  }

  private void escape(ByteArrayOutputStream out, boolean bytes) {
    char e = text.charAt(pos++);
    switch (e) {
      case '\\', '\'', '"' -> out.write(e);
      case 'a' -> out.write(7);
      case 'b' -> out.write(8);
      case 'f' -> out.write(12);
      case 'n' -> out.write('\n');
      case 'r' -> out.write('\r');
      case 't' -> out.write('\t');
      case 'v' -> out.write(11);
      case '\n' -> {} // Line continuation.
      case 'x' -> writeCodePoint(out, hexDigits(2), bytes);
      case 'u' -> writeCodePoint(out, hexDigits(4), requireText(bytes, e));
      case 'U' -> writeCodePoint(out, hexDigits(8), requireText(bytes, e));
      default -> {
        if (e >= '0' && e <= '7') {
          int value = e - '0';
          for (int i = 0; i < 2 && pos < text.length() && isOctal(text.charAt(pos)); i++) {
            value = value * 8 + (text.charAt(pos++) - '0');
          }
          writeCodePoint(out, value, bytes);
        } else {
          // Python keeps unknown escapes as they are.
          out.write('\\');
          writeText(out, String.valueOf(e));
        }
      }
    }
  }

  private boolean requireText(boolean bytes, char escape) {
    if (bytes) {
      throw error("\\" + escape + " escape in a bytes literal");
    }
    return false;
  }

  private static void writeCodePoint(ByteArrayOutputStream out, int codePoint, boolean bytes) {
    if (bytes) {
      out.write(codePoint);
    } else {
      writeText(out, new String(Character.toChars(codePoint)));
    }
  }

  private static void writeText(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(UTF_8));
  }

  private int hexDigits(int count) {
    if (pos + count > text.length()) {
      throw error("truncated escape");
    }
    int value = Integer.parseInt(text.substring(pos, pos + count), 16);
    pos += count;
    return value;
  }

  private static boolean isOctal(char c) {
    return c >= '0' && c <= '7';
  }

  private static boolean isQuote(char c) {
    return c == '\'' || c == '"';
  }

  private static Object multiply(@Nullable Object left, @Nullable Object right) {
    if (isInteger(left) && isInteger(right)) {
      return integer(bigInteger(left).multiply(bigInteger(right)));
    }
    if (isInteger(left)) {
      return repeat(right, bigInteger(left).intValueExact());
    }
    return repeat(left, bigInteger(right).intValueExact());
  }

  private static Object repeat(@Nullable Object sequence, int times) {
    if (sequence instanceof ByteString s) {
      byte[] bytes = s.toByteArray();
      byte[] result = new byte[bytes.length * Math.max(times, 0)];
      for (int i = 0; i < times; i++) {
        System.arraycopy(bytes, 0, result, i * bytes.length, bytes.length);
      }
      return ByteString.of(result);
    }
    if (sequence instanceof List<?> list) {
      List<@Nullable Object> result = new ArrayList<>(list.size() * Math.max(times, 0));
      for (int i = 0; i < times; i++) {
        result.addAll(list);
      }
      return result;
    }
    throw new IllegalArgumentException("cannot repeat " + sequence);
  }

  private static boolean isInteger(@Nullable Object value) {
    return value instanceof Integer || value instanceof Long || value instanceof BigInteger;
  }

  private static BigInteger bigInteger(@Nullable Object value) {
    if (value instanceof BigInteger b) {
      return b;
    }
    if (value instanceof Integer || value instanceof Long) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    throw new IllegalArgumentException("not an integer: " + value);
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean lookingAt(String token) {
    skipSpace();
    return text.startsWith(token, pos);
  }

  private boolean consume(String token) {
    if (lookingAt(token)) {
      pos += token.length();
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!consume(String.valueOf(c))) {
      throw error("expected '" + c + "'");
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(
        "python literal: "
            + what
            + " at offset "
            + pos
            + " (expected: a Banana value) in: "
            + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
  }
}
