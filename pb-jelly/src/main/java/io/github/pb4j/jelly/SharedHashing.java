package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Hash codes and equality of {@link Tuple}, {@link FrozenSet} and received dicts ({@link
 * CompactDict}) in time linear in the distinct objects of a value, however often it shares them. A received tuple
 * whose two halves are one object, 30 levels deep, is a few hundred bytes on the wire; hashing
 * or comparing it as a tree visits 2^30 leaves.
 *
 * <p>A container whose elements can never change their hash (atoms, text, bytes, dates, and
 * containers of those) keeps its hash once computed; one holding a mutable value (a list, say)
 * computes it again each time, remembering the hashes of such containers (and of the lists, sets
 * and maps inside) for one walk only. The
 * results are those of the {@code List}/{@code Set} contracts, {@link java.util.Arrays#hashCode}
 * and element-wise equality: only the work changes.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
final class SharedHashing {
  private SharedHashing() {}

  /**
   * Returns {@code e.hashCode()}, through {@code memo} for the containers of this walk: lists,
   * sets and maps by their interfaces' contracts, each container once.
   */
  static int hash(@Nullable Object e, Memo memo) {
    if (e == null) {
      return 0;
    }
    if (e instanceof Tuple t) {
      return t.hash(memo);
    }
    if (e instanceof FrozenSet f) {
      return f.hash(memo);
    }
    if (!(e instanceof List || e instanceof Map || e instanceof Set)) {
      return e.hashCode();
    }
    Integer seen = memo.hashOf(e);
    if (seen != null) {
      return seen;
    }
    int h;
    if (e instanceof List<?> l) {
      h = 1;
      for (Object o : l) {
        h = 31 * h + hash(o, memo);
      }
    } else if (e instanceof Set<?> set) {
      h = 0;
      for (Object o : set) {
        h += hash(o, memo);
      }
    } else {
      h = 0;
      for (Map.Entry<?, ?> entry : ((Map<?, ?>) e).entrySet()) {
        h += hash(entry.getKey(), memo) ^ hash(entry.getValue(), memo);
      }
    }
    memo.rememberHash(e, h);
    return h;
  }

  /** Returns true if {@code e}'s hash can never change: a value, or a container whose hash is kept. */
  static boolean isLasting(@Nullable Object e) {
    return e == null || e instanceof String || e instanceof Integer || e instanceof ByteString
        || e instanceof Long || e instanceof Double || e instanceof Boolean
        || (e instanceof Tuple t && t.hashKept()) || (e instanceof FrozenSet f && f.hashKept())
        || e instanceof BigInteger || e instanceof BigDecimal || e instanceof Float
        || e instanceof Short || e instanceof Byte || e instanceof Character
        || e instanceof LocalDateTime || e instanceof LocalDate || e instanceof LocalTime
        || e instanceof Duration || e instanceof Unpersistable;
  }

  /**
   * Returns {@code a.equals(b)}, comparing each pair of containers once: {@code memo} remembers
   * the pairs of tuples, lists and maps already found equal in this comparison. Sets are
   * compared by their own {@code equals} (by hash).
   */
  static boolean equal(@Nullable Object a, @Nullable Object b, Memo memo) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    if (a instanceof Tuple x) {
      return b instanceof Tuple y && x.equalTo(y, memo);
    }
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) {
        return false;
      }
      if (memo.known(x, y)) {
        return true;
      }
      Iterator<?> i = x.iterator();
      Iterator<?> j = y.iterator();
      while (i.hasNext() && j.hasNext()) {
        if (!equal(i.next(), j.next(), memo)) {
          return false;
        }
      }
      if (i.hasNext() || j.hasNext()) {
        return false;
      }
      memo.remember(x, y);
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      return mapsEqual(x, y, memo);
    }
    return a.equals(b);
  }

  /** {@link Map#equals}: the same size, and each key maps to an equal value in both. */
  static boolean mapsEqual(Map<?, ?> x, Map<?, ?> y, Memo memo) {
    if (x == y) {
      return true;
    }
    if (x.size() != y.size()) {
      return false;
    }
    if (memo.known(x, y)) {
      return true;
    }
    try {
      for (Map.Entry<?, ?> e : x.entrySet()) {
        Object value = e.getValue();
        Object other = y.get(e.getKey());
        if (other == null && (value != null || !y.containsKey(e.getKey()))) {
          return false;
        }
        if (!equal(value, other, memo)) {
          return false;
        }
      }
    } catch (ClassCastException | NullPointerException unused) {
      return false; // as AbstractMap.equals: a map that refuses the key does not hold it
    }
    memo.remember(x, y);
    return true;
  }

  /**
   * What one walk learnt: the hashes of containers that do not keep theirs, and the pairs of
   * tuples found equal. Its maps are made when first needed.
   */
  static final class Memo {
    private @Nullable IdentityHashMap<Object, Integer> hashes;
    private @Nullable IdentityHashMap<Object, Object> equal;

    @Nullable Integer hashOf(Object container) {
      IdentityHashMap<Object, Integer> m = hashes;
      return m != null ? m.get(container) : null;
    }

    void rememberHash(Object container, int hash) {
      IdentityHashMap<Object, Integer> m = hashes;
      if (m == null) {
        m = new IdentityHashMap<>();
        hashes = m;
      }
      m.put(container, hash);
    }

    boolean known(Object a, Object b) {
      IdentityHashMap<Object, Object> m = equal;
      return m != null && m.get(a) == b;
    }

    void remember(Object a, Object b) {
      IdentityHashMap<Object, Object> m = equal;
      if (m == null) {
        m = new IdentityHashMap<>();
        equal = m;
      }
      m.put(a, b);
    }
  }
}
