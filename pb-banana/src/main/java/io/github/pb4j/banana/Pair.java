package io.github.pb4j.banana;

import java.util.AbstractList;
import java.util.RandomAccess;
import org.jspecify.annotations.Nullable;

/**
 * A decoded two-element list: the most common shape in PB traffic (Jelly's {@code [b'unicode', s]}
 * and every dictionary pair), held in one object instead of a list and its array.
 *
 * <p><em>Immutable.</em> Equal to any list with the same two elements.
 */
final class Pair extends AbstractList<@Nullable Object> implements RandomAccess {
  private final Object first;
  private final Object second;

  Pair(Object first, Object second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public Object get(int index) {
    if (index == 0) {
      return first;
    }
    if (index == 1) {
      return second;
    }
    throw new IndexOutOfBoundsException("index: " + index + " (expected: 0 or 1)");
  }

  @Override
  public int size() {
    return 2;
  }
}
