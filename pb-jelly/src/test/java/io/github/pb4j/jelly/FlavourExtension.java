package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in for the Broker's {@link JellyExtension}: maps the PB flavour expressions of {@code
 * PB-PROTOCOL.md} §4 to small records, to prove the hook carries them both ways. No reference
 * counting, no proxies.
 *
 * <ul>
 *   <li>{@link RemoteRef} ↔ {@code [b'remote', luid]} (never reference-tracked, as in Twisted);
 *   <li>{@link LocalRef} → {@code [b'local', luid]}, which resolves to the object registered under
 *       that luid, or {@code null} for an unknown luid (Twisted's behaviour);
 *   <li>{@link CachedRef} → {@code [b'cached', luid]}, {@link LcacheRef} → {@code [b'lcache',
 *       luid]}: resolve to a known cache entry, an unknown luid fails (Twisted: KeyError);
 *   <li>{@link CacheCopy} ↔ {@code [typeName, luid, state]}, a Cacheable's first send,
 *       reference-tracked like a copyable.
 * </ul>
 */
public final class FlavourExtension implements JellyExtension {
  /** A RemoteReference as a value. */
  public record RemoteRef(int luid) {}

  /** A RemoteReference sent back to its owner. */
  public record LocalRef(int luid) {}

  /** A Cacheable sent again. */
  public record CachedRef(int luid) {}

  /** A RemoteCache sent back to its owner. */
  public record LcacheRef(int luid) {}

  /** A Cacheable's first send: type name, cache luid, state. */
  public record CacheCopy(String typeName, int luid, @Nullable Object state) {}

  private static final ByteString REMOTE = JellyTag.REMOTE.wire();
  private static final ByteString LOCAL = JellyTag.LOCAL.wire();
  private static final ByteString CACHED = JellyTag.CACHED.wire();
  private static final ByteString LCACHE = JellyTag.LCACHE.wire();

  private final Map<Integer, Object> localObjects;
  private final Map<Integer, Object> caches;
  private final Map<Integer, Object> localCaches;
  private final Set<String> cacheableTypes;

  FlavourExtension() {
    this(Map.of(), Map.of(), Map.of(), Set.of("pbvec_classes.Counter"));
  }

  FlavourExtension(
      Map<Integer, Object> localObjects,
      Map<Integer, Object> caches,
      Map<Integer, Object> localCaches,
      Set<String> cacheableTypes) {
    this.localObjects = new HashMap<>(localObjects);
    this.caches = new HashMap<>(caches);
    this.localCaches = new HashMap<>(localCaches);
    this.cacheableTypes = Set.copyOf(cacheableTypes);
  }

  @Override
  public boolean jelly(Object value, Jellier jellier) {
    if (value instanceof RemoteRef r) {
      writeLuid(jellier, REMOTE, r.luid());
    } else if (value instanceof LocalRef r) {
      writeLuid(jellier, LOCAL, r.luid());
    } else if (value instanceof CachedRef r) {
      writeLuid(jellier, CACHED, r.luid());
    } else if (value instanceof LcacheRef r) {
      writeLuid(jellier, LCACHE, r.luid());
    } else if (value instanceof CacheCopy c) {
      if (jellier.beginTracked(c)) {
        jellier.writeListHeader(3);
        jellier.writeBytes(ByteString.utf8(c.typeName()));
        jellier.writeInt(c.luid());
        jellier.writeValue(c.state());
      }
    } else {
      return false;
    }
    return true;
  }

  private static void writeLuid(Jellier jellier, ByteString tag, int luid) {
    jellier.writeListHeader(2);
    jellier.writeBytes(tag);
    jellier.writeInt(luid);
  }

  @Override
  public @Nullable Object unjelly(ByteString tag, List<?> expression, Unjellier unjellier) {
    if (tag.equals(REMOTE)) {
      return new RemoteRef(luid(expression));
    }
    if (tag.equals(LOCAL)) {
      return localObjects.get(luid(expression));
    }
    if (tag.equals(CACHED)) {
      return known(caches, luid(expression));
    }
    if (tag.equals(LCACHE)) {
      return known(localCaches, luid(expression));
    }
    if (expression.size() == 3 && tag.isAscii() && cacheableTypes.contains(tag.toStringUtf8())) {
      return new CacheCopy(tag.toStringUtf8(), luidAt(expression, 1), unjellier.unjellyChild(expression.get(2)));
    }
    return NOT_HANDLED;
  }

  private static Object known(Map<Integer, Object> table, int luid) {
    Object value = table.get(luid);
    if (value == null) {
      throw new JellyException("builtins.KeyError", "luid: " + luid + " (expected: a known cache luid)", null);
    }
    return value;
  }

  private static int luid(List<?> expression) {
    if (expression.size() != 2) {
      throw new JellyException("flavour expression length: " + expression.size() + " (expected: 2)");
    }
    return luidAt(expression, 1);
  }

  private static int luidAt(List<?> expression, int index) {
    if (!(expression.get(index) instanceof Integer luid)) {
      throw new JellyException("luid: " + expression.get(index) + " (expected: an int)");
    }
    return luid;
  }
}
