package io.github.pb4j.interop.broker;

import io.github.pb4j.RemoteReference;
import io.github.pb4j.jelly.FrozenSet;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.jelly.Tuple;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The canonical text of a value in the Broker suite: Python's {@code repr}, except that set
 * elements are sorted (so the text does not depend on hashing) and remote references print as
 * {@code <ref>}. Twin of {@code canon} in {@code broker_common.py}; both must render a value alike.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
final class Canonical {
  private Canonical() {}

  static String repr(@Nullable Object v) {
    if (v instanceof RemoteReference) {
      return "<ref>";
    }
    if (v instanceof Tuple t) {
      return join(t.asList(), "(", t.size() == 1 ? ",)" : ")");
    }
    if (v instanceof List<?> l) {
      return join(l, "[", "]");
    }
    if (v instanceof Map<?, ?> m) {
      return m.entrySet().stream()
          .map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    if (v instanceof Set<?> s) {
      boolean frozen = v instanceof FrozenSet;
      if (s.isEmpty()) {
        return frozen ? "frozenset()" : "set()";
      }
      String inner = s.stream().map(Canonical::repr).sorted().collect(Collectors.joining(", "));
      return frozen ? "frozenset({" + inner + "})" : "{" + inner + "}";
    }
    return PythonRepr.of(v);
  }

  /** How a call's arguments arrived: the positional tuple, then the keywords sorted by name. */
  static String callText(@Nullable Object[] args, Map<String, ?> kw) {
    return repr(Tuple.copyOf(Arrays.asList(args))) + " " + repr(new TreeMap<>(kw));
  }

  private static String join(List<?> items, String open, String close) {
    return items.stream().map(Canonical::repr).collect(Collectors.joining(", ", open, close));
  }
}
