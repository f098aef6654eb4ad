package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.SexpFormatter;
import java.lang.reflect.RecordComponent;
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
 * Renders Jelly values the way Python's {@code repr} does: {@code b'x'}, {@code 'x'}, {@code
 * (1,)}, {@code {'k': 2}}, {@code frozenset({1, 2})}, {@code datetime.date(2020, 7, 11)}. Used by
 * the {@code pb call} command and in diagnostics.
 *
 * <p>Every rendering has a budget of characters: a text longer than the budget is cut, its last
 * three characters {@code ...} (a surrogate pair is never split). The renderer stops as soon as
 * the budget is spent, so its work is proportional to the budget, not to the value: a received
 * value that holds the same list twice at each of 30 levels is a few hundred bytes on the wire
 * but would print as billions of characters. A container that contains itself prints as {@code
 * [...]}, {@code {...}} or {@code (...)}, as in Python. Within the budget the text is exactly
 * Python's {@code repr}. Objects that are not Jelly data print as {@code <toString()>}, a record
 * as {@code <Name[component=repr, ...]>}.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class PythonRepr {
  /** The budget of {@link #of(Object)}: 65 536 characters. */
  public static final int DEFAULT_MAX_CHARS = 1 << 16;
  /** The budget of {@link #brief(Object)}, for error messages and log lines: 60 characters. */
  public static final int BRIEF_MAX_CHARS = 60;

  private static final String CUT = "...";

  private PythonRepr() {}

  /** Returns the Python notation of {@code value}, cut to {@value #DEFAULT_MAX_CHARS} characters. */
  public static String of(@Nullable Object value) {
    return of(value, DEFAULT_MAX_CHARS);
  }

  /** Returns the Python notation of {@code value}, cut to {@value #BRIEF_MAX_CHARS} characters. */
  public static String brief(@Nullable Object value) {
    return of(value, BRIEF_MAX_CHARS);
  }

  /**
   * Returns the Python notation of {@code value}, cut to at most {@code maxChars} characters.
   *
   * @throws IllegalArgumentException if {@code maxChars} is less than 3
   */
  public static String of(@Nullable Object value, int maxChars) {
    if (maxChars < CUT.length()) {
      throw new IllegalArgumentException("maxChars: " + maxChars + " (expected: >= 3)");
    }
    Renderer r = new Renderer(maxChars);
    try {
      r.value(value);
    } catch (BudgetSpent spent) {
      // r.sb holds more than maxChars characters: cut below.
    }
    return cut(r.sb, maxChars);
  }

  /**
   * Returns {@code text} if it has at most {@code maxChars} characters, else its start and {@code
   * ...}, {@code maxChars} characters in all (one less where a surrogate pair would be split).
   *
   * @throws IllegalArgumentException if {@code maxChars} is less than 3
   */
  public static String abbreviate(String text, int maxChars) {
    if (maxChars < CUT.length()) {
      throw new IllegalArgumentException("maxChars: " + maxChars + " (expected: >= 3)");
    }
    return text.length() <= maxChars ? text : cut(new StringBuilder(text.substring(0, maxChars + 1)), maxChars);
  }

  private static String cut(StringBuilder sb, int maxChars) {
    if (sb.length() <= maxChars) {
      return sb.toString();
    }
    int end = maxChars - CUT.length();
    if (end > 0 && Character.isHighSurrogate(sb.charAt(end - 1))) {
      end--;
    }
    sb.setLength(end);
    return sb.append(CUT).toString();
  }

  /** Thrown, without a stack trace, once more than the budget is written. */
  private static final class BudgetSpent extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final BudgetSpent INSTANCE = new BudgetSpent();

    private BudgetSpent() {
      super("budget spent", null, false, false);
    }
  }

  /**
   * One rendering. It writes at least one character per value it visits and checks the budget
   * before each value, so it visits at most {@code maxChars + 1} values.
   */
  private static final class Renderer {
    final StringBuilder sb = new StringBuilder();
    private final int maxChars;
    /** The containers being written (for Python's {@code [...]} on a cycle). */
    private final IdentityHashMap<Object, Boolean> open = new IdentityHashMap<>();

    Renderer(int maxChars) {
      this.maxChars = maxChars;
    }

    /** Stops the rendering once the text is longer than the budget (so it will be cut). */
    private void check() {
      if (sb.length() > maxChars) {
        throw BudgetSpent.INSTANCE;
      }
    }

    void value(@Nullable Object v) {
      check();
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
        string(s);
      } else if (v instanceof Character c) {
        string(c.toString()); // sent as a str
      } else if (v instanceof ByteString b) {
        bytes(b);
      } else if (v instanceof byte[] b) {
        bytes(ByteString.of(b));
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
        string(u.reason());
        sb.append(')');
      } else if (open.containsKey(v)) {
        sb.append(v instanceof Map ? "{...}" : v instanceof Tuple ? "(...)" : "[...]");
      } else {
        open.put(v, Boolean.TRUE);
        container(v);
        open.remove(v);
      }
    }

    private void container(Object v) {
      if (v instanceof Tuple t) {
        sb.append('(');
        all(t.asList());
        sb.append(t.size() == 1 ? ",)" : ")");
      } else if (v instanceof List<?> l) {
        sb.append('[');
        all(l);
        sb.append(']');
      } else if (v instanceof Map<?, ?> m) {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            sb.append(", ");
          }
          first = false;
          value(e.getKey());
          sb.append(": ");
          value(e.getValue());
        }
        sb.append('}');
      } else if (v instanceof Set<?> s) {
        boolean frozen = v instanceof FrozenSet;
        if (s.isEmpty()) {
          sb.append(frozen ? "frozenset()" : "set()");
          return;
        }
        sb.append(frozen ? "frozenset({" : "{");
        all(s);
        sb.append(frozen ? "})" : "}");
      } else if (v instanceof Record r) {
        record(r);
      } else {
        // Someone else's toString: its cost is its own, but only what fits is kept.
        sb.append('<');
        int room = maxChars + 1 - sb.length();
        String text = String.valueOf(v);
        sb.append(text, 0, Math.max(0, Math.min(room, text.length()))).append('>');
      }
    }

    private void all(Collection<?> c) {
      boolean first = true;
      for (Object o : c) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        value(o);
      }
    }

    /** A record (a registered copyable, say) by its components, each rendered within the budget. */
    private void record(Record r) {
      sb.append('<').append(r.getClass().getSimpleName()).append('[');
      RecordComponent[] components = r.getClass().getRecordComponents();
      for (int i = 0; i < components.length; i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(components[i].getName()).append('=');
        Object component;
        try {
          java.lang.reflect.Method accessor = components[i].getAccessor();
          accessor.setAccessible(true);
          component = accessor.invoke(r);
        } catch (ReflectiveOperationException | RuntimeException e) {
          sb.append('?');
          continue;
        }
        value(component);
      }
      sb.append("]>");
    }

    /** Python's repr of a str, stopping once past the budget. */
    private void string(String s) {
      char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
      sb.append(quote);
      for (int i = 0; i < s.length(); ) {
        if (sb.length() > maxChars) {
          throw BudgetSpent.INSTANCE;
        }
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
          hex(sb, "\\x", cp, 2);
        } else if (cp >= 0x80 && !isPrintable(cp)) {
          if (cp <= 0xff) {
            hex(sb, "\\x", cp, 2);
          } else if (cp <= 0xffff) {
            hex(sb, "\\u", cp, 4);
          } else {
            hex(sb, "\\U", cp, 8);
          }
        } else {
          sb.appendCodePoint(cp);
        }
      }
      sb.append(quote);
    }

    /** Python's repr of bytes (as {@link ByteString#toPythonRepr}), stopping once past the budget. */
    private void bytes(ByteString b) {
      int n = b.size();
      boolean hasSingle = false;
      boolean hasDouble = false;
      for (int i = 0; i < n && !(hasSingle && hasDouble); i++) {
        byte x = b.byteAt(i);
        hasSingle |= x == '\'';
        hasDouble |= x == '"';
      }
      char quote = hasSingle && !hasDouble ? '"' : '\'';
      sb.append('b').append(quote);
      for (int i = 0; i < n; i++) {
        if (sb.length() > maxChars) {
          throw BudgetSpent.INSTANCE;
        }
        int c = b.byteAt(i) & 0xff;
        if (c == quote || c == '\\') {
          sb.append('\\').append((char) c);
        } else if (c == '\t') {
          sb.append("\\t");
        } else if (c == '\n') {
          sb.append("\\n");
        } else if (c == '\r') {
          sb.append("\\r");
        } else if (c < 0x20 || c >= 0x7f) {
          hex(sb, "\\x", c, 2);
        } else {
          sb.append((char) c);
        }
      }
      sb.append(quote);
    }
  }

  private static void hex(StringBuilder sb, String prefix, int value, int digits) {
    sb.append(prefix);
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      sb.append(Character.forDigit((value >> shift) & 15, 16));
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

  private static boolean isPrintable(int cp) {
    int type = Character.getType(cp);
    return type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE
        && type != Character.PRIVATE_USE && type != Character.UNASSIGNED
        && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
        && !(type == Character.SPACE_SEPARATOR && cp != ' ');
  }
}
