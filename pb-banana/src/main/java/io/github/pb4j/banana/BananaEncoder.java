package io.github.pb4j.banana;

import io.github.pb4j.banana.internal.Vocabulary;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Banana encoder for one dialect, producing exactly the bytes Twisted's encoder produces
 * ({@code twisted.spread.banana.Banana._encode}).
 *
 * <p>{@link #encode(Object, ByteBuf)} writes a whole value of the Banana data model ({@link List}
 * or other {@link Collection}, {@link Integer}, {@link Long}, {@link BigInteger}, {@link Short},
 * {@link Byte}, {@link Boolean} as 1/0, {@link Double}, {@link Float}, {@link ByteString}, {@code
 * byte[]}); it is atomic: when it fails nothing is left in the buffer. The {@code write*} methods
 * write single tokens, for layers (Jelly, the Broker) that encode straight from their own objects.
 *
 * <p>In the pb dialect every byte string that equals a vocabulary word becomes a VOCAB token, as
 * in Twisted.
 *
 * <p><em>Immutable.</em>
 */
public final class BananaEncoder {
  private static final BigInteger MAX_MAGNITUDE = BigInteger.ONE.shiftLeft(448);

  private final Dialect dialect;
  private final BananaLimits limits;
  private final BigInteger maxMagnitude;

  public BananaEncoder(Dialect dialect, BananaLimits limits) {
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.maxMagnitude =
        limits.prefixLimit() == BananaLimits.DEFAULT_PREFIX_LIMIT
            ? MAX_MAGNITUDE
            : BigInteger.ONE.shiftLeft(7 * limits.prefixLimit());
  }

  /** Returns an encoder for {@code dialect} with Twisted's limits. */
  public static BananaEncoder of(Dialect dialect) {
    return new BananaEncoder(dialect, BananaLimits.DEFAULT);
  }

  public Dialect dialect() {
    return dialect;
  }

  public BananaLimits limits() {
    return limits;
  }

  /**
   * Appends the encoding of {@code value} to {@code out}.
   *
   * @throws BananaException if the value cannot be encoded; {@code out} is then unchanged
   */
  public void encode(Object value, ByteBuf out) {
    int mark = out.writerIndex();
    try {
      write(value, out);
    } catch (BananaException | IllegalArgumentException e) {
      out.writerIndex(mark);
      throw e;
    } catch (StackOverflowError e) {
      out.writerIndex(mark);
      throw new BananaException("value nested too deeply to encode");
    }
  }

