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
  LIST(Code.LIST),
  INT(Code.INT),
  STRING(Code.STRING),
  NEG(Code.NEG),
  FLOAT(Code.FLOAT),
  LONGINT(Code.LONGINT),
  LONGNEG(Code.LONGNEG),
  VOCAB(Code.VOCAB);

  /**
   * The type bytes as {@code int} constants, for code that switches on a byte read from the wire;
   * the one place where they are spelled out.
   */
  public static final class Code {
    public static final int LIST = 0x80;
    public static final int INT = 0x81;
    public static final int STRING = 0x82;
    public static final int NEG = 0x83;
    public static final int FLOAT = 0x84;
    public static final int LONGINT = 0x85;
    public static final int LONGNEG = 0x86;
    public static final int VOCAB = 0x87;

    private Code() {}
  }

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
    int index = (b & 0xff) - Code.LIST;
    return index >= 0 && index < BY_CODE.length ? BY_CODE[index] : null;
  }
}
