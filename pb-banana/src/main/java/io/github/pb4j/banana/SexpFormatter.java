package io.github.pb4j.banana;

import java.util.List;

/**
 * Renders decoded Banana values in Python notation, e.g. {@code [b'version', 6]}: the format of
 * Twisted's documentation, of {@code PB-PROTOCOL.md} and of pb4j's TRACE logs.
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
    if (d == Math.rint(d) && Math.abs(d) < 1e16) {
      return String.format("%.1f", d).replace(",", ".");
    }
    String s = Double.toString(d);
    int e = s.indexOf('E');
    if (e < 0) {
      return s;
    }
    String mantissa = s.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    int exp = Integer.parseInt(s.substring(e + 1));
    if (exp >= -4 && exp < 16) {
      return new java.math.BigDecimal(s).toPlainString();
    }
    return mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
  }
}
