package io.github.pb4j;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
  /** Made for the first callback. */
  private @Nullable List<Runnable> callbacks;

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
    if (callbacks == null) {
      callbacks = new ArrayList<>(2);
    }
    callbacks.add(callback);
  }

  void remove(Runnable callback) {
    if (callbacks != null) {
      callbacks.remove(callback);
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
    List<Runnable> c = callbacks;
    callbacks = null;
    if (c != null) {
      c.forEach(run);
    }
  }
}
