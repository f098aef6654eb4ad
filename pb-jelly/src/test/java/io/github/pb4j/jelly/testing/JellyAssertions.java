package io.github.pb4j.jelly.testing;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.FrozenSet;
import io.github.pb4j.jelly.PythonRepr;
import io.github.pb4j.jelly.Tuple;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Compares Jelly object graphs the way Python would tell them apart: by type as well as value
 * ({@code bytes} vs {@code str}, {@code list} vs {@code tuple}, {@code set} vs {@code frozenset},
 * {@code int} vs {@code bool}, {@code Integer} vs {@code Long} vs {@code BigInteger}), floats by
 * their bits (any NaN equals any NaN), and with the same sharing: two containers that are one
 * object in the expected graph must be one object in the actual graph, and two distinct ones
 * distinct. Never calls {@code equals} or {@code hashCode} on containers, so cycles are fine.
 *
 * <p><em>Not thread-safe.</em>
 */
public final class JellyAssertions {
  private final boolean setOrderMatters;
  private IdentityHashMap<Object, Object> forward = new IdentityHashMap<>();
  private IdentityHashMap<Object, Object> backward = new IdentityHashMap<>();

  private JellyAssertions(boolean setOrderMatters) {
    this.setOrderMatters = setOrderMatters;
  }

  /**
   * Asserts that {@code actual} is the same graph as {@code expected}, sets compared in iteration
   * order (as they are after a Jelly round trip within Java).
   */
  public static void assertSameGraph(@Nullable Object expected, @Nullable Object actual) {
    new JellyAssertions(true).check(expected, actual, "value");
  }

  /**
   * Like {@link #assertSameGraph} but sets match in any order: for values that went through
   * Python, which iterates sets in hash order.
   */
  public static void assertSameGraphAnySetOrder(@Nullable Object expected, @Nullable Object actual) {
    new JellyAssertions(false).check(expected, actual, "value");
  }

