package io.github.pb4j.cli;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.SexpFormatter;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.jelly.Tuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders a PB value as JSON for {@code pb call --json}. The mapping:
 *
 * <pre>
 * None                 null
 * True / False         true / false
 * int                  number (any size)
 * float                number; inf, -inf, nan as {"$float": "inf"}
 * str                  string
 * bytes                {"$bytes": "&lt;base64&gt;"}
 * list, tuple, set,    array (tuple, set and frozenset are not told apart from list)
 *   frozenset
 * dict with str keys   object
 * other dict           {"$dict": [[key, value], ...]}
 * Decimal              {"$decimal": "1.5"}
 * remote reference     {"$remote": luid}
 * anything else        {"$repr": "&lt;Python repr&gt;"} (dates, times, ...)
 * </pre>
 *
 * <p>A value that shares its parts is written in full at each place, as JSON has no references:
 * the text is therefore bounded ({@link #of(Object, int)}), and writing stops as soon as it is
 * longer, so that a few hundred bytes that share at each of 30 levels cannot take the time and
 * memory of 2^30 elements.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
final class Json {
  /** Thrown, without a stack trace, once the text is longer than allowed. */
  static final class TooLongException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooLongException(int maxChars) {
      super("more than " + maxChars + " characters as JSON", null, false, false);
    }
  }

  private final StringBuilder sb = new StringBuilder();
  private final IdentityHashMap<Object, Boolean> open = new IdentityHashMap<>();
  private final int maxChars;

  private Json(int maxChars) {
    this.maxChars = maxChars;
  }

  /** Returns the JSON text of {@code value}, of at most {@value PythonRepr#DEFAULT_MAX_CHARS} characters. */
  static String of(@Nullable Object value) {
    return of(value, PythonRepr.DEFAULT_MAX_CHARS);
  }

  /**
   * Returns the JSON text of {@code value}.
   *
   * @throws TooLongException if the text would be longer than {@code maxChars}
   */
  static String of(@Nullable Object value, int maxChars) {
    Json json = new Json(maxChars);
    json.write(value);
    json.check();
    return json.sb.toString();
  }

  private void check() {
    if (sb.length() > maxChars) {
      throw new TooLongException(maxChars);
    }
  }

  private void write(@Nullable Object v) {
    check();
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean b) {
      sb.append(b);
    } else if (v instanceof Integer
        || v instanceof Long
        || v instanceof BigInteger
        || v instanceof Short
        || v instanceof Byte) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d)) {
        sb.append(SexpFormatter.pythonFloat(d));
      } else {
        tagged("$float", SexpFormatter.pythonFloat(d));
      }
    } else if (v instanceof String || v instanceof Character) {
      string(v.toString());
    } else if (v instanceof ByteString b) {
      tagged("$bytes", Base64.getEncoder().encodeToString(b.toByteArray()));
    } else if (v instanceof byte[] b) {
      tagged("$bytes", Base64.getEncoder().encodeToString(b));
    } else if (v instanceof BigDecimal d) {
      tagged("$decimal", d.toString());
    } else if (v instanceof RemoteReference r) {
      sb.append("{\"$remote\": ");
      write(r.luid());
      sb.append('}');
    } else if (open.containsKey(v)) {
      tagged("$repr", "<cycle>");
    } else if (v instanceof Tuple || v instanceof Collection || v instanceof Map) {
      open.put(v, Boolean.TRUE);
      container(v);
      open.remove(v);
    } else {
      tagged("$repr", PythonRepr.of(v));
    }
  }

  private void container(Object v) {
    if (v instanceof Map<?, ?> m) {
      if (m.keySet().stream().allMatch(k -> k instanceof String)) {
        sb.append('{');
        String sep = "";
        for (Map.Entry<?, ?> e : m.entrySet()) {
          sb.append(sep);
          string((String) e.getKey());
          sb.append(": ");
          write(e.getValue());
          sep = ", ";
        }
        sb.append('}');
      } else {
        sb.append("{\"$dict\": [");
        String sep = "";
        for (Map.Entry<?, ?> e : m.entrySet()) {
          sb.append(sep).append('[');
          write(e.getKey());
          sb.append(", ");
          write(e.getValue());
          sb.append(']');
          sep = ", ";
        }
        sb.append("]}");
      }
      return;
    }
    Iterable<?> items = v instanceof Tuple t ? t.asList() : (Collection<?>) v;
    sb.append('[');
    String sep = "";
    for (Object item : items) {
      sb.append(sep);
      write(item);
      sep = ", ";
    }
    sb.append(']');
  }

  private void tagged(String tag, String text) {
    sb.append("{\"").append(tag).append("\": ");
    string(text);
    sb.append('}');
  }

  private void string(String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      if ((i & 1023) == 0) {
        check();
      }
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
