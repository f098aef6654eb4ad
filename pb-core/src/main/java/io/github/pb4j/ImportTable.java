package io.github.pb4j;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The peer's objects this side holds references to, by the luid the peer gave them: the mirror
 * of {@link ExportTable}. Java form of Twisted's {@code Broker.remotelyCachedObjects} bookkeeping
 * for {@code RemoteReference}s. One {@link RemoteReference} per luid while it is reachable; each
 * {@code [b'remote', luid]} received counts once, and its release owes the peer that many {@code
 * decref}s.
 *
 * <p>Most connections hold one reference or none (a login's mind), so the first entry is held in a
 * field and the map is made for the second.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
final class ImportTable {
  /** The reference, weakly, and what its release owes. */
  private static final class Entry extends WeakReference<RemoteReference> {
    final RemoteReference.Holder holder;

    Entry(RemoteReference ref, RemoteReference.Holder holder) {
      super(ref);
      this.holder = holder;
    }
  }

  /** The only entry while there is one; null once {@link #imports} holds them. */
  private @Nullable Entry single;
  private @Nullable Map<Integer, Entry> imports;
  /** References kept from the garbage collector until released (login avatars); made for the first. */
  private @Nullable List<RemoteReference> kept;

  private @Nullable Entry get(int luid) {
    if (imports != null) {
      return imports.get(luid);
    }
    return single != null && single.holder.luid == luid ? single : null;
  }

  private void put(Entry entry) {
    int luid = entry.holder.luid;
    if (imports == null) {
      if (single == null || single.holder.luid == luid) {
        single = entry;
        return;
      }
      imports = new HashMap<>();
      imports.put(single.holder.luid, single);
      single = null;
    }
    imports.put(luid, entry);
  }

  /** Returns the reference for {@code luid}, counting one more occurrence of it. */
  RemoteReference importReference(Broker broker, int luid) {
    Entry entry = get(luid);
    RemoteReference ref = entry == null ? null : entry.get();
    if (ref != null && !entry.holder.released) {
      entry.holder.count++;
      return ref;
    }
    RemoteReference.Holder holder = new RemoteReference.Holder(broker, luid);
    holder.count = 1;
    ref = RemoteReference.imported(broker, holder);
    put(new Entry(ref, holder));
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
    if (kept != null) {
      kept.removeIf(r -> r.holder() == holder);
    }
    holder.released = true;
    int count = holder.count;
    holder.count = 0;
    @Nullable Entry entry = get(holder.luid);
    if (entry != null && entry.holder == holder) {
      if (imports != null) {
        imports.remove(holder.luid);
      } else {
        single = null;
      }
    }
    return count;
  }

  /** Keeps {@code ref} strongly reachable until it is released, unless it was already. */
  void keep(RemoteReference ref) {
    RemoteReference.Holder h = ref.holder();
    if (h != null && !h.released) {
      if (kept == null) {
        kept = new ArrayList<>(1);
      }
      kept.add(ref);
    }
  }

  int size() {
    return imports != null ? imports.size() : single != null ? 1 : 0;
  }

  void clear() {
    imports = null;
    single = null;
    kept = null;
  }
}
