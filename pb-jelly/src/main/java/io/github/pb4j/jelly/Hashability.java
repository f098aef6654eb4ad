package io.github.pb4j.jelly;

import io.github.pb4j.jelly.internal.TypeCoercion;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Python's rule for dict keys and set elements, which Jelly applies in both directions: lists,
 * dicts and sets (also inside a tuple) are unhashable. Python refuses them ({@code TypeError:
 * unhashable type}); a Java map would accept them, but their hash changes with their contents.
 * A frozenset is hashable: its own elements are checked where it is read or written.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
final class Hashability {
  private Hashability() {}

  /**
   * Returns {@code value}, or throws if Python could not hash it.
   *
   * @param what names the place in the message, e.g. {@code "dictionary key"}
   * @param unfinished tuples whose elements are still being read: never hashable
   * @param hashable tuples already found hashable, which this check adds to: each tuple of a value
   *     that shares is looked at once (a tuple whose halves are one object, 30 levels deep, is
   *     2^30 tuples as a tree)
   */
  static @Nullable Object check(
      @Nullable Object value, String what, Map<Tuple, Boolean> unfinished, Map<Tuple, Boolean> hashable) {
    // Exact final types first: on JDK 17 a failed instanceof against an interface scans the
    // class's supertypes, which made this check half the cost of jellying a dict.
    if (value == null || value instanceof String || value instanceof Integer
        || value instanceof io.github.pb4j.banana.ByteString || value instanceof Long
        || value instanceof Double || value instanceof Boolean) {
      return value;
    }
    if (!(value instanceof List || value instanceof Map || value instanceof Set || value instanceof Tuple)) {
      return value; // the common case: atoms, text, None, copyables
    }
    String type = unhashableType(value, unfinished, hashable, new IdentityHashMap<>());
    if (type != null) {
      throw new JellyException("builtins.TypeError",
          what + ": unhashable type '" + type + "' (expected: a hashable value)", null);
    }
    return value;
  }

  /**
   * Returns true if Python could hash {@code value}, a value read whole (no tuple of it is still
   * being read): the rule of {@link #check}, without an exception.
   */
  static boolean isHashable(@Nullable Object value) {
    if (value == null || value instanceof String || value instanceof Integer
        || value instanceof io.github.pb4j.banana.ByteString || value instanceof Long
        || value instanceof Double || value instanceof Boolean) {
      return true;
    }
    return unhashableType(value, Map.of(), new IdentityHashMap<>(), new IdentityHashMap<>()) == null;
  }

  private static @Nullable String unhashableType(@Nullable Object value, Map<Tuple, Boolean> unfinished,
      Map<Tuple, Boolean> hashable, IdentityHashMap<Tuple, Boolean> path) {
    if (value instanceof FrozenSet) {
      return null;
    }
    if (value instanceof List || value instanceof Map || value instanceof Set) {
      return TypeCoercion.pythonTypeName(value);
    }
    if (value instanceof Tuple t) {
      if (hashable.containsKey(t)) {
        return null;
      }
      // A tuple that contains itself, through a container still being read or directly (which
      // Python cannot build), is never hashable.
      if (unfinished.containsKey(t) || path.put(t, Boolean.TRUE) != null) {
        return "tuple";
      }
      for (Object element : t) {
        String inner = unhashableType(element, unfinished, hashable, path);
        if (inner != null) {
          return inner;
        }
      }
      path.remove(t);
      hashable.put(t, Boolean.TRUE);
    }
    return null;
  }
}
