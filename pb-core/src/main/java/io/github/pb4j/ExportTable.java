package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
 * <p><em>Not thread-safe;</em> confined to the broker's thread.
 */
final class ExportTable {
  static final ByteString ROOT = ByteString.ascii("root");

  /** Runs when an exported object is forgotten (count zero or connection lost). */
  interface ReleaseListener {
    void released();
  }

  static final class Entry {
    final Object object;
    final int luid;
    int count;

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
  private final Map<Integer, Entry> byLuid = new HashMap<>();
  private final IdentityHashMap<Object, Entry> byObject = new IdentityHashMap<>(4); // most hold few
  private @Nullable Object root;
  private int nextLuid = 1;
  private final List<Entry> journal = new ArrayList<>();
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
    return byLuid.size() + (root != null ? 1 : 0);
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
    Entry e = byObject.get(object);
    if (e == null) {
      if (size() > maxEntries) {
        throw new TooManyReferencesException();
      }
      e = new Entry(object, nextLuid());
      byObject.put(object, e);
      byLuid.put(e.luid, e);
      sizeListener.changed(1);
    }
    e.count++;
    if (journalling) {
      journal.add(e);
    }
    return e.luid;
  }

  /** Returns the object for an object id from the wire (an int luid or {@code b'root'}), or null. */
  @Nullable Object lookup(@Nullable Object objectId) {
    if (objectId instanceof Integer luid) {
      Entry e = byLuid.get(luid);
      return e == null ? null : e.object;
    }
    if (ROOT.equals(objectId)) {
      return root;
    }
    return null;
  }

  /** Returns the luid of an exported object, or -1. */
  int luidOf(Object object) {
    Entry e = byObject.get(object);
    return e == null ? -1 : e.luid;
  }

  /**
   * Takes back one reference. Returns false if the luid is unknown (a protocol violation).
   */
  boolean decref(int luid) {
    Entry e = byLuid.get(luid);
    if (e == null) {
      return false;
    }
    if (--e.count <= 0) {
      forget(e);
    }
    return true;
  }

  private void forget(Entry e) {
    byLuid.remove(e.luid);
    byObject.remove(e.object);
    sizeListener.changed(-1);
    if (e.object instanceof ReleaseListener l) {
      l.released();
    }
  }

  /** Starts journalling exports for one outgoing message. */
  void begin() {
    journal.clear();
    journalling = true;
  }

  /** Keeps the exports of the message. */
  void commit() {
    journalling = false;
    journal.clear();
  }

  /** Takes back every export counted since {@link #begin()}. */
  void rollback() {
    journalling = false;
    for (int i = journal.size() - 1; i >= 0; i--) {
      Entry e = journal.get(i);
      if (--e.count <= 0 && byLuid.get(e.luid) == e) {
        forget(e);
      }
    }
    journal.clear();
  }

  /** Forgets everything, as when the connection is lost; release listeners run. */
  void clear() {
    List<Entry> all = new ArrayList<>(byLuid.values());
    if (!all.isEmpty()) {
      sizeListener.changed(-all.size());
    }
    byLuid.clear();
    byObject.clear();
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
