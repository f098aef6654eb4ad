package io.github.pb4j.jelly;

import io.github.pb4j.banana.ByteString;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The tags that open a Jelly list: the {@code *_atom} names of {@code twisted.spread.jelly}. */
public enum JellyTag {
  NONE("None"),
  BOOLEAN("boolean"),
  UNICODE("unicode"),
  LIST("list"),
  TUPLE("tuple"),
  DICTIONARY("dictionary"),
  SET("set"),
  FROZENSET("frozenset"),
  DATETIME("datetime"),
  DATE("date"),
  TIME("time"),
  TIMEDELTA("timedelta"),
  DECIMAL("decimal"),
  REFERENCE("reference"),
  DEREFERENCE("dereference"),
  UNPERSISTABLE("unpersistable"),
  PERSISTENT("persistent"),
  // PB flavours, handled by a JellyExtension (the Broker).
  REMOTE("remote"),
  LOCAL("local"),
  CACHED("cached"),
  LCACHE("lcache"),
  // Never accepted: Twisted's unsafe tags.
  CLASS("class"),
  MODULE("module"),
  FUNCTION("function"),
  METHOD("method"),
  INSTANCE("instance");

  private static final Map<ByteString, JellyTag> BY_WIRE = new HashMap<>();

  static {
    for (JellyTag t : values()) {
      BY_WIRE.put(t.wire, t);
    }
  }

  private final ByteString wire;

  JellyTag(String wire) {
    this.wire = ByteString.ascii(wire);
  }

  /** Returns the tag as sent. */
  public ByteString wire() {
    return wire;
  }

  /** Returns the tag for a wire name, or {@code null} for a type name or an unknown tag. */
  public static @Nullable JellyTag fromWire(ByteString wire) {
    return BY_WIRE.get(wire);
  }
}
