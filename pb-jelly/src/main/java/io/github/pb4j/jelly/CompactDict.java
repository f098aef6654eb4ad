package io.github.pb4j.jelly;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The map a received dict becomes: mutable, insertion-ordered (wire order), null keys and values
 * allowed, equal to any {@link Map} with the same entries. Most dicts on the wire are small
 * records, so up to {@value #MAX_COMPACT} entries live in one array searched linearly (a third of
 * a {@link LinkedHashMap}'s memory, no hashing); a larger map moves into a {@code LinkedHashMap}
 * and stays there.
 *
 * <p>Iterators are fail-fast and support {@code remove}; entries write through with {@code
 * setValue}.
 *
 * <p><em>Not thread-safe.</em>
 */
final class CompactDict extends AbstractMap<@Nullable Object, @Nullable Object> {
  /** Entries kept in the array; one more moves the map into a LinkedHashMap. */
  static final int MAX_COMPACT = 8;

  /** Keys at even, values at odd indexes; {@code null} once {@link #large} is in use. */
  private @Nullable Object @Nullable [] slots;
  private int size;
  private int modCount;
  private @Nullable LinkedHashMap<@Nullable Object, @Nullable Object> large;
  private @Nullable Set<Entry<@Nullable Object, @Nullable Object>> entrySet;

  /** Creates an empty map with room for {@code expected} entries. */
  CompactDict(int expected) {
    if (expected > MAX_COMPACT) {
      large = new LinkedHashMap<>((Math.min(expected, 1 << 16) * 4 + 2) / 3);
    } else {
      slots = new Object[Math.max(expected, 1) * 2];
    }
  }

  @Override
  public int size() {
    LinkedHashMap<@Nullable Object, @Nullable Object> l = large;
    return l != null ? l.size() : size;
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  private int indexOf(@Nullable Object key) {
    Object[] s = slots;
    int n = size * 2;
    for (int i = 0; i < n; i += 2) {
      Object k = s[i];
      if (k == key || (key != null && key.equals(k))) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    LinkedHashMap<@Nullable Object, @Nullable Object> l = large;
    return l != null ? l.containsKey(key) : indexOf(key) >= 0;
  }

  @Override
  public @Nullable Object get(@Nullable Object key) {
    LinkedHashMap<@Nullable Object, @Nullable Object> l = large;
    if (l != null) {
      return l.get(key);
    }
    int i = indexOf(key);
    return i >= 0 ? slots[i + 1] : null;
  }

  @Override
  public @Nullable Object put(@Nullable Object key, @Nullable Object value) {
    LinkedHashMap<@Nullable Object, @Nullable Object> l = large;
    if (l != null) {
      return l.put(key, value);
    }
    int i = indexOf(key);
    if (i >= 0) {
      Object old = slots[i + 1];
      slots[i + 1] = value;
      return old;
    }
    append(key, value);
    return null;
  }

  /**
   * Adds an entry whose key the caller knows is not in the map, without searching for it (the
   * one-pass reader knows when a dict's keys are all different).
   */
  void putNew(@Nullable Object key, @Nullable Object value) {
    LinkedHashMap<@Nullable Object, @Nullable Object> l = large;
    if (l != null) {
      l.put(key, value);
    } else {
      append(key, value);
    }
  }

  /** Adds an entry to the compact form, whose key is not in the map; moves to the large form when full. */
  private void append(@Nullable Object key, @Nullable Object value) {
    if (size == MAX_COMPACT) {
      LinkedHashMap<@Nullable Object, @Nullable Object> l = new LinkedHashMap<>(MAX_COMPACT * 4);
      for (int j = 0; j < size * 2; j += 2) {
        l.put(slots[j], slots[j + 1]);
      }
      l.put(key, value);
      large = l;
      slots = null;
      size = 0;
      modCount++;
      return;
    }
    Object[] s = slots;
    if (s.length == size * 2) {
      s = Arrays.copyOf(s, Math.min(MAX_COMPACT, size * 2) * 2);
      slots = s;
    }
    s[size * 2] = key;
    s[size * 2 + 1] = value;
    size++;
    modCount++;
  }

  @Override
  public @Nullable Object remove(@Nullable Object key) {
    LinkedHashMap<@Nullable Object, @Nullable Object> l = large;
    if (l != null) {
      return l.remove(key);
    }
    int i = indexOf(key);
    if (i < 0) {
      return null;
    }
    Object old = slots[i + 1];
    removeAt(i);
    return old;
  }

  private void removeAt(int i) {
    Object[] s = slots;
    System.arraycopy(s, i + 2, s, i, size * 2 - i - 2);
    size--;
    s[size * 2] = null;
    s[size * 2 + 1] = null;
    modCount++;
  }

  @Override
  public void clear() {
    LinkedHashMap<@Nullable Object, @Nullable Object> l = large;
    if (l != null) {
      l.clear();
      return;
    }
    Arrays.fill(slots, 0, size * 2, null);
    size = 0;
    modCount++;
  }

  @Override
  public void forEach(BiConsumer<? super @Nullable Object, ? super @Nullable Object> action) {
    LinkedHashMap<@Nullable Object, @Nullable Object> l = large;
    if (l != null) {
      l.forEach(action);
      return;
    }
    int expected = modCount;
    Object[] s = slots;
    for (int i = 0; i < size * 2; i += 2) {
      action.accept(s[i], s[i + 1]);
      if (modCount != expected) {
        throw new ConcurrentModificationException();
      }
    }
  }

  @Override
  public Set<Entry<@Nullable Object, @Nullable Object>> entrySet() {
    LinkedHashMap<@Nullable Object, @Nullable Object> l = large;
    if (l != null) {
      return l.entrySet();
    }
    Set<Entry<@Nullable Object, @Nullable Object>> es = entrySet;
    if (es == null) {
      es = new EntrySet();
      entrySet = es;
    }
    return es;
  }

  /** The entry view of the compact form; delegates to the large map once there is one. */
  private final class EntrySet extends AbstractSet<Entry<@Nullable Object, @Nullable Object>> {
    @Override
    public int size() {
      return CompactDict.this.size();
    }

    @Override
    public void clear() {
      CompactDict.this.clear();
    }

    @Override
    public Iterator<Entry<@Nullable Object, @Nullable Object>> iterator() {
      LinkedHashMap<@Nullable Object, @Nullable Object> l = large;
      return l != null ? l.entrySet().iterator() : new EntryIterator();
    }
  }

  private final class EntryIterator implements Iterator<Entry<@Nullable Object, @Nullable Object>> {
    private int next;
    private int last = -1;
    private int expected = modCount;

    @Override
    public boolean hasNext() {
      return next < size * 2;
    }

    @Override
    public Entry<@Nullable Object, @Nullable Object> next() {
      if (modCount != expected || large != null) {
        throw new ConcurrentModificationException();
      }
      if (next >= size * 2) {
        throw new NoSuchElementException();
      }
      last = next;
      next += 2;
      return new SlotEntry(last);
    }

    @Override
    public void remove() {
      if (last < 0) {
        throw new IllegalStateException("next() not called, or remove() called twice");
      }
      if (modCount != expected || large != null) {
        throw new ConcurrentModificationException();
      }
      removeAt(last);
      next = last;
      last = -1;
      expected = modCount;
    }
  }

  /** An entry that reads and writes its slot while the map stays compact. */
  private final class SlotEntry implements Entry<@Nullable Object, @Nullable Object> {
    private final int index;
    private final @Nullable Object key;

    SlotEntry(int index) {
      this.index = index;
      this.key = slots[index];
    }

    @Override
    public @Nullable Object getKey() {
      return key;
    }

    @Override
    public @Nullable Object getValue() {
      return current() ? slots[index + 1] : CompactDict.this.get(key);
    }

    @Override
    public @Nullable Object setValue(@Nullable Object value) {
      if (current()) {
        Object old = slots[index + 1];
        slots[index + 1] = value;
        return old;
      }
      return CompactDict.this.put(key, value);
    }

    private boolean current() {
      Object[] s = slots;
      return s != null && index < size * 2 && s[index] == key;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Entry<?, ?> e && Objects.equals(key, e.getKey()) && Objects.equals(getValue(), e.getValue());
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(key) ^ Objects.hashCode(getValue());
    }

    @Override
    public String toString() {
      return key + "=" + getValue();
    }
  }

  /**
   * {@link Map#hashCode}, in time linear in the distinct containers inside, however often the
   * values share them (a received value may hold one list at each of 30 levels twice).
   */
  @Override
  public int hashCode() {
    return SharedHashing.hash(this, new SharedHashing.Memo());
  }

  /** {@link Map#equals}, comparing each pair of containers inside once (see {@link #hashCode}). */
  @Override
  public boolean equals(@Nullable Object o) {
    return o == this || (o instanceof Map<?, ?> m && SharedHashing.mapsEqual(this, m, new SharedHashing.Memo()));
  }

  // ------------------------------------------------------------- for the jellier and readers

  /** Returns true while the entries are in the array ({@link #keyAt}, {@link #valueAt} apply). */
  boolean isCompact() {
    return large == null;
  }

  /** The key of the {@code i}-th entry of a compact map. */
  @Nullable Object keyAt(int i) {
    return slots[i * 2];
  }

  /** The value of the {@code i}-th entry of a compact map. */
  @Nullable Object valueAt(int i) {
    return slots[i * 2 + 1];
  }
}
