package io.github.pb4j;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.InsecureJellyException;
import io.github.pb4j.jelly.Jellier;
import io.github.pb4j.jelly.JellyException;
import io.github.pb4j.jelly.JellyExtension;
import io.github.pb4j.jelly.JellyTag;
import io.github.pb4j.jelly.Unjellier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Jellies and unjellies one connection's flavours: references both ways ({@code remote} /
 * {@code local}), view points, cached objects, copies and failures. Java form of the {@code
 * jellyFor} / {@code unjellyFor} methods of Twisted's {@code flavors} module and {@code
 * pb.Broker}'s {@code serialize} / {@code unserialize} hooks.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
final class Flavors implements JellyExtension {
  private static final ByteString REMOTE = JellyTag.REMOTE.wire();
  private static final ByteString LOCAL = JellyTag.LOCAL.wire();

  private final Broker broker;
  private final ExportTable exports;
  private final ImportTable imports;
  private final CacheTables caches;
  /** The perspective of the answer being written, for the copies, caches and view points in it. */
  private @Nullable Object perspective;
  private @Nullable Map<ViewPoint, ViewPoint> viewPoints; // made for the first Viewable
  /** True while an answer or error body is unjellied (unknown local ids read as None there). */
  private boolean decodingAnswer;
  /** True while a late answer is read only to release what it carries. */
  private boolean discarding;

  Flavors(Broker broker, ExportTable exports, ImportTable imports, CacheTables caches) {
    this.broker = broker;
    this.exports = exports;
    this.imports = imports;
    this.caches = caches;
  }

  /** Sets the perspective of the answer being written; null outside an answer. */
  void setPerspective(@Nullable Object perspective) {
    this.perspective = perspective;
  }

  /** Unjellies the body of an answer or error, where a reference to a forgotten object is None. */
  @Nullable Object unjellyAnswer(Unjellier unjellier, Object body) {
    decodingAnswer = true;
    try {
      return unjellier.unjelly(body);
    } finally {
      decodingAnswer = false;
    }
  }

  /**
   * Reads the body of a late answer or error only to release what it carries: each reference in
   * it is given back at once ({@code decref}, never imported) and each cache copy released
   * ({@code decache}); nothing reaches the program.
   */
  void discardAnswer(Unjellier unjellier, Object body) {
    discarding = true;
    try {
      unjellyAnswer(unjellier, body);
    } finally {
      discarding = false;
    }
  }

  /** Forgets the view points; at the end of the connection. */
  void clear() {
    if (viewPoints != null) {
      viewPoints.clear();
    }
  }

