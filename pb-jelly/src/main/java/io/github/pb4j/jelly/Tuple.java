package io.github.pb4j.jelly;

import io.github.pb4j.jelly.internal.JellyAccess;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;

/**
 * An immutable sequence: the Java form of a Python {@code tuple}, on the wire {@code [b'tuple',
 * ...]}.
 *
 * <p>Deliberately not a {@link List}: a tuple and a list with the same elements are different
 * values in Python and in pb4j. Elements may be {@code null} (Python {@code None}). Equality is by
 * elements; hashing and comparing take time linear in the distinct objects of a tuple, also one
 * that holds the same object many times (as a received value may).
 *
 * <p><em>Immutable</em> (once built; the decoder fills a tuple's elements before handing it out).
 */
public final class Tuple implements Iterable<@Nullable Object> {
  private static final Tuple EMPTY = new Tuple(new Object[0]);

  static {
    JellyAccess.install(new Access());
  }

  /** pb-jelly's side of {@link JellyAccess}, for the one-pass reader. */
  private static final class Access extends JellyAccess {
    @Override
    public Tuple newTuple(int size) {
      return ofSize(size);
    }

    @Override
    public void fill(Tuple tuple, int index, @Nullable Object value) {
      tuple.fill(index, value);
    }

    @Override
    public Map<@Nullable Object, @Nullable Object> newDict(int size) {
      return new CompactDict(size);
    }

    @Override
    public void putNew(Map<@Nullable Object, @Nullable Object> dict, @Nullable Object key, @Nullable Object value) {
      ((CompactDict) dict).putNew(key, value);
    }

    @Override
    public boolean isHashable(@Nullable Object key) {
      return Hashability.isHashable(key);
    }
  }

  private final @Nullable Object[] elements;
  /** The hash once kept (see {@link SharedHashing}); 0 with {@link #hashIsZero} false: not kept. */
  private int hash;
  private boolean hashIsZero;

  private Tuple(@Nullable Object[] elements) {
    this.elements = elements;
  }

  /** Returns a tuple of the given elements. */
  public static Tuple of(@Nullable Object... elements) {
    return elements.length == 0 ? EMPTY : new Tuple(elements.clone());
  }

  /** Returns a tuple holding the elements of {@code elements}, in order. */
  public static Tuple copyOf(List<?> elements) {
    return elements.isEmpty() ? EMPTY : new Tuple(elements.toArray());
  }

  /** Not public API: a tuple whose slots the decoder fills, so that cycles can refer to it. */
  static Tuple ofSize(int size) {
    return size == 0 ? EMPTY : new Tuple(new Object[size]);
  }

  /** Not public API: fills a slot of a tuple made by {@link #ofSize}. */
  void fill(int index, @Nullable Object value) {
    elements[index] = value;
    hash = 0;
    hashIsZero = false;
  }

  public int size() {
    return elements.length;
  }

  public boolean isEmpty() {
    return elements.length == 0;
  }

  public @Nullable Object get(int index) {
    return elements[index];
  }

  /** Returns the elements as an unmodifiable list, a view of this tuple. */
  public List<@Nullable Object> asList() {
    return new View(elements);
  }

  /** The list view of a tuple: one object over the tuple's array, read-only. */
  private static final class View extends AbstractList<@Nullable Object> implements RandomAccess {
    private final @Nullable Object[] elements;

    View(@Nullable Object[] elements) {
      this.elements = elements;
    }

    @Override
    public @Nullable Object get(int index) {
      return elements[index];
    }

    @Override
    public int size() {
      return elements.length;
    }

    @Override
    public Object[] toArray() {
      return Arrays.copyOf(elements, elements.length, Object[].class);
    }

    // Refused even when they would change nothing, as an unmodifiable list refuses them.
    @Override
    public boolean remove(@Nullable Object o) {
      throw new UnsupportedOperationException("a tuple is immutable");
    }

    @Override
    public boolean addAll(java.util.Collection<? extends @Nullable Object> c) {
      throw new UnsupportedOperationException("a tuple is immutable");
    }

    @Override
    public boolean addAll(int index, java.util.Collection<? extends @Nullable Object> c) {
      throw new UnsupportedOperationException("a tuple is immutable");
    }

    @Override
    public boolean removeAll(java.util.Collection<?> c) {
      throw new UnsupportedOperationException("a tuple is immutable");
    }

    @Override
    public boolean retainAll(java.util.Collection<?> c) {
      throw new UnsupportedOperationException("a tuple is immutable");
    }

    @Override
    public List<@Nullable Object> subList(int fromIndex, int toIndex) {
      return java.util.Collections.unmodifiableList(super.subList(fromIndex, toIndex));
    }

    @Override
    public void clear() {
      throw new UnsupportedOperationException("a tuple is immutable");
    }

    @Override
    public boolean removeIf(java.util.function.Predicate<? super @Nullable Object> filter) {
      throw new UnsupportedOperationException("a tuple is immutable");
    }

    @Override
    public void replaceAll(java.util.function.UnaryOperator<@Nullable Object> operator) {
      throw new UnsupportedOperationException("a tuple is immutable");
    }

    @Override
    public void sort(java.util.@Nullable Comparator<? super @Nullable Object> c) {
      throw new UnsupportedOperationException("a tuple is immutable");
    }
  }

  @Override
  public Iterator<@Nullable Object> iterator() {
    return asList().iterator();
  }

  /**
   * Equal to a tuple with equal elements. Linear in the distinct tuples compared, even when the
   * tuples share parts (each pair of tuples is compared once).
   */
  @Override
  public boolean equals(@Nullable Object o) {
    return o == this || (o instanceof Tuple t && equalTo(t, new SharedHashing.Memo()));
  }

  boolean equalTo(Tuple t, SharedHashing.Memo memo) {
    if (t == this) {
      return true;
    }
    @Nullable Object[] other = t.elements;
    if (other.length != elements.length || (hash != 0 && t.hash != 0 && hash != t.hash)) {
      return false;
    }
    if (memo.known(this, t)) {
      return true;
    }
    for (int i = 0; i < elements.length; i++) {
      if (!SharedHashing.equal(elements[i], other[i], memo)) {
        return false;
      }
    }
    memo.remember(this, t);
    return true;
  }

  /**
   * {@link java.util.Arrays#hashCode} of the elements, computed once for a tuple of values that
   * cannot change, and in time linear in the distinct containers however much they share.
   */
  @Override
  public int hashCode() {
    int h = hash;
    return h != 0 || hashIsZero ? h : hash(new SharedHashing.Memo());
  }

  int hash(SharedHashing.Memo memo) {
    int h = hash;
    if (h != 0 || hashIsZero) {
      return h;
    }
    Integer seen = memo.hashOf(this);
    if (seen != null) {
      return seen;
    }
    h = 1;
    boolean lasting = true;
    for (Object e : elements) {
      h = 31 * h + SharedHashing.hash(e, memo);
      lasting &= SharedHashing.isLasting(e);
    }
    if (!lasting) {
      memo.rememberHash(this, h);
    } else if (h == 0) {
      hashIsZero = true;
    } else {
      hash = h;
    }
    return h;
  }

  /** True once the hash is kept: the elements can never change theirs. */
  boolean hashKept() {
    return hash != 0 || hashIsZero;
  }

  /** Returns Python notation, e.g. {@code (1,)} or {@code (1, 'a')}. */
  @Override
  public String toString() {
    return PythonRepr.of(this);
  }
}
