package io.github.pb4j.banana;

import org.jspecify.annotations.Nullable;

/**
 * The type byte that ends every Banana token header.
 *
 * <pre>
 *   [prefix: 0..64 bytes, each 0x00..0x7f, base-128 little-endian] [type byte 0x80..0x87] [payload]
 * </pre>
 */
public enum BananaType {
  LIST(0x80),
  INT(0x81),
  STRING(0x82),
  NEG(0x83),
  FLOAT(0x84),
  LONGINT(0x85),
  LONGNEG(0x86),
  VOCAB(0x87);

  private static final BananaType[] BY_CODE = values();

  private final int code;

  BananaType(int code) {
    this.code = code;
  }

  /** Returns the type byte, 0x80..0x87. */
  public int code() {
    return code;
  }

  /** Returns the type for a byte read from the wire, or {@code null} if it is not a type byte. */
  public static @Nullable BananaType fromWire(int b) {
    int index = (b & 0xff) - 0x80;
    return index >= 0 && index < BY_CODE.length ? BY_CODE[index] : null;
  }
}
