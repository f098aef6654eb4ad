package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.IdentityHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Hash codes and equality of the immutable containers ({@link Tuple}, {@link FrozenSet}) in time
 * linear in the distinct objects of a value, however often it shares them. A received tuple
 * whose two halves are one object, 30 levels deep, is a few hundred bytes on the wire; hashing
 * or comparing it as a tree visits 2^30 leaves.
 *
 * <p>A container whose elements can never change their hash (atoms, text, bytes, dates, and
 * containers of those) keeps its hash once computed; one holding a mutable value (a list, say)
 * computes it again each time, remembering the hashes of such containers for one walk only. The
 * results are those of the {@code List}/{@code Set} contracts, {@link java.util.Arrays#hashCode}
 * and element-wise equality: only the work changes.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
final class SharedHashing {
  private SharedHashing() {}

  /** Returns the hash of one element, through {@code memo} for the containers of this walk. */
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
    return e.hashCode();
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
   * Returns {@code a.equals(b)}, comparing tuples pair by pair once: {@code memo} (made on first
   * need) remembers the pairs of tuples already found equal in this comparison.
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
    return a.equals(b);
  }

  /**
   * What one walk learnt: the hashes of containers that do not keep theirs, and the pairs of
   * tuples found equal. Its maps are made when first needed.
   */
  static final class Memo {
    private @Nullable IdentityHashMap<Object, Integer> hashes;
    private @Nullable IdentityHashMap<Tuple, Tuple> equal;

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

    boolean known(Tuple a, Tuple b) {
      IdentityHashMap<Tuple, Tuple> m = equal;
      return m != null && m.get(a) == b;
    }

    void remember(Tuple a, Tuple b) {
      IdentityHashMap<Tuple, Tuple> m = equal;
      if (m == null) {
        m = new IdentityHashMap<>();
        equal = m;
      }
      m.put(a, b);
    }
  }
}