  @Override
  public boolean jelly(Object value, Jellier out) {
    if (value instanceof Avatar) {
      // An avatar reaches its own client only through login, wrapped (PerspectiveAdapter): sent
      // any other way, whoever received it would act as its user. Twisted refuses a pb.Avatar
      // with this text too.
      String type = value.getClass().getName();
      throw new InsecureJellyException(type, "instance of class " + type + " deemed insecure");
    }
    if (value instanceof RemoteReference ref) {
      if (ref.broker() != broker) {
        throw new PbProtocolException("cannot send " + ref + " over connection " + broker.connectionId()
            + ": PB has no third-party references (a reference only goes back to its owner)");
      }
      RemoteReference.Holder holder = ref.holder();
      if (holder != null && holder.released) {
        // Its owner has forgotten the luid (decref): the peer would refuse it, or read None.
        throw new DeadReferenceException(ref.luid(), "sending a released reference: " + ref);
      }
      out.writeListHeader(2);
      out.writeBytes(LOCAL);
      if (ref.isRoot()) {
        out.writeBytes(ExportTable.ROOT);
      } else {
        out.writeInt((Integer) ref.luid());
      }
      return true;
    }
    if (value instanceof CopyableFailure failure) {
      out.writeCopy(failure, Failures.COPYABLE_FAILURE, failure.state());
      return true;
    }
    if (value instanceof RemoteFailureException received) {
      // A failure received, passed on: it goes out as the failure it came in as.
      out.writeCopy(received, Failures.COPYABLE_FAILURE, CopyableFailure.of(received).state());
      return true;
    }
    Object currentPerspective = perspective;
    if (value instanceof Cacheable cacheable) {
      caches.jelly(cacheable, out, currentPerspective);
      return true;
    }
    if (value instanceof RemoteCache cache) {
      caches.jellyHeld(cache, out);
      return true;
    }
    if (value instanceof Viewable viewable) {
      ViewPoint key = new ExportedViewPoint(currentPerspective, viewable);
      if (viewPoints == null) {
        viewPoints = new HashMap<>();
      }
      ViewPoint vp = viewPoints.computeIfAbsent(key, k -> k);
      MethodTable.of(viewable.getClass());
      writeRemote(out, exports.export(vp));
      return true;
    }
    if (value instanceof Referenceable) {
      Object target = value instanceof PerspectiveAdapter a ? a.avatar() : value;
      MethodTable.of(target.getClass());
      writeRemote(out, exports.export(value));
      return true;
    }
    if (value instanceof Copyable copyable) {
      out.writeCopy(copyable, ByteString.utf8(copyable.copyTypeName()),
          copyable.stateToCopyFor(currentPerspective));
      return true;
    }
    return false;
  }

  private static void writeRemote(Jellier out, int luid) {
    out.writeListHeader(2);
    out.writeBytes(REMOTE);
    out.writeInt(luid);
  }

  @Override
  public @Nullable Object unjelly(ByteString tag, List<?> expression, Unjellier in) {
    if (tag.equals(REMOTE)) {
      if (expression.size() != 2 || !(expression.get(1) instanceof Integer luid)) {
        throw new JellyException("remote: " + Sexps.abbreviate(expression) + " (expected: [b'remote', luid])");
      }
      if (discarding) {
        broker.sendDecref(luid); // the owner counted this occurrence; nobody will hold it
        return null;
      }
      return imports.importReference(broker, luid);
    }
    if (tag.equals(LOCAL)) {
      if (expression.size() != 2) {
        throw new JellyException("local: " + Sexps.abbreviate(expression) + " (expected: [b'local', luid])");
      }
      Object local = exports.lookup(expression.get(1));
      if (local == null) {
        if (decodingAnswer) {
          // The owner may forget an object (the peer's decref) while an answer naming it is on
          // its way: Twisted reads None then, and so do we, rather than lose the connection.
          return null;
        }
        // In call arguments a stale or guessed id is refused: a typed parameter never sees null
        // for an object it was promised.
        throw new JellyException("local reference to unknown object " + Sexps.abbreviate(expression.get(1))
            + " (expected: an object this connection was given)");
      }
      if (local instanceof ViewPoint vp) {
        return vp.viewable;
      }
      if (local instanceof PerspectiveAdapter adapter) {
        return adapter.avatar();
      }
      return local;
    }
    Object cache = caches.unjelly(tag, expression, in, decodingAnswer, discarding);
    if (cache != NOT_HANDLED) {
      return cache;
    }
    if (tag.equals(Failures.COPYABLE_FAILURE)) {
      if (expression.size() != 2) {
        throw new JellyException("failure: " + Sexps.abbreviate(expression) + " (expected: [type, state])");
      }
      return Failures.fromState(in.unjellyChild(expression.get(1)));
    }
    return NOT_HANDLED;
  }

  /** Exports a view point and forgets it when the peer releases it. */
  private final class ExportedViewPoint extends ViewPoint implements ExportTable.ReleaseListener {
    ExportedViewPoint(@Nullable Object perspective, Viewable viewable) {
      super(perspective, viewable);
    }

    @Override
    public void released() {
      if (viewPoints != null) {
        viewPoints.remove(this);
      }
    }
  }
}
