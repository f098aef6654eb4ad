package io.github.pb4j.banana;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Renders decoded Banana values in Python notation, e.g. {@code [b'version', 6]}: the format of
 * Twisted's documentation and of pb4j's TRACE logs.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class SexpFormatter {
  private SexpFormatter() {}

  /** Returns {@code value} rendered in Python notation. */
  public static String format(Object value) {
    StringBuilder sb = new StringBuilder();
    append(sb, value);
    return sb.toString();
  }

  /** Returns {@code value} rendered on several lines, one list element per line, indented. */
  public static String formatIndented(Object value) {
    StringBuilder sb = new StringBuilder();
    appendIndented(sb, value, 0);
    return sb.toString();
  }

  private static void append(StringBuilder sb, Object value) {
    if (value instanceof List<?> list) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        append(sb, list.get(i));
      }
      sb.append(']');
    } else {
      appendAtom(sb, value);
    }
  }

  private static void appendIndented(StringBuilder sb, Object value, int depth) {
    if (value instanceof List<?> list && !isShort(list)) {
      sb.append('[');
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        sb.append('\n').append("  ".repeat(depth + 1));
        appendIndented(sb, list.get(i), depth + 1);
      }
      sb.append(']');
    } else {
      append(sb, value);
    }
  }

  private static boolean isShort(List<?> list) {
    return format(list).length() <= 72;
  }

  private static void appendAtom(StringBuilder sb, Object value) {
    if (value instanceof ByteString s) {
      sb.append(s.toPythonRepr());
    } else if (value instanceof Double d) {
      sb.append(pythonFloat(d));
    } else {
      sb.append(value);
    }
  }

  /** Returns Python's {@code repr} of a float: {@code 1.5}, {@code 1e+100}, {@code inf}, {@code nan}. */
  public static String pythonFloat(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return Double.doubleToRawLongBits(d) < 0 ? "-0.0" : "0.0";
    }
    String sign = d < 0 ? "-" : "";
    BigDecimal digits = shortestRoundTrip(Math.abs(d)).stripTrailingZeros();
    int exponent = digits.precision() - digits.scale() - 1;
    // Python's repr: positional for 1e-4 <= |d| < 1e16, else scientific with 2+ exponent digits.
    if (exponent < -4 || exponent >= 16) {
      String unscaled = digits.unscaledValue().toString();
      String mantissa =
          unscaled.length() == 1 ? unscaled : unscaled.charAt(0) + "." + unscaled.substring(1);
      return sign + mantissa + (exponent < 0 ? "e-" : "e+")
          + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
    String plain = digits.toPlainString();
    return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
  }

  /**
   * Returns the decimal with the fewest digits that reads back as {@code d}, the closest such one
   * if there are several: the digits of Python's {@code repr}. Java 17's {@code Double.toString}
   * is not always the shortest (it writes {@code 2e23} as {@code 1.9999999999999998E23}).
   */
  private static BigDecimal shortestRoundTrip(double d) {
    BigDecimal exact = new BigDecimal(d);
    BigDecimal best = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    // If p digits can read back as d, so can p + 1: search for the least p.
    int low = 1;
    int high = 16;
    while (low <= high) {
      int precision = (low + high) >>> 1;
      BigDecimal candidate = roundTrip(exact, d, precision);
      if (candidate != null) {
        best = candidate;
        high = precision - 1;
      } else {
        low = precision + 1;
      }
    }
    return best;
  }

  /** Returns a {@code precision}-digit decimal that reads back as {@code d}, or null. */
  private static @Nullable BigDecimal roundTrip(BigDecimal exact, double d, int precision) {
    BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
    if (nearest.doubleValue() == d) {
      return nearest;
    }
    // Next to a power of two the interval that reads back as d is lopsided: try the other side.
    RoundingMode other = nearest.compareTo(exact) < 0 ? RoundingMode.CEILING : RoundingMode.FLOOR;
    BigDecimal candidate = exact.round(new MathContext(precision, other));
    return candidate.doubleValue() == d ? candidate : null;
  }
}
