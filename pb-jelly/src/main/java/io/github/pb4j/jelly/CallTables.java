package io.github.pb4j.jelly;

import io.github.pb4j.banana.Dialect;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The tables one jelly or unjelly call works with (objects met, reference ids, tuples checked for
 * hashability), borrowed from the calling thread for the length of the call. A connection's
 * jellier and unjellier hold none between calls: the connections of an event loop share one set,
 * and a call made while another runs on the same thread (a copyable's code sending something) gets
 * a set of its own.
 *
 * <p><em>Not thread-safe;</em> each set is used by one thread.
 */
final class CallTables {
  private static final FastThreadLocal<CallTables> THREAD =
      new FastThreadLocal<>() {
        @Override
        protected CallTables initialValue() {
          return new CallTables();
        }
      };

  /** The jellier's objects met in this call, by identity. */
  final IdentityTable seen = new IdentityTable();
  /** Tuples found hashable in this call: each is checked once, however often it is shared. */
  final IdentityHashMap<Tuple, Boolean> hashable = new IdentityHashMap<>(4);
  /** The unjellier's tuples whose elements are still being read. */
  final IdentityHashMap<Tuple, Boolean> building = new IdentityHashMap<>(4);
  /** The unjellier's objects by reference id. */
  final Map<Integer, @Nullable Object> references = new HashMap<>();
  /** The jellier's references to insert: pairs of (offset, id). */
  int[] insertions = new int[8];
  private boolean inUse;
  /** The jellier's encodings of recent text dict keys, per dialect; made at first use. */
  private final @Nullable KeyCache[] keyCaches = new KeyCache[Dialect.values().length];

  /**
   * Encoded dict item headers (a list of 2) with {@code [b'unicode', key]} of recent text keys, by
   * the key's hash; a cache.
   */
  static final class KeyCache {
    static final int SLOTS = 64; // a power of two
    final @Nullable String[] text = new String[SLOTS];
    final byte @Nullable [][] bytes = new byte[SLOTS][];
  }

  /** The key cache of {@code dialect} (the bytes depend on it). */
  KeyCache keyCache(Dialect dialect) {
    KeyCache c = keyCaches[dialect.ordinal()];
    if (c == null) {
      c = new KeyCache();
      keyCaches[dialect.ordinal()] = c;
    }
    return c;
  }

  private CallTables() {}

  /** Returns the calling thread's tables, or new ones if a call on this thread holds them. */
  static CallTables borrow() {
    CallTables t = THREAD.get();
    if (t.inUse) {
      return new CallTables();
    }
    t.inUse = true;
    return t;
  }

  /** Empties the tables and gives them back to the thread; at the end of the call. */
  void giveBack() {
    if (!seen.isEmpty()) {
      seen.clear();
    }
    if (!hashable.isEmpty()) {
      hashable.clear();
    }
    if (!building.isEmpty()) {
      building.clear();
    }
    if (!references.isEmpty()) {
      references.clear();
    }
    if (insertions.length > 1 << 12) {
      insertions = new int[8]; // a huge call once does not pin its memory
    }
    inUse = false;
  }
}