  /** Returns true if the graphs are the same (see {@link #assertSameGraph}). */
  public static boolean isSameGraph(@Nullable Object expected, @Nullable Object actual, boolean setOrderMatters) {
    try {
      new JellyAssertions(setOrderMatters).check(expected, actual, "value");
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  /** Where a value sits in the graph; the text is built only for a failure message. */
  private record Path(@Nullable Path parent, String step) {
    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (Path p = this; p != null; p = p.parent) {
        sb.insert(0, p.step);
      }
      return sb.toString();
    }
  }

  private record Pair(@Nullable Object expected, @Nullable Object actual, Path path) {}

  private final ArrayDeque<Pair> work = new ArrayDeque<>();

  private void check(@Nullable Object expected, @Nullable Object actual, String path) {
    // Iterative, so that graphs as deep as Jelly allows need no deep stack.
    work.push(new Pair(expected, actual, new Path(null, path)));
    while (!work.isEmpty()) {
      Pair p = work.pop();
      checkOne(p.expected, p.actual, p.path);
    }
  }

  private void later(@Nullable Object expected, @Nullable Object actual, Path parent, String step) {
    work.push(new Pair(expected, actual, new Path(parent, step)));
  }

  private void checkOne(@Nullable Object expected, @Nullable Object actual, Path path) {
    if (expected == null || actual == null) {
      if (expected != actual) {
        throw fail(path, expected, actual);
      }
      return;
    }
    if (isContainer(expected)) {
      if (sameIdentity(expected, actual, path)) {
        checkContainer(expected, actual, path);
      }
      return;
    }
    if (expected.getClass() != actual.getClass()) {
      throw fail(path, expected, actual);
    }
    if (expected instanceof Double d) {
      double a = (Double) actual;
      if (!(Double.isNaN(d) && Double.isNaN(a)) && Double.doubleToRawLongBits(d) != Double.doubleToRawLongBits(a)) {
        throw fail(path, expected, actual);
      }
    } else if (expected instanceof Record r) {
      checkRecord(r, (Record) actual, path);
    } else if (!expected.equals(actual)) {
      throw fail(path, expected, actual);
    }
  }

  /** Returns true if this pair is new (the caller compares contents); fails on inconsistent sharing. */
  private boolean sameIdentity(Object expected, Object actual, Path path) {
    Object mapped = forward.get(expected);
    Object reverse = backward.get(actual);
    if (mapped == null && reverse == null) {
      forward.put(expected, actual);
      backward.put(actual, expected);
      return true;
    }
    if (mapped != actual || reverse != expected) {
      throw new AssertionError(path + ": sharing differs (one object in one graph, two in the other)");
    }
    return false;
  }

  private void checkContainer(Object expected, Object actual, Path path) {
    if (expected instanceof Tuple t) {
      if (!(actual instanceof Tuple a)) {
        throw fail(path, expected, actual);
      }
      checkSequence(t.asList(), a.asList(), path);
    } else if (expected instanceof List<?> l) {
      if (!(actual instanceof List<?> a)) {
        throw fail(path, expected, actual);
      }
      checkSequence(l, a, path);
    } else if (expected instanceof Map<?, ?> m) {
      if (!(actual instanceof Map<?, ?> a) || a.size() != m.size()) {
        throw fail(path, expected, actual);
      }
      List<Map.Entry<?, ?>> expectedEntries = new ArrayList<>(m.entrySet());
      List<Map.Entry<?, ?>> actualEntries = new ArrayList<>(a.entrySet());
      for (int i = expectedEntries.size() - 1; i >= 0; i--) {
        Map.Entry<?, ?> e = expectedEntries.get(i);
        Map.Entry<?, ?> ae = actualEntries.get(i);
        later(e.getValue(), ae.getValue(), path, "[" + PythonRepr.of(e.getKey()) + "]");
        later(e.getKey(), ae.getKey(), path, ".key" + i);
      }
    } else {
      Set<?> s = (Set<?>) expected;
      if (!(actual instanceof Set<?> a) || (s instanceof FrozenSet) != (a instanceof FrozenSet)
          || a.size() != s.size()) {
        throw fail(path, expected, actual);
      }
      if (setOrderMatters) {
        checkSequence(new ArrayList<>(s), new ArrayList<>(a), path);
      } else {
        checkUnordered(s, a, path);
      }
    }
  }

  private void checkSequence(List<?> expected, List<?> actual, Path path) {
    if (expected.size() != actual.size()) {
      throw fail(path, expected, actual);
    }
    for (int i = expected.size() - 1; i >= 0; i--) {
      later(expected.get(i), actual.get(i), path, "[" + i + "]");
    }
  }

  /** Matches each expected element with some actual element, trying candidates on a copy of the identity maps. */
  private void checkUnordered(Set<?> expected, Set<?> actual, Path path) {
    List<Object> remaining = new ArrayList<>(actual);
    for (Object e : expected) {
      boolean matched = false;
      for (Iterator<Object> it = remaining.iterator(); it.hasNext(); ) {
        Object candidate = it.next();
        JellyAssertions trial = new JellyAssertions(false);
        trial.forward = new IdentityHashMap<>(forward);
        trial.backward = new IdentityHashMap<>(backward);
        try {
          trial.check(e, candidate, path + "{" + PythonRepr.of(e) + "}");
        } catch (AssertionError mismatch) {
          continue;
        }
        forward = trial.forward;
        backward = trial.backward;
        it.remove();
        matched = true;
        break;
      }
      if (!matched) {
        throw new AssertionError(path + ": no element matches " + PythonRepr.of(e) + " in " + PythonRepr.of(actual));
      }
    }
  }

  private void checkRecord(Record expected, Record actual, Path path) {
    for (RecordComponent c : expected.getClass().getRecordComponents()) {
      try {
        var accessor = c.getAccessor();
        accessor.setAccessible(true);
        later(accessor.invoke(expected), accessor.invoke(actual), path, "." + c.getName());
      } catch (ReflectiveOperationException e) {
        throw new AssertionError("cannot read " + c, e);
      }
    }
  }

  private static boolean isContainer(Object value) {
    return value instanceof List || value instanceof Map || value instanceof Set || value instanceof Tuple;
  }

  private static AssertionError fail(Path path, @Nullable Object expected, @Nullable Object actual) {
    return new AssertionError(path + ": expected " + describe(expected) + " but was " + describe(actual));
  }

  private static String describe(@Nullable Object value) {
    String repr = PythonRepr.of(value);
    if (repr.length() > 200) {
      repr = repr.substring(0, 197) + "...";
    }
    String type = value == null ? "null" : value instanceof ByteString ? "ByteString" : value.getClass().getSimpleName();
    return repr + " (" + type + ")";
  }
}
