package io.github.pb4j.jelly;

import java.util.AbstractSet;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An immutable set: the Java form of a Python {@code frozenset}, on the wire {@code
 * [b'frozenset', ...]}. Any other {@link Set} is sent as a Python {@code set}.
 *
 * <p>Equal to any set with the same elements, as in Python ({@code frozenset({1}) == {1}}).
 * Iteration follows insertion order. Every factory call returns a new object, empty ones
 * included: in CPython {@code frozenset()} is not a singleton, so two empty frozensets are two
 * objects on the wire and Jelly must not merge them into one reference.
 *
 * <p><em>Immutable.</em>
 */
public final class FrozenSet extends AbstractSet<@Nullable Object> {
  private final Set<@Nullable Object> elements;
  /** The hash once kept (see {@link SharedHashing}); 0 with {@link #hashIsZero} false: not kept. */
  private int hash;
  private boolean hashIsZero;

  private FrozenSet(LinkedHashSet<@Nullable Object> elements) {
    this.elements = Collections.unmodifiableSet(elements);
  }

  /** Returns a frozen set of the given elements. */
  public static FrozenSet of(@Nullable Object... elements) {
    LinkedHashSet<@Nullable Object> set = new LinkedHashSet<>();
    Collections.addAll(set, elements);
    return new FrozenSet(set);
  }

  /** Returns a frozen set of the elements of {@code elements}. */
  public static FrozenSet copyOf(Collection<?> elements) {
    return new FrozenSet(new LinkedHashSet<>(elements));
  }

  @Override
  public Iterator<@Nullable Object> iterator() {
    return elements.iterator();
  }

  @Override
  public int size() {
    return elements.size();
  }

  @Override
  public boolean contains(@Nullable Object o) {
    return elements.contains(o);
  }

  /**
   * The sum of the elements' hashes ({@link Set}'s contract), computed once for a set of values
   * that cannot change, and in time linear in the distinct containers however much they share.
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
    h = 0;
    boolean lasting = true;
    for (Object e : elements) {
      h += SharedHashing.hash(e, memo);
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

  /** Equal to any set with the same elements; two frozen sets with different kept hashes never are. */
  @Override
  public boolean equals(@Nullable Object o) {
    if (o instanceof FrozenSet f && o != this && hashKept() && f.hashKept() && hash != f.hash) {
      return false;
    }
    return super.equals(o);
  }

  @Override
  public String toString() {
    return PythonRepr.of(this);
  }
}
