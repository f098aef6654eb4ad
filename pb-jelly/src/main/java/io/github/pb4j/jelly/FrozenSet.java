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

  @Override
  public String toString() {
    return PythonRepr.of(this);
  }
}
