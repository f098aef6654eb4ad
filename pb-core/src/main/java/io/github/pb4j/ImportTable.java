package io.github.pb4j;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The peer's objects this side holds references to, by the luid the peer gave them: the mirror
 * of {@link ExportTable}. Java form of Twisted's {@code Broker.remotelyCachedObjects} bookkeeping
 * for {@code RemoteReference}s. One {@link RemoteReference} per luid while it is reachable; each
 * {@code [b'remote', luid]} received counts once, and its release owes the peer that many {@code
 * decref}s.
 *
 * <p>Most connections hold one reference or none (a login's mind): {@link LuidTable} holds the
 * first entry in a field.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
final class ImportTable extends LuidTable<ImportTable.Entry> {
  /** The reference, weakly, and what its release owes. */
  static final class Entry extends WeakReference<RemoteReference> {
    final RemoteReference.Holder holder;

    Entry(RemoteReference ref, RemoteReference.Holder holder) {
      super(ref);
      this.holder = holder;
    }
  }

  /** References kept from the garbage collector until released (login avatars); made for the first. */
  private @Nullable List<RemoteReference> kept;

  @Override
  int luid(Entry entry) {
    return entry.holder.luid;
  }

  /** Returns the reference for {@code luid}, counting one more occurrence of it. */
  RemoteReference importReference(Broker broker, int luid) {
    Entry entry = entry(luid);
    RemoteReference ref = entry == null ? null : entry.get();
    if (ref != null && !entry.holder.released) {
      entry.holder.count++;
      return ref;
    }
    RemoteReference.Holder holder = new RemoteReference.Holder(broker, luid);
    holder.count = 1;
    ref = RemoteReference.imported(broker, holder);
    putEntry(new Entry(ref, holder));
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
    Entry entry = entry(holder.luid);
    if (entry != null && entry.holder == holder) {
      removeEntry(entry);
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
    return entries();
  }

  void clear() {
    removeAll();
    kept = null;
  }
}
