package io.github.pb4j.jelly;

/**
 * The jellier's record of the objects met in one jelly call: for each, by identity, the output
 * offset where it was written and the reference id it was given (0 until it is met again).
 * Open addressing over parallel arrays, so that recording an object allocates nothing; cleared
 * after each call by wiping only the slots used.
 *
 * <p><em>Not thread-safe.</em>
 */
final class IdentityTable {
  // A power of two; small, as most calls hold few containers and every connection has a table.
  private static final int INITIAL_CAPACITY = 8;
  private static final int MAX_KEPT_CAPACITY = 1 << 14;

  private Object[] keys = new Object[INITIAL_CAPACITY];
  private int[] offsets = new int[INITIAL_CAPACITY];
  private int[] ids = new int[INITIAL_CAPACITY];
  /** Slots in use, in order of use, for a cheap clear. */
  private int[] used = new int[INITIAL_CAPACITY];
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  /** Returns the slot of {@code key}, or {@code -1 - slot} where it would go. */
  int find(Object key) {
    Object[] k = keys;
    int mask = k.length - 1;
    int i = mix(System.identityHashCode(key)) & mask;
    while (true) {
      Object o = k[i];
      if (o == key) {
        return i;
      }
      if (o == null) {
        return -1 - i;
      }
      i = (i + 1) & mask;
    }
  }

  /** Records {@code key} at the slot {@link #find} gave for it ({@code -1 - slot}). */
  void add(int missing, Object key, int offset) {
    int slot = -1 - missing;
    keys[slot] = key;
    offsets[slot] = offset;
    ids[slot] = 0;
    used[size++] = slot;
    if (size * 2 > keys.length) {
      grow();
    }
  }

  int offset(int slot) {
    return offsets[slot];
  }

  int id(int slot) {
    return ids[slot];
  }

  void setId(int slot, int id) {
    ids[slot] = id;
  }

  void clear() {
    if (keys.length > MAX_KEPT_CAPACITY) {
      // A huge graph went out once: do not keep its table for the connection's lifetime.
      keys = new Object[INITIAL_CAPACITY];
      offsets = new int[INITIAL_CAPACITY];
      ids = new int[INITIAL_CAPACITY];
      used = new int[INITIAL_CAPACITY];
      size = 0;
      return;
    }
    Object[] k = keys;
    for (int i = 0; i < size; i++) {
      k[used[i]] = null;
    }
    size = 0;
  }

  private void grow() {
    Object[] oldKeys = keys;
    int[] oldOffsets = offsets;
    int[] oldIds = ids;
    int[] oldUsed = used;
    int n = size;
    keys = new Object[oldKeys.length * 2];
    offsets = new int[keys.length];
    ids = new int[keys.length];
    used = new int[keys.length];
    size = 0;
    for (int j = 0; j < n; j++) {
      int s = oldUsed[j];
      int slot = find(oldKeys[s]);
      keys[-1 - slot] = oldKeys[s];
      offsets[-1 - slot] = oldOffsets[s];
      ids[-1 - slot] = oldIds[s];
      used[size++] = -1 - slot;
    }
  }

  private static int mix(int h) {
    // identityHashCode's low bits are fine on HotSpot, but spread them anyway for linear probing.
    return h ^ (h >>> 16);
  }
}
