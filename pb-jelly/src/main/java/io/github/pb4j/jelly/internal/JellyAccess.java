package io.github.pb4j.jelly.internal;

import io.github.pb4j.jelly.Tuple;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the one-pass reader needs of pb-jelly's own package: tuples filled slot by slot, the
 * received-dict type, and Python's hashability rule. pb-jelly installs the one implementation
 * when its {@link Tuple} class is initialised. Not public API.
 */
public abstract class JellyAccess {
  private static @Nullable JellyAccess instance;

  /** Called once, by pb-jelly. */
  public static synchronized void install(JellyAccess access) {
    if (instance != null) {
      throw new IllegalStateException("JellyAccess is installed once, by pb-jelly");
    }
    instance = access;
  }

  static synchronized JellyAccess get() {
    if (instance == null) {
      Tuple.of(); // initialises Tuple, which installs pb-jelly's implementation
    }
    if (instance == null) {
      throw new IllegalStateException("pb-jelly did not install its JellyAccess");
    }
    return instance;
  }

  /** A tuple of {@code size} slots, to be filled with {@link #fill}. */
  public abstract Tuple newTuple(int size);

  /** Fills a slot of a tuple made by {@link #newTuple}. */
  public abstract void fill(Tuple tuple, int index, @Nullable Object value);

  /** An empty dict as pb-jelly represents received dicts, for {@code size} items. */
  public abstract Map<@Nullable Object, @Nullable Object> newDict(int size);

  /** Adds an item to a dict made by {@link #newDict}, whose key the caller knows is not in it yet. */
  public abstract void putNew(
      Map<@Nullable Object, @Nullable Object> dict, @Nullable Object key, @Nullable Object value);

  /** Python's rule for dict keys and set elements, for a value read whole. */
  public abstract boolean isHashable(@Nullable Object key);
}
