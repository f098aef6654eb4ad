package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
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
 * {@code [lists]}, {@code (tuples,)}, {@code {dicts: 1}}, {@code {sets}}, {@code set()}, {@code
 * frozenset({...})} and {@code Decimal('1.5')}. The notation of {@code pb call} arguments and of
 * {@link io.github.pb4j.jelly.PythonRepr}'s output, so {@code parse(PythonRepr.of(v))} gives back
 * {@code v} for these types.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class PythonLiteral {
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
      case "set":
        call0();
        return new LinkedHashSet<>();
      case "frozenset": {
        expect('(');
        skipSpace();
        if (peek(')')) {
          pos++;
          return FrozenSet.of();
        }
        Object inner = value();
        skipSpace();
        expect(')');
        if (inner instanceof java.util.Collection<?> c) {
          return FrozenSet.copyOf(c);
        }
        if (inner instanceof Tuple t) {
          return FrozenSet.copyOf(t.asList());
        }
        throw error("frozenset() takes a set, list or tuple");
      }
      case "float": {
        expect('(');
        skipSpace();
        Object s = string();
        skipSpace();
        expect(')');
        return number(String.valueOf(s).strip());
      }
      case "Decimal":
      case "decimal.Decimal": {
        expect('(');
        skipSpace();
        Object s = string();
        skipSpace();
        expect(')');
        try {
          return new BigDecimal(String.valueOf(s).strip());
        } catch (NumberFormatException e) {
          throw error("invalid Decimal");
        }
      }
      default:
        pos = start;
        throw error(w.isEmpty() ? "value expected" : "unknown name '" + w + "'");
    }
  }

  private void call0() {
    expect('(');
    skipSpace();
    expect(')');
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
        return Double.POSITIVE_INFINITY;
      case "-inf":
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
