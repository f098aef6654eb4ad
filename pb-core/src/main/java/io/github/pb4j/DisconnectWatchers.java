package io.github.pb4j;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Who a connection tells when it ends: the references that watch it (their disconnect listeners)
 * and Twisted's {@code notifyOnDisconnect} callbacks. Confined to the connection's executor.
 */
final class DisconnectWatchers {
  private final Set<RemoteReference> references = new LinkedHashSet<>();
  private final List<Runnable> callbacks = new ArrayList<>();

  void watch(RemoteReference ref) {
    references.add(ref);
  }

  void unwatch(RemoteReference ref) {
    references.remove(ref);
  }

  void add(Runnable callback) {
    callbacks.add(callback);
  }

  void remove(Runnable callback) {
    callbacks.remove(callback);
  }

  /** Tells the references, then runs the callbacks through {@code run}; forgets them all. */
  void fire(Consumer<Runnable> run) {
    for (RemoteReference r : new ArrayList<>(references)) {
      r.disconnected();
    }
    references.clear();
    for (Runnable r : new ArrayList<>(callbacks)) {
      run.accept(r);
    }
    callbacks.clear();
  }
}
