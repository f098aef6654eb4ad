package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import java.util.IdentityHashMap;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The objects one side of a connection has exported: luid to object and reference count, and the
 * reverse by identity. Mirrors Twisted's {@code Broker.localObjects} / {@code luids}
 * ({@code twisted.spread.pb.Broker.proto_decref}): one count per {@code [b'remote', luid]} sent,
 * one less per {@code decref}; at zero the object is forgotten and its luid never reused.
 *
 * <p>Exports made while encoding one message are journalled, so that a message that fails to
 * encode takes back the counts it added.
 *
 * <p>Most connections export one object or none (a login's avatar): {@link LuidTable} holds a
 * single entry in a field; the maps (by luid, and here by object) are made for a second, and
 * dropped when one is left.
 *
 * <p><em>Not thread-safe;</em> confined to the broker's thread.
 */
final class ExportTable extends LuidTable<ExportTable.Entry> {
  static final ByteString ROOT = ByteString.ascii("root");

  /** Runs when an exported object is forgotten (count zero or connection lost). */
  interface ReleaseListener {
    void released();
  }

  static final class Entry {
    final Object object;
    final int luid;
    int count;
    /** Counts added by the message being written; nonzero while on the journal. */
    int journalled;
    /** The next entry on the journal of the message being written. */
    @Nullable Entry nextJournalled;

    Entry(Object object, int luid) {
      this.object = object;
      this.luid = luid;
    }
  }

  /** Hears of entries added and removed, for a {@link PbObserver}. */
  @FunctionalInterface
  interface SizeListener {
    SizeListener NONE = delta -> {};

    void changed(int delta);
  }

  private final int maxEntries;
  private final SizeListener sizeListener;
  /** Entries by identity of their object, while there are several (else {@link #onlyEntry}). */
  private @Nullable IdentityHashMap<Object, Entry> byObject;
  private @Nullable Object root;
  private int nextLuid = 1;
  /** The entries the message being written counted, most recent first. */
  private @Nullable Entry journal;
  private boolean journalling;

  ExportTable(int maxEntries) {
    this(maxEntries, SizeListener.NONE);
  }

  ExportTable(int maxEntries, SizeListener sizeListener) {
    this.maxEntries = maxEntries;
    this.sizeListener = sizeListener;
  }

  void setRoot(Object root) {
    this.root = root;
  }

  @Nullable Object root() {
    return root;
  }

  /** Returns the number of entries, root included (Twisted's count for its limit). */
  int size() {
    return entries() + (root != null ? 1 : 0);
  }

  @Override
  int luid(Entry entry) {
    return entry.luid;
  }

  private @Nullable Entry byObject(Object object) {
    if (byObject != null) {
      return byObject.get(object);
    }
    Entry only = onlyEntry();
    return only != null && only.object == object ? only : null;
  }

  private void add(Entry e) {
    Entry first = onlyEntry();
    putEntry(e); // luids are never reused: e is a new one
    if (byObject != null) {
      byObject.put(e.object, e);
    } else if (first != null) {
      byObject = new IdentityHashMap<>(4);
      byObject.put(first.object, first);
      byObject.put(e.object, e);
    }
  }

  private void remove(Entry e) {
    removeEntry(e);
    if (byObject != null) {
      if (onlyEntry() != null) {
        byObject = null; // back to one, as the map by luid
      } else {
        byObject.remove(e.object);
      }
    }
  }

  /** Allocates the next luid; shared with the cache table, as in Twisted. */
  int nextLuid() {
    return nextLuid++;
  }

  /**
   * Counts one more reference sent for {@code object} and returns its luid.
   *
   * @throws PbApplicationException with Twisted's text when a new object would exceed the limit
   */
  int export(Object object) {
    Entry e = byObject(object);
    if (e == null) {
      if (size() > maxEntries) {
        throw new TooManyReferencesException();
      }
      e = new Entry(object, nextLuid());
      add(e);
      sizeListener.changed(1);
    }
    e.count++;
    if (journalling && e.journalled++ == 0) {
      e.nextJournalled = journal;
      journal = e;
    }
    return e.luid;
  }

  /** Returns the object for an object id from the wire (an int luid or {@code b'root'}), or null. */
  @Nullable Object lookup(@Nullable Object objectId) {
    if (objectId instanceof Integer luid) {
      Entry e = entry(luid);
      return e == null ? null : e.object;
    }
    if (ROOT.equals(objectId)) {
      return root;
    }
    return null;
  }

  /** Returns the luid of an exported object, or -1. */
  int luidOf(Object object) {
    Entry e = byObject(object);
    return e == null ? -1 : e.luid;
  }

  /**
   * Takes back one reference. Returns false if the luid is unknown (a protocol violation).
   */
  boolean decref(int luid) {
    Entry e = entry(luid);
    if (e == null) {
      return false;
    }
    if (--e.count <= 0) {
      forget(e);
    }
    return true;
  }

  private void forget(Entry e) {
    remove(e);
    sizeListener.changed(-1);
    if (e.object instanceof ReleaseListener l) {
      l.released();
    }
  }

  /** Starts journalling exports for one outgoing message. */
  void begin() {
    clearJournal();
    journalling = true;
  }

  /** Keeps the exports of the message. */
  void commit() {
    journalling = false;
    clearJournal();
  }

  private void clearJournal() {
    for (Entry e = journal; e != null; ) {
      Entry next = e.nextJournalled;
      e.journalled = 0;
      e.nextJournalled = null;
      e = next;
    }
    journal = null;
  }

  /** Takes back every export counted since {@link #begin()}, the most recent first. */
  void rollback() {
    journalling = false;
    Entry e = journal;
    journal = null;
    while (e != null) {
      Entry next = e.nextJournalled;
      e.count -= e.journalled;
      e.journalled = 0;
      e.nextJournalled = null;
      if (e.count <= 0 && entry(e.luid) == e) {
        forget(e);
      }
      e = next;
    }
  }

  /** Forgets everything, as when the connection is lost; release listeners run. */
  void clear() {
    List<Entry> all = removeAll();
    if (!all.isEmpty()) {
      sizeListener.changed(-all.size());
    }
    byObject = null;
    clearJournal();
    journalling = false;
    root = null;
    for (Entry e : all) {
      if (e.object instanceof ReleaseListener l) {
        l.released();
      }
    }
  }

  /** Twisted's {@code pb.Error("Maximum PB reference count exceeded.")}. */
  static final class TooManyReferencesException extends PbApplicationException {
    private static final long serialVersionUID = 1L;

    TooManyReferencesException() {
      super("Maximum PB reference count exceeded.");
    }
  }
}
