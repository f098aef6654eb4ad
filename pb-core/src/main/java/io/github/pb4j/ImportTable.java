package io.github.pb4j;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The peer's objects this side holds references to, by the luid the peer gave them: the mirror
 * of {@link ExportTable}. Java form of Twisted's {@code Broker.remotelyCachedObjects} bookkeeping
 * for {@code RemoteReference}s. One {@link RemoteReference} per luid while it is reachable; each
 * {@code [b'remote', luid]} received counts once, and its release owes the peer that many {@code
 * decref}s.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
final class ImportTable {
  private record Entry(WeakReference<RemoteReference> ref, RemoteReference.Holder holder) {}

  private final Map<Integer, Entry> imports = new HashMap<>();

  /** Returns the reference for {@code luid}, counting one more occurrence of it. */
  RemoteReference importReference(Broker broker, int luid) {
    Entry entry = imports.get(luid);
    RemoteReference ref = entry == null ? null : entry.ref().get();
    if (ref != null && !entry.holder().released) {
      entry.holder().count++;
      return ref;
    }
    RemoteReference.Holder holder = new RemoteReference.Holder(broker, luid);
    holder.count = 1;
    ref = RemoteReference.imported(broker, holder);
    imports.put(luid, new Entry(new WeakReference<>(ref), holder));
    return ref;
  }

  /**
   * Marks {@code holder} released and forgets it; returns the number of {@code decref}s owed to
   * the peer (zero if it was released already).
   */
  int release(RemoteReference.Holder holder) {
    if (holder.released) {
      return 0;
    }
    holder.released = true;
    int count = holder.count;
    holder.count = 0;
    @Nullable Entry entry = imports.get(holder.luid);
    if (entry != null && entry.holder() == holder) {
      imports.remove(holder.luid);
    }
    return count;
  }

  int size() {
    return imports.size();
  }

  void clear() {
    imports.clear();
  }
}
