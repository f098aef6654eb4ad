package io.github.pb4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Who a connection tells when it ends: the references that watch it (their disconnect listeners)
 * and Twisted's {@code notifyOnDisconnect} callbacks. Confined to the connection's executor.
 */
final class DisconnectWatchers {
  /** Made when the first reference watches: most connections have none. */
  private @Nullable Set<RemoteReference> references;
  /** The callbacks in the order added, then nulls; made for the first. */
  private @Nullable Runnable @Nullable [] callbacks;
  private int count;

  void watch(RemoteReference ref) {
    Set<RemoteReference> r = references;
    if (r == null) {
      r = new LinkedHashSet<>();
      references = r;
    }
    r.add(ref);
  }

  void unwatch(RemoteReference ref) {
    if (references != null) {
      references.remove(ref);
    }
  }

  void add(Runnable callback) {
    @Nullable Runnable[] c = callbacks;
    if (c == null) {
      c = callbacks = new Runnable[2];
    } else if (count == c.length) {
      c = callbacks = Arrays.copyOf(c, count * 2);
    }
    c[count++] = callback;
  }

  /** Removes the first registration of {@code callback} (by {@code equals}), if any. */
  void remove(Runnable callback) {
    @Nullable Runnable[] c = callbacks;
    for (int i = 0; c != null && i < count; i++) {
      if (callback.equals(c[i])) {
        System.arraycopy(c, i + 1, c, i, count - i - 1);
        c[--count] = null;
        return;
      }
    }
  }

  /** Tells the references, then runs the callbacks through {@code run}; forgets them all. */
  void fire(Consumer<Runnable> run) {
    Set<RemoteReference> watching = references;
    references = null;
    if (watching != null) {
      for (RemoteReference r : new ArrayList<>(watching)) {
        r.disconnected();
      }
    }
    @Nullable Runnable[] c = callbacks;
    int n = count;
    callbacks = null;
    count = 0;
    for (int i = 0; i < n; i++) {
      run.accept(Objects.requireNonNull(c)[i]);
    }
  }
}
