package io.github.pb4j.jelly.testing;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.PythonLiteral;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Parses the Python expressions of {@code jelly.json} ({@code python_repr}, {@code result_repr})
 * into values of the Jelly data model, in the form {@link io.github.pb4j.jelly.Unjellier} returns
 * them. Literals are {@link PythonLiteral}'s; on top of them, the vectors' shorthand for big
 * values: {@code 'x' * 100} (and {@code b'x' * 300}, {@code [0] * 5}) repetition, and {@code *},
 * {@code **} and unary {@code -} on integers ({@code -2**448}).
 *
 * <p>Anything else fails with {@link IllegalArgumentException}, so a new kind of vector cannot be
 * misread silently.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class JellyPythonValues {
  private JellyPythonValues() {}

  /**
   * Returns the value of the Python expression {@code text}.
   *
   * @throws IllegalArgumentException if the expression is not one this parser supports
   */
  public static @Nullable Object parse(String text) {
    List<String> factors = splitTopLevel(text, "*");
    Object value = power(factors.get(0));
    for (String factor : factors.subList(1, factors.size())) {
      value = multiply(value, power(factor));
    }
    return value;
  }

  /** Evaluates {@code a ** b ** ...} (right to left) with an optional leading minus. */
  private static @Nullable Object power(String text) {
    List<String> operands = splitTopLevel(text, "**");
    if (operands.size() == 1) {
      return PythonLiteral.parse(text);
    }
    String first = operands.get(0).strip();
    boolean negative = first.startsWith("-");
    BigInteger result = integer(PythonLiteral.parse(operands.get(operands.size() - 1)));
    for (int i = operands.size() - 2; i >= 0; i--) {
      String base = i == 0 && negative ? first.substring(1) : operands.get(i);
      result = integer(PythonLiteral.parse(base)).pow(result.intValueExact());
    }
    return BananaDecoder.narrow(negative ? result.negate() : result);
  }

  /**
   * Splits {@code text} at each {@code operator} outside brackets and quotes; {@code "*"} does not
   * split {@code "**"}.
   */
  private static List<String> splitTopLevel(String text, String operator) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        depth--;
      } else if (depth == 0 && text.startsWith(operator, i)) {
        boolean starStar = text.startsWith("**", i);
        if (operator.equals("**") || !starStar) {
          parts.add(text.substring(start, i));
          start = i + operator.length();
        }
        i += (starStar ? 2 : 1) - 1;
      }
    }
    parts.add(text.substring(start));
    return parts;
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

  private static BigInteger integer(@Nullable Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return BigInteger.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger b) {
      return b;
    }
    throw new IllegalArgumentException("not an integer: " + value);
  }
}
