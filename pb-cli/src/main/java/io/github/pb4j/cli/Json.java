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
 * <p><em>Thread-safe</em> (stateless).
 */
final class Json {
  private Json() {}

  static String of(@Nullable Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, new IdentityHashMap<>());
    return sb.toString();
  }

  private static void write(
      StringBuilder sb, @Nullable Object v, IdentityHashMap<Object, Boolean> open) {
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
        tagged(sb, "$float", SexpFormatter.pythonFloat(d));
      }
    } else if (v instanceof String || v instanceof Character) {
      string(sb, v.toString());
    } else if (v instanceof ByteString b) {
      tagged(sb, "$bytes", Base64.getEncoder().encodeToString(b.toByteArray()));
    } else if (v instanceof byte[] b) {
      tagged(sb, "$bytes", Base64.getEncoder().encodeToString(b));
    } else if (v instanceof BigDecimal d) {
      tagged(sb, "$decimal", d.toString());
    } else if (v instanceof RemoteReference r) {
      sb.append("{\"$remote\": ");
      write(sb, r.luid(), open);
      sb.append('}');
    } else if (open.containsKey(v)) {
      tagged(sb, "$repr", "<cycle>");
    } else if (v instanceof Tuple || v instanceof Collection || v instanceof Map) {
      open.put(v, Boolean.TRUE);
      container(sb, v, open);
      open.remove(v);
    } else {
      tagged(sb, "$repr", PythonRepr.of(v));
    }
  }

  private static void container(StringBuilder sb, Object v, IdentityHashMap<Object, Boolean> open) {
    if (v instanceof Map<?, ?> m) {
      if (m.keySet().stream().allMatch(k -> k instanceof String)) {
        sb.append('{');
        String sep = "";
        for (Map.Entry<?, ?> e : m.entrySet()) {
          sb.append(sep);
          string(sb, (String) e.getKey());
          sb.append(": ");
          write(sb, e.getValue(), open);
          sep = ", ";
        }
        sb.append('}');
      } else {
        sb.append("{\"$dict\": [");
        String sep = "";
        for (Map.Entry<?, ?> e : m.entrySet()) {
          sb.append(sep).append('[');
          write(sb, e.getKey(), open);
          sb.append(", ");
          write(sb, e.getValue(), open);
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
      write(sb, item, open);
      sep = ", ";
    }
    sb.append(']');
  }

  private static void tagged(StringBuilder sb, String tag, String text) {
    sb.append("{\"").append(tag).append("\": ");
    string(sb, text);
    sb.append('}');
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
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