  private void write(Object value, ByteBuf out) {
    if (value instanceof ByteString s) {
      writeBytes(out, s);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      writeInt(out, ((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      writeFloat(out, ((Number) value).doubleValue());
    } else if (value instanceof List<?> list) {
      writeListHeader(out, list.size());
      for (int i = 0, n = list.size(); i < n; i++) {
        write(list.get(i), out); // null is refused below, as Twisted refuses None
      }
    } else if (value instanceof Collection<?> c) {
      writeListHeader(out, c.size());
      for (Object o : c) {
        write(o, out);
      }
    } else if (value instanceof BigInteger b) {
      writeInteger(out, b);
    } else if (value instanceof byte[] b) {
      writeBytes(out, b, 0, b.length);
    } else if (value instanceof Boolean b) {
      writeInt(out, b ? 1 : 0);
    } else {
      throw new BananaException(
          "cannot send " + (value == null ? "null" : value.getClass().getName()) + " objects");
    }
  }

  /** Writes a list header; the caller then writes {@code count} elements. */
  public void writeListHeader(ByteBuf out, int count) {
    if (count < 0 || count > limits.sizeLimit()) {
      throw new BananaException(
          "list length: " + count + " (expected: <= " + limits.sizeLimit() + ")");
    }
    writeHeader(out, count, BananaType.Code.LIST);
  }

  /** Writes an integer as INT, NEG, LONGINT or LONGNEG, chosen by Twisted's ranges. */
  public void writeInt(ByteBuf out, long value) {
    // Below 9 prefix digits (63 bits) a long can need too many; Twisted's setPrefixLimit also
    // bounds the integers it sends.
    if (limits.prefixLimit() < 9
        && (value == Long.MIN_VALUE || Math.abs(value) >>> (7 * limits.prefixLimit()) != 0)) {
      throw integerTooLarge(value);
    }
    if (value >= 0) {
      writeHeader(out, value, value <= Integer.MAX_VALUE ? BananaType.Code.INT : BananaType.Code.LONGINT);
    } else if (value >= Integer.MIN_VALUE) {
      writeHeader(out, -value, BananaType.Code.NEG);
    } else if (value != Long.MIN_VALUE) {
      writePrefix(out, -value);
      out.writeByte(BananaType.Code.LONGNEG);
    } else {
      writeInteger(out, BigInteger.valueOf(value));
    }
  }

  /** Writes an integer of any size up to 2**448 - 1 in magnitude. */
  public void writeInteger(ByteBuf out, BigInteger value) {
    if (value.bitLength() < 63) {
      writeInt(out, value.longValue());
      return;
    }
    BigInteger magnitude = value.abs();
    if (magnitude.compareTo(maxMagnitude) >= 0) {
      throw integerTooLarge(value);
    }
    while (magnitude.signum() > 0) {
      out.writeByte(magnitude.intValue() & 0x7f);
      magnitude = magnitude.shiftRight(7);
    }
    out.writeByte(value.signum() > 0 ? BananaType.Code.LONGINT : BananaType.Code.LONGNEG);
  }

  private BananaException integerTooLarge(Object value) {
    return new BananaException(
        "integer: " + value + " (expected: |value| < 2**" + 7 * limits.prefixLimit() + ")");
  }

  /**
   * Writes a FLOAT token: {@code 0x84} then the 8 bytes of the IEEE 754 value, big-endian, as
   * Python's {@code struct.pack('!d')}: a NaN keeps its sign and payload, so a NaN received from
   * a Twisted peer goes back with the same bytes ({@code Double.NaN} is Python's {@code nan}).
   */
  public void writeFloat(ByteBuf out, double value) {
    out.writeByte(BananaType.Code.FLOAT);
    out.writeLong(Double.doubleToRawLongBits(value));
  }

  /** Writes a byte string, as a VOCAB token where the dialect says so. */
  public void writeBytes(ByteBuf out, ByteString value) {
    if (dialect == Dialect.PB) {
      int number = Vocabulary.numberOf(value);
      if (number != 0) {
        writeVocab(out, number);
        return;
      }
    }
    checkStringLength(value.size());
    writePrefix(out, value.size());
    out.writeByte(BananaType.Code.STRING);
    value.writeTo(out);
  }

  /** Writes {@code length} bytes of {@code bytes} at {@code offset} as a byte string. */
  public void writeBytes(ByteBuf out, byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    if (dialect == Dialect.PB) {
      int number = Vocabulary.numberOf(bytes, offset, length);
      if (number != 0) {
        writeVocab(out, number);
        return;
      }
    }
    checkStringLength(length);
    writePrefix(out, length);
    out.writeByte(BananaType.Code.STRING);
    out.writeBytes(bytes, offset, length);
  }

  /**
   * Writes {@code text} as one byte string if it is ASCII, in one pass, and returns true; returns
   * false, writing nothing, otherwise (use {@link #writeUtf8}).
   */
  public boolean writeAscii(ByteBuf out, String text) {
    int n = text.length();
    if (n < 0x80 && out.hasArray()) {
      return writeShortAscii(out, text, n);
    }
    for (int i = 0; i < n; i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    if (dialect == Dialect.PB) {
      int number = Vocabulary.numberOf(text);
      if (number != 0) {
        writeVocab(out, number);
        return true;
      }
    }
    checkTextLength(text, n);
    out.ensureWritable(n + 4);
    writeHeader(out, n, BananaType.Code.STRING);
    out.writeCharSequence(text, java.nio.charset.StandardCharsets.US_ASCII);
    return true;
  }

  /**
   * {@link #writeAscii} for text shorter than 128 characters into a buffer with an array: checks
   * and copies the characters in one pass, straight into the array after a one-digit header.
   */
  private boolean writeShortAscii(ByteBuf out, String text, int n) {
    if (dialect == Dialect.PB && n > 0) {
      int number = Vocabulary.numberOf(text); // words are ASCII: no match for any other text
      if (number != 0) {
        writeVocab(out, number);
        return true;
      }
    }
    out.ensureWritable(n + 2);
    byte[] a = out.array();
    int start = out.arrayOffset() + out.writerIndex();
    int p = start + 2;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return false; // nothing written: the writer index has not moved
      }
      a[p + i] = (byte) c;
    }
    checkTextLength(text, n);
    a[start] = (byte) n;
    a[start + 1] = (byte) BananaType.Code.STRING;
    out.writerIndex(out.writerIndex() + n + 2);
    return true;
  }

  /** Writes the UTF-8 bytes of {@code text} as one byte string, without an intermediate array. */
  public void writeUtf8(ByteBuf out, String text) {
    int length = ByteBufUtil.utf8Bytes(text);
    if (dialect == Dialect.PB && length == text.length()) {
      int number = Vocabulary.numberOf(text);
      if (number != 0) {
        writeVocab(out, number);
        return;
      }
    }
    checkTextLength(text, length);
    writePrefix(out, length);
    out.writeByte(BananaType.Code.STRING);
    out.ensureWritable(length);
    int written = ByteBufUtil.reserveAndWriteUtf8(out, text, length);
    assert written == length;
  }

  /**
   * Writes a token that is already encoded for this encoder's dialect (see {@link #precompute}).
   */
  public void writeEncoded(ByteBuf out, byte[] encoded) {
    out.writeBytes(encoded);
  }

  /** Returns the encoding of a byte-string constant in this dialect, for repeated raw writes. */
  public byte[] precompute(ByteString constant) {
    ByteBuf buf = io.netty.buffer.Unpooled.buffer(constant.size() + 4);
    writeBytes(buf, constant);
    byte[] result = new byte[buf.readableBytes()];
    buf.readBytes(result);
    return result;
  }

  private void writeVocab(ByteBuf out, int number) {
    writeHeader(out, number, BananaType.Code.VOCAB);
  }

  /** Writes a token header: prefix digits then the type byte; one write for the common one-digit case. */
  private static void writeHeader(ByteBuf out, long n, int type) {
    if (n < 0x80) {
      out.writeShort(((int) n << 8) | type);
    } else {
      writePrefix(out, n);
      out.writeByte(type);
    }
  }

  /** The program counts characters, the limit counts encoded bytes: a refusal says both. */
  private void checkTextLength(String text, int utf8Length) {
    if (utf8Length > limits.sizeLimit()) {
      throw new BananaException("string length: " + utf8Length + " UTF-8 bytes, "
          + text.codePointCount(0, text.length()) + " characters (expected: <= " + limits.sizeLimit() + " bytes)");
    }
  }

  private void checkStringLength(int length) {
    if (length > limits.sizeLimit()) {
      throw new BananaException(
          "string length: " + length + " (expected: <= " + limits.sizeLimit() + ")");
    }
  }

  /** Writes a non-negative number in base 128, least significant digit first; 0 is {@code 00}. */
  static void writePrefix(ByteBuf out, long n) {
    if (n < 0x80) {
      out.writeByte((int) n);
      return;
    }
    do {
      out.writeByte((int) (n & 0x7f));
      n >>>= 7;
    } while (n != 0);
  }
}
