package io.github.pb4j.banana;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;

/** Byte helpers for the Banana tests. */
final class TestBytes {
  private static final HexFormat HEX = HexFormat.of();

  private TestBytes() {}

  /** Returns the encoding of {@code value} by {@code encoder}. */
  static byte[] encode(BananaEncoder encoder, Object value) {
    ByteBuf out = Unpooled.buffer();
    try {
      encoder.encode(value, out);
      byte[] bytes = new byte[out.readableBytes()];
      out.readBytes(bytes);
      return bytes;
    } finally {
      out.release();
    }
  }

  /** Returns the encoding of {@code value} in {@code dialect} with Twisted's limits. */
  static byte[] encode(Dialect dialect, Object value) {
    return encode(BananaEncoder.of(dialect), value);
  }

  static String hex(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  /** Parses hex digits; spaces are allowed between bytes. */
  static byte[] bytes(String hex) {
    return HEX.parseHex(hex.replace(" ", ""));
  }

  /** Returns {@code count} copies of {@code unit}, concatenated. */
  static byte[] repeat(String unitHex, int count) {
    byte[] unit = bytes(unitHex);
    byte[] result = new byte[unit.length * count];
    for (int i = 0; i < count; i++) {
      System.arraycopy(unit, 0, result, i * unit.length, unit.length);
    }
    return result;
  }

  /** Returns the concatenation of {@code parts}. */
  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] result = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, result, at, part.length);
      at += part.length;
    }
    return result;
  }
}
