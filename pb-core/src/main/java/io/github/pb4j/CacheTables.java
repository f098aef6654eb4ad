package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.Jellier;
import io.github.pb4j.jelly.JellyException;
import io.github.pb4j.jelly.JellyExtension;
import io.github.pb4j.jelly.JellyTag;
import io.github.pb4j.jelly.Unjellier;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A connection's cached objects, both ways: the {@link Cacheable}s this side copied to the peer
 * (Twisted's {@code remotelyCachedObjects}), counted per copy sent, and the {@link RemoteCache}
 * copies it holds (Twisted's {@code locallyCachedObjects}), counted per copy received. Writes and
 * reads the {@code cached} / {@code lcache} forms and the cache's own state, and keeps a journal
 * of the copies sent in the message being written, so that a message that fails is undone.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor, as its broker is.
 */
final class CacheTables {
  private static final ByteString CACHED = JellyTag.CACHED.wire();
  private static final ByteString LCACHE = JellyTag.LCACHE.wire();

  /** A {@link Cacheable} this side copied to the peer. */
  private static final class ExportedCache {
    final Cacheable cacheable;
    final RemoteCacheObserver observer;
    int count;
    /** True while the message that first sent it in full is being written. */
    boolean sentInFullNow;

    ExportedCache(Cacheable cacheable, RemoteCacheObserver observer) {
      this.cacheable = cacheable;
      this.observer = observer;
    }
  }

  /**
   * A copy this side holds, weakly: once the program no longer reaches it, the cleaner releases it
   * ({@code decache}), as Twisted's {@code RemoteCache.__del__} does. Until the owner's {@code
   * uncache} the entry stays, so that the owner's late messages find it.
   */
  private final class HeldCache implements Runnable {
    final IdentityKey key;
    final int luid;
    /** Copies received and not yet released: one {@code decache} each. */
    int count;
    /**
     * The owner answered this side's release ({@code uncache}) while the program still holds the
     * copy: kept, by identity, only so that sending it back fails as a dead reference.
     */
    boolean uncached;

    HeldCache(RemoteCache cache, int luid) {
      this.key = new IdentityKey(cache);
      this.luid = luid;
    }

    /** Returns the copy, or null once the program dropped it and the collector took it. */
    @Nullable RemoteCache cache() {
      return key.get();
    }

    /** Runs on the cleaner's thread when the copy became unreachable; must not reach the copy. */
    @Override
    public void run() {
      connection.runOnLoop(() -> {
        if (uncached) {
          if (heldByObject != null) {
            heldByObject.remove(key); // a copy its owner had already uncached
          }
        } else {
          release(this);
        }
      });
    }
  }

  /** A copy by identity, held weakly: the program's own {@code equals} plays no part. */
  private static final class IdentityKey extends WeakReference<RemoteCache> {
    private final int hash;

    IdentityKey(RemoteCache cache) {
      super(cache);
      this.hash = System.identityHashCode(cache);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (o == this) {
        return true;
      }
      RemoteCache referent = get();
      return o instanceof IdentityKey k && referent != null && referent == k.get();
    }
  }

  /**
   * What the tables need of their connection, and no more: its options and id, whether it is
   * open, sending {@code decache} / {@code uncache}, reporting a protocol error, running on its
   * executor, and making the observer of a cache copied to the peer.
   */
  interface Connection {
    long id();

    BrokerOptions options();

    boolean isOpen();

    /** Sends {@code [command, luid]} if the connection is open. */
    void send(BrokerCommand command, int luid);

    void protocolError(String reason);

    boolean runOnLoop(Runnable task);

    /** Runs application code, logging what it throws. */
    void runCallback(Runnable callback, String what);

    RemoteCacheObserver observer(int luid, @Nullable Object perspective);
  }

  private final Connection connection;
  private final ExportTable exports;
  // Most connections send and receive no cacheable: the tables of each side are made for the
  // first one, so that an idle connection holds none of them.
  private @Nullable IdentityHashMap<Cacheable, ExportedCache> exportedByObject;
  private @Nullable Map<Integer, ExportedCache> exportedByLuid;
  /** The copies sent (in full or as {@code cached}) in the message being written. */
  private @Nullable List<ExportedCache> journal;
  private @Nullable Map<Integer, HeldCache> heldByLuid;
  private @Nullable Map<IdentityKey, HeldCache> heldByObject;

  /** The tables of {@code connection}, whose luids come from {@code exports}. */
  CacheTables(Connection connection, ExportTable exports) {
    this.connection = connection;
    this.exports = exports;
  }

  // ---------------------------------------------------------------- the message being written

  void begin() {
    if (journal != null) {
      journal.clear();
    }
  }

  void commit() {
    if (journal != null && !journal.isEmpty()) {
      journal.forEach(e -> e.sentInFullNow = false);
      journal.clear();
    }
  }

  /** Undoes the copies counted in the message being written; a copy never sent is forgotten. */
  void rollback() {
    List<ExportedCache> journal = this.journal;
    if (journal == null) {
      return;
    }
    for (int i = journal.size() - 1; i >= 0; i--) {
      ExportedCache e = journal.get(i);
      e.sentInFullNow = false;
      if (--e.count <= 0) {
        forget(e, false);
      }
    }
    journal.clear();
  }

  // ---------------------------------------------------------------- caches this side copied

  /**
   * Writes {@code cacheable}: in full ({@code [type, luid, state]}) the first time, as Twisted's
   * {@code Cacheable.jellyFor} does, else as {@code [b'cached', luid]}.
   */
  void jelly(Cacheable cacheable, Jellier out, @Nullable Object perspective) {
    IdentityHashMap<Cacheable, ExportedCache> byObject = exportedByObject;
    Map<Integer, ExportedCache> byLuid = exportedByLuid;
    List<ExportedCache> journal = this.journal;
    if (byObject == null || byLuid == null || journal == null) {
      byObject = exportedByObject = new IdentityHashMap<>(4);
      byLuid = exportedByLuid = new HashMap<>();
      journal = this.journal = new ArrayList<>();
    }
    ExportedCache e = byObject.get(cacheable);
    // An object already cached is [b'cached', luid] at every occurrence, even twice in one
    // message; only a copy sent in full takes part in reference tracking, so that its later
    // occurrences in the same message are dereferences.
    if (e != null && !e.sentInFullNow) {
      writeCached(e, out, journal);
      return;
    }
    if (!out.beginTracked(cacheable)) {
      return;
    }
    if (e != null) {
      writeCached(e, out, journal); // Sent in full by an earlier part of this message (args before kwargs).
      return;
    }
    if (byLuid.size() > connection.options().maxBrokerRefs()) {
      throw new ExportTable.TooManyReferencesException();
    }
    int luid = exports.nextLuid();
    RemoteCacheObserver observer = connection.observer(luid, perspective);
    e = new ExportedCache(cacheable, observer);
    e.count = 1;
    e.sentInFullNow = true;
    byObject.put(cacheable, e);
    byLuid.put(luid, e);
    journal.add(e);
    out.writeListHeader(3);
    out.writeBytes(ByteString.utf8(cacheable.cacheTypeName()));
    out.writeInt(luid);
    out.writeValue(cacheable.stateToCacheAndObserveFor(perspective, observer));
  }

  private static void writeCached(ExportedCache e, Jellier out, List<ExportedCache> journal) {
    e.count++;
    journal.add(e);
    out.writeListHeader(2);
    out.writeBytes(CACHED);
    out.writeInt(e.observer.luid());
  }

  /** Returns true if {@code observer} still observes a cache copied to the peer. */
  boolean isObserving(RemoteCacheObserver observer) {
    ExportedCache e = exportedByLuid == null ? null : exportedByLuid.get(observer.luid());
    return e != null && e.observer == observer;
  }

  /** Handles the peer's {@code decache}: one copy fewer; the last one ends the observation. */
  void handleDecache(Object luid) {
    ExportedCache e = luid instanceof Integer i && exportedByLuid != null ? exportedByLuid.get(i) : null;
    if (e == null) {
      connection.protocolError("decache of unknown cache id " + Sexps.abbreviate(luid));
      return;
    }
    if (--e.count <= 0) {
      forget(e, true);
    }
  }

  private void forget(ExportedCache e, boolean sendUncache) {
    if (!sendUncache || !connection.isOpen()) {
      drop(e);
      stoppedObserving(e);
      return;
    }
    // As Twisted's proto_decache: the observer still reaches the copy during stoppedObserving
    // (test_pb's cacheable makes a last call there), and the uncache follows what it sent.
    stoppedObserving(e);
    drop(e);
    connection.send(BrokerCommand.UNCACHE, e.observer.luid());
  }

  private void drop(ExportedCache e) {
    if (exportedByObject != null) {
      exportedByObject.remove(e.cacheable);
    }
    if (exportedByLuid != null) {
      exportedByLuid.remove(e.observer.luid());
    }
  }

  private void stoppedObserving(ExportedCache e) {
    connection.runCallback(
        () -> e.cacheable.stoppedObserving(e.observer.perspective(), e.observer), "stoppedObserving");
  }

  int exportedCount() {
    return exportedByLuid == null ? 0 : exportedByLuid.size();
  }

  // ---------------------------------------------------------------- copies this side holds

  /**
   * Returns the copy held under {@code luid}, or null if there is none or the program dropped it
   * (see {@link #holds}).
   */
  @Nullable RemoteCache held(Object luid) {
    HeldCache h = luid instanceof Integer i && heldByLuid != null ? heldByLuid.get(i) : null;
    return h == null ? null : h.cache();
  }

  /** Returns true if a copy was received under {@code luid} and the owner has not uncached it. */
  boolean holds(Object luid) {
    return luid instanceof Integer i && heldByLuid != null && heldByLuid.containsKey(i);
  }

  /**
   * Writes a copy held here as {@code [b'lcache', luid]}, which its owner reads as the original.
   *
   * @throws PbProtocolException if {@code cache} is not a copy received on this connection
   */
  void jellyHeld(RemoteCache cache, Jellier out) {
    HeldCache h = heldByObject == null ? null : heldByObject.get(new IdentityKey(cache));
    if (h == null) {
      throw new PbProtocolException("cannot send " + cache.getClass().getName() + " over connection "
          + connection.id()
          + ": it is not a copy received on this connection (PB has no third-party references)");
    }
    if (h.count == 0 || h.uncached) {
      // Released, and not received again since: the owner may already have forgotten it.
      throw new DeadReferenceException(h.luid, "sending a released cache copy: "
          + cache.getClass().getName() + " (cache id " + h.luid + ")");
    }
    out.writeListHeader(2);
    out.writeBytes(LCACHE);
    out.writeInt(h.luid);
  }

  /**
   * Reads {@code [b'cached', luid]}, {@code [b'lcache', luid]} or a registered cache type's
   * {@code [type, luid, state]}; returns {@link JellyExtension#NOT_HANDLED} for other tags.
   *
   * @param inAnswer true while an answer or error is read: a copy this program dropped, sent again
   *     before the owner read its {@code decache}, reads as None there (it is refused in a call)
   * @param discarding true while a late answer is read only to release what it carries: each copy
   *     in it is released at once ({@code decache}), and a copy this side already holds stays held
   */
  @Nullable Object unjelly(ByteString tag, List<?> expression, Unjellier in, boolean inAnswer,
      boolean discarding) {
    if (tag.equals(CACHED) || tag.equals(LCACHE)) {
      Object luid = expression.size() == 2 ? expression.get(1) : null;
      if (tag.equals(CACHED)) {
        HeldCache h = luid instanceof Integer i && heldByLuid != null ? heldByLuid.get(i) : null;
        if (h == null) {
          throw new JellyException("builtins.KeyError", "cached: unknown cache id " + Sexps.abbreviate(luid), null);
        }
        if (discarding) {
          connection.send(BrokerCommand.DECACHE, h.luid); // the owner counted this send
          return null;
        }
        h.count++;
        RemoteCache cache = h.cache();
        if (cache == null) {
          // The copy and its state are gone; the owner counted this send, so it is released too.
          release(h);
          if (inAnswer) {
            return null;
          }
          throw new JellyException("builtins.KeyError",
              "cached: the copy of cache id " + h.luid + " was released by this side", null);
        }
        return cache;
      }
      ExportedCache e = luid instanceof Integer i && exportedByLuid != null ? exportedByLuid.get(i) : null;
      if (e == null) {
        throw new JellyException("builtins.KeyError", "lcache: unknown cache id " + Sexps.abbreviate(luid), null);
      }
      return e.cacheable;
    }
    Function<@Nullable Object, ? extends RemoteCache> factory = connection.options().remoteCache(tag);
    if (factory == null || expression.size() != 3) {
      return JellyExtension.NOT_HANDLED;
    }
    if (!(expression.get(1) instanceof Integer luid)) {
      throw new JellyException("cache id: " + Sexps.abbreviate(expression.get(1)) + " (expected: an int)");
    }
    Object state = in.unjellyChild(expression.get(2));
    RemoteCache cache;
    try {
      cache = Objects.requireNonNull(factory.apply(state), "remote cache factory returned null");
    } catch (RuntimeException | Error e) {
      // The factory is the application's code, run on the peer's message.
      if (Failures.isFatal(e)) {
        throw e;
      }
      throw new JellyException("state of " + tag.toStringUtf8() + ": " + e.getMessage(), e);
    }
    Map<Integer, HeldCache> byLuid = heldByLuid;
    Map<IdentityKey, HeldCache> byObject = heldByObject;
    if (byLuid == null || byObject == null) {
      byLuid = heldByLuid = new HashMap<>();
      byObject = heldByObject = new HashMap<>();
    }
    HeldCache previous = byLuid.get(luid);
    if (previous != null) {
      byObject.remove(previous.key);
    }
    HeldCache h = new HeldCache(cache, luid);
    h.count = 1;
    byLuid.put(luid, h);
    byObject.put(h.key, h);
    RemoteReference.CLEANER.register(cache, h);
    if (discarding) {
      release(h);
    }
    return cache;
  }

  /** Handles the owner's {@code uncache}: the copy is no longer tracked. */
  void handleUncache(Object luid) {
    HeldCache h = luid instanceof Integer i && heldByLuid != null ? heldByLuid.remove(i) : null;
    if (h == null) {
      connection.protocolError("uncache of unknown cache id " + Sexps.abbreviate(luid));
      return;
    }
    if (h.count == 0 && h.cache() != null) {
      h.uncached = true; // forgotten when the program drops the copy (the cleaner)
    } else if (heldByObject != null) {
      heldByObject.remove(h.key);
    }
  }

  /** Sends one {@code decache} per copy of {@code cache} received, once; nothing if not held. */
  void release(RemoteCache cache) {
    HeldCache h = heldByObject == null ? null : heldByObject.get(new IdentityKey(cache));
    if (h != null) {
      release(h);
    }
  }

  /** Sends one {@code decache} per copy received since the last release, if still held. */
  private void release(HeldCache h) {
    if (heldByLuid == null || heldByLuid.get(h.luid) != h) {
      return; // uncached, or the connection ended
    }
    int count = h.count;
    h.count = 0;
    for (int i = 0; i < count; i++) {
      connection.send(BrokerCommand.DECACHE, h.luid);
    }
  }

  int heldCount() {
    return heldByLuid == null ? 0 : heldByLuid.size();
  }

  /** Forgets everything at the end of the connection; observers are told they stopped. */
  void connectionLost() {
    if (exportedByLuid != null) {
      for (ExportedCache e : new ArrayList<>(exportedByLuid.values())) {
        forget(e, false);
      }
    }
    if (heldByLuid != null && heldByObject != null) {
      heldByLuid.clear();
      heldByObject.clear();
    }
  }
}
