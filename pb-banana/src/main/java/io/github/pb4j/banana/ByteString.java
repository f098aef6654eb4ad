package io.github.pb4j.banana;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable sequence of bytes with value equality: the Java form of Python {@code bytes}.
 *
 * <p>Banana strings and Jelly {@code bytes} values are {@code ByteString}s, so that bytes and text
 * ({@link String}) stay distinct as they are in Python. {@link #toString()} is hex; {@link
 * #toPythonRepr()} renders the Python literal.
 *
 * <p><em>Immutable.</em>
 */
public final class ByteString implements Comparable<ByteString> {
  /** The empty byte string. */
  public static final ByteString EMPTY = new ByteString(new byte[0]);

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;
  private int hash; // Cached; 0 means not yet computed (or a real zero hash, recomputed cheaply).

  private ByteString(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Returns a byte string holding a copy of {@code bytes}. */
  public static ByteString of(byte... bytes) {
    return bytes.length == 0 ? EMPTY : new ByteString(bytes.clone());
  }

  /** Returns a byte string holding a copy of {@code length} bytes of {@code bytes} at {@code offset}. */
  public static ByteString of(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return length == 0 ? EMPTY : new ByteString(Arrays.copyOfRange(bytes, offset, offset + length));
  }

  /** Returns the UTF-8 encoding of {@code text}. */
  public static ByteString utf8(String text) {
    return wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Returns the bytes of {@code text}, which must be ASCII. */
  public static ByteString ascii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0x7f) {
        throw new IllegalArgumentException("not ascii: " + text);
      }
    }
    return wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** Parses hex digits (whitespace allowed) into a byte string. */
  public static ByteString fromHex(String hex) {
    return wrap(HEX.parseHex(hex.replaceAll("\\s+", "")));
  }

  /**
   * Wraps {@code bytes} without copying. The caller must never modify the array afterwards.
   *
   * <p>Not public API: used by decoders that own a freshly read array.
   */
  static ByteString wrap(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new ByteString(bytes);
  }

  /** Returns the number of bytes. */
  public int size() {
    return bytes.length;
  }

  /** Returns the byte at {@code index}. */
  public byte byteAt(int index) {
    return bytes[index];
  }

  /** Returns a copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Returns a read-only view of the bytes. */
  public ByteBuffer asReadOnlyByteBuffer() {
    return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  /** Appends the bytes to {@code out}. */
  public void writeTo(io.netty.buffer.ByteBuf out) {
    out.writeBytes(bytes);
  }

  /** Returns true if these bytes equal {@code length} bytes of {@code other} at {@code offset}. */
  public boolean contentEquals(byte[] other, int offset, int length) {
    return Arrays.equals(bytes, 0, bytes.length, other, offset, offset + length);
  }

  /**
   * Decodes the bytes as strict UTF-8.
   *
   * @throws IllegalArgumentException if the bytes are not valid UTF-8
   */
  public String toStringUtf8() {
    if (isAscii()) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("invalid utf-8: " + toPythonRepr(), e);
    }
  }

  /** Returns true if every byte is below 0x80. */
  public boolean isAscii() {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  /** Returns the bytes as lowercase hex digits. */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  /** Returns the Python literal for these bytes, e.g. {@code b'ab\x00'}. */
  public String toPythonRepr() {
    boolean hasSingle = false;
    boolean hasDouble = false;
    for (byte b : bytes) {
      hasSingle |= b == '\'';
      hasDouble |= b == '"';
    }
    char quote = hasSingle && !hasDouble ? '"' : '\'';
    StringBuilder sb = new StringBuilder(bytes.length + 3).append('b').append(quote);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c == quote || c == '\\') {
        sb.append('\\').append((char) c);
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c < 0x20 || c >= 0x7f) {
        sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
      } else {
        sb.append((char) c);
      }
    }
    return sb.append(quote).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof ByteString other && Arrays.equals(bytes, other.bytes));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(bytes);
      hash = h;
    }
    return h;
  }

  @Override
  public int compareTo(ByteString o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  /** Returns the bytes as hex. */
  @Override
  public String toString() {
    return hex();
  }

  /** Not public API: the backing array, which callers must not modify. */
  byte[] internalArray() {
    return bytes;
  }
}
