package io.github.pb4j.banana;

import org.jspecify.annotations.Nullable;

/**
 * The two Banana dialects. In {@link #PB} every byte string that is one of the 31 vocabulary
 * words travels as a VOCAB token; in {@link #NONE} VOCAB tokens are illegal.
 */
public enum Dialect {
  PB("pb"),
  NONE("none");

  private final ByteString wireName;

  Dialect(String name) {
    this.wireName = ByteString.ascii(name);
  }

  /** Returns the name sent during dialect negotiation. */
  public ByteString wireName() {
    return wireName;
  }

  /** Returns the dialect with this wire name, or {@code null} if pb4j does not speak it. */
  public static @Nullable Dialect fromWire(ByteString name) {
    for (Dialect d : values()) {
      if (d.wireName.equals(name)) {
        return d;
      }
    }
    return null;
  }
}
