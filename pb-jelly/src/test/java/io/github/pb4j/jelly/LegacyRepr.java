package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.SexpFormatter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The unbounded renderer PythonRepr used before it had a budget: the oracle of {@link
 * BoundedRenderingTest}, which checks that the bounded renderer writes the same text, cut.
 */
final class LegacyRepr {
  private LegacyRepr() {}

  /** Returns the Python notation of {@code value}. */
  public static String of(@Nullable Object value) {
    StringBuilder sb = new StringBuilder();
    append(sb, value, new IdentityHashMap<>());
    return sb.toString();
  }

  private static void append(StringBuilder sb, @Nullable Object v, IdentityHashMap<Object, Boolean> open) {
    if (v == null) {
      sb.append("None");
    } else if (v instanceof Boolean b) {
      sb.append(b ? "True" : "False");
    } else if (v instanceof Integer || v instanceof Long || v instanceof BigInteger
        || v instanceof Short || v instanceof Byte) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      sb.append(SexpFormatter.pythonFloat(((Number) v).doubleValue()));
    } else if (v instanceof String s) {
      appendString(sb, s);
    } else if (v instanceof Character c) {
      appendString(sb, c.toString()); // sent as a str
    } else if (v instanceof ByteString b) {
      sb.append(b.toPythonRepr());
    } else if (v instanceof byte[] b) {
      sb.append(ByteString.of(b).toPythonRepr());
    } else if (v instanceof LocalDateTime t) {
      sb.append("datetime.datetime(").append(t.getYear()).append(", ").append(t.getMonthValue())
          .append(", ").append(t.getDayOfMonth()).append(", ");
      appendClock(sb, t.toLocalTime());
      sb.append(')');
    } else if (v instanceof LocalDate d) {
      sb.append("datetime.date(").append(d.getYear()).append(", ").append(d.getMonthValue())
          .append(", ").append(d.getDayOfMonth()).append(')');
    } else if (v instanceof LocalTime t) {
      sb.append("datetime.time(");
      appendClock(sb, t);
      sb.append(')');
    } else if (v instanceof Duration d) {
      appendTimedelta(sb, d);
    } else if (v instanceof BigDecimal d) {
      sb.append("Decimal('").append(d).append("')");
    } else if (v instanceof Unpersistable u) {
      sb.append("Unpersistable(");
      appendString(sb, u.reason());
      sb.append(')');
    } else if (open.containsKey(v)) {
      sb.append(v instanceof Map ? "{...}" : v instanceof Tuple ? "(...)" : "[...]");
    } else {
      open.put(v, Boolean.TRUE);
      appendContainer(sb, v, open);
      open.remove(v);
    }
  }

  private static void appendContainer(StringBuilder sb, Object v, IdentityHashMap<Object, Boolean> open) {
    if (v instanceof Tuple t) {
      sb.append('(');
      appendAll(sb, t.asList(), open);
      sb.append(t.size() == 1 ? ",)" : ")");
    } else if (v instanceof List<?> l) {
      sb.append('[');
      appendAll(sb, l, open);
      sb.append(']');
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        append(sb, e.getKey(), open);
        sb.append(": ");
        append(sb, e.getValue(), open);
      }
      sb.append('}');
    } else if (v instanceof Set<?> s) {
      boolean frozen = v instanceof FrozenSet;
      if (s.isEmpty()) {
        sb.append(frozen ? "frozenset()" : "set()");
        return;
      }
      sb.append(frozen ? "frozenset({" : "{");
      appendAll(sb, s, open);
      sb.append(frozen ? "})" : "}");
    } else {
      sb.append('<').append(v).append('>');
    }
  }

  private static void appendAll(StringBuilder sb, Collection<?> c, IdentityHashMap<Object, Boolean> open) {
    boolean first = true;
    for (Object o : new ArrayList<>(c)) {
      if (!first) {
        sb.append(", ");
      }
      first = false;
      append(sb, o, open);
    }
  }

  private static void appendClock(StringBuilder sb, LocalTime t) {
    sb.append(t.getHour()).append(", ").append(t.getMinute());
    int micros = t.getNano() / 1000;
    if (t.getSecond() != 0 || micros != 0) {
      sb.append(", ").append(t.getSecond());
    }
    if (micros != 0) {
      sb.append(", ").append(micros);
    }
  }

  private static void appendTimedelta(StringBuilder sb, Duration d) {
    long[] parts = JellyTime.timedeltaParts(d);
    List<String> fields = new ArrayList<>();
    if (parts[0] != 0) {
      fields.add("days=" + parts[0]);
    }
    if (parts[1] != 0) {
      fields.add("seconds=" + parts[1]);
    }
    if (parts[2] != 0) {
      fields.add("microseconds=" + parts[2]);
    }
    sb.append("datetime.timedelta(").append(fields.isEmpty() ? "0" : String.join(", ", fields)).append(')');
  }

  /** Appends Python's repr of a str. */
  static void appendString(StringBuilder sb, String s) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    sb.append(quote);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == quote || cp == '\\') {
        sb.append('\\').appendCodePoint(cp);
      } else if (cp == '\n') {
        sb.append("\\n");
      } else if (cp == '\r') {
        sb.append("\\r");
      } else if (cp == '\t') {
        sb.append("\\t");
      } else if (cp < 0x20 || cp == 0x7f) {
        sb.append(String.format("\\x%02x", cp));
      } else if (cp >= 0x80 && !isPrintable(cp)) {
        sb.append(cp <= 0xff ? String.format("\\x%02x", cp)
            : cp <= 0xffff ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
      } else {
        sb.appendCodePoint(cp);
      }
    }
    sb.append(quote);
  }

  private static boolean isPrintable(int cp) {
    int type = Character.getType(cp);
    return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
        && type != Character.PRIVATE_USE && type != Character.UNASSIGNED
        && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
        && !(type == Character.SPACE_SEPARATOR && cp != ' ');
  }
}
