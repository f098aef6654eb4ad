package io.github.pb4j.banana;

import io.github.pb4j.banana.internal.Vocabulary;
import io.github.pb4j.banana.internal.BananaReader;
import io.netty.buffer.ByteBuf;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Incremental Banana decoder: feed it bytes as they arrive, take out complete top-level
 * expressions. Any split of the input decodes identically.
 *
 * <p>Decoded values are {@link List} (read-only in spirit: do not modify them), {@link Integer}, {@link
 * Long} or {@link BigInteger} (the smallest that holds the value), {@link Double} and {@link
 * ByteString}; in the pb dialect a VOCAB token decodes to the word's {@code ByteString}.
 *
 * <p>Follows Twisted's decoder ({@code twisted.spread.banana.Banana.dataReceived}),
 * including its leniency (empty prefix = 0, non-minimal prefixes, any integer token for any
 * value, prefix bytes before FLOAT ignored). Lengths and counts are checked against {@link
 * BananaLimits} as soon as their token header is read, before anything is allocated. After a
 * {@link BananaException} the decoder is reset; on a connection the error is fatal.
 *
 * <p><em>Not thread-safe;</em> one decoder per connection.
 */
public final class BananaDecoder {
  private final BananaLimits limits;
  private Dialect dialect;
  /** Reads whole expressions for the fast path. */
  private final BananaReader reader;

  /** Open lists, innermost last. */
  private final List<OpenList> stack = new ArrayList<>();
  /** Bytes consumed by the top-level expression being decoded. */
  private long messageBytes;
  /** Estimated heap held by the partly decoded expression; see {@link #expressionCost()}. */
  private long messageCost;

  /**
   * What {@link #expressionCost()} adds per value decoded, for its object, its reference in a list
   * and the list's own objects: a generous average (a boxed number takes 16 bytes, an open list up
   * to about 130, but nesting is bounded by {@link BananaLimits#maxDepth()}).
   */
  public static final int VALUE_OVERHEAD = 64;

  /** Creates a decoder in the {@link Dialect#NONE} dialect, as a connection starts. */
  public BananaDecoder(BananaLimits limits) {
    this(limits, Dialect.NONE);
  }

  public BananaDecoder(BananaLimits limits, Dialect dialect) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.reader = new BananaReader(limits, dialect);
  }

  /** Returns the current dialect. */
  public Dialect dialect() {
    return dialect;
  }

  /** Switches the dialect; takes effect for the next token. */
  public void setDialect(Dialect dialect) {
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    reader.setDialect(dialect);
  }

  /** Returns the limits this decoder enforces. */
  public BananaLimits limits() {
    return limits;
  }

  /** Returns true if part of a top-level expression has been consumed but not yet completed. */
  public boolean isInsideExpression() {
    return !stack.isEmpty();
  }

  /**
   * Returns an estimate of the heap held by the part of an expression decoded so far, which stays
   * in memory until the expression is complete: the bytes consumed plus {@value #VALUE_OVERHEAD}
   * per value. 0 between expressions. A connection charges it to its input budget.
   */
  public long expressionCost() {
    return stack.isEmpty() ? 0 : messageCost;
  }

  /**
   * Consumes bytes from {@code in} up to the end of the next complete top-level expression and
   * returns it, or returns {@code null} when more input is needed (having consumed every complete
   * token so far).
   *
   * @throws BananaException if the input is not valid Banana or breaks a limit
   */
  public @Nullable Object decode(ByteBuf in) {
    if (stack.isEmpty()) {
      Object whole = decodeWhole(in);
      if (whole != FALL_BACK) {
        return whole;
      }
    }
    try {
      while (true) {
        Object item = decodeToken(in);
        if (item == NEED_MORE) {
          return null;
        }
        Object done = deliver(item);
        if (done != NEED_MORE) {
          messageBytes = 0;
          messageCost = 0;
          return done;
        }
      }
    } catch (BananaException e) {
      reset();
      throw e;
    }
  }

  // ---------------------------------------------------------------- fast path

  /** Nesting the recursive fast path handles before leaving the rest to the iterative decoder. */
  private static final int FAST_PATH_MAX_DEPTH = 64;
  private static final Object FALL_BACK = new Object();

  /**
   * Decodes a whole expression in one recursive pass over a {@link BananaReader} when the buffer
   * holds all of it, which is the usual case: about twice as fast as the token-by-token state
   * machine. Returns {@link #FALL_BACK}, having consumed nothing, when the expression is
   * incomplete, unusual (large integers, deep nesting, very large) or invalid: the incremental
   * decoder then decides, with its exact error messages.
   */
  private Object decodeWhole(ByteBuf in) {
    if (!in.isReadable()) {
      return FALL_BACK;
    }
    reader.begin(in);
    Object value;
    try {
      value = fastValue(0);
    } catch (BananaReader.Unsupported e) {
      return FALL_BACK;
    }
    reader.commit(in);
    return value;
  }

  private Object fastValue(int depth) {
    switch (reader.next()) {
      case BananaReader.LIST: {
        if (depth >= FAST_PATH_MAX_DEPTH || depth >= limits.maxDepth()) {
          throw BananaReader.Unsupported.INSTANCE;
        }
        int count = reader.count();
        if (count == 2) {
          Object first = fastValue(depth + 1);
          return new Pair(first, fastValue(depth + 1));
        }
        ArrayList<Object> list = new ArrayList<>(Math.min(count, 16));
        for (int i = 0; i < count; i++) {
          list.add(fastValue(depth + 1));
        }
        return list;
      }
      case BananaReader.INT:
        return reader.number();
      case BananaReader.STRING:
        return reader.byteString();
      case BananaReader.FLOAT:
        return reader.doubleValue();
      default:
        return reader.word();
    }
  }

  /** Forgets any partly decoded expression. */
  public void reset() {
    stack.clear();
    messageBytes = 0;
    messageCost = 0;
  }

  private static final Object NEED_MORE = new Object();
  private static final Object OPENED_LIST = new Object();

  /**
   * Decodes one token. Returns an item, {@link #OPENED_LIST} when a non-empty list began, or
   * {@link #NEED_MORE}.
   */
  private Object decodeToken(ByteBuf in) {
    int start = in.readerIndex();
    int available = in.writerIndex() - start;
    int scan = Math.min(available, limits.prefixLimit() + 1);
    int prefixLength = 0;
    while (prefixLength < scan && in.getByte(start + prefixLength) >= 0) {
      prefixLength++;
    }
    if (prefixLength > limits.prefixLimit()) {
      throw new BananaException(
          "token prefix: more than " + limits.prefixLimit() + " bytes (expected: <= "
              + limits.prefixLimit() + ")");
    }
    if (prefixLength == available) {
      return NEED_MORE;
    }
    int typeByte = in.getByte(start + prefixLength) & 0xff;
    int headerLength = prefixLength + 1;
    BananaType type = BananaType.fromWire(typeByte);
    if (type == null) {
      throw new BananaException(String.format("invalid type byte: 0x%02x (expected: 0x80..0x87)", typeByte));
    }
    switch (type) {
      case LIST: {
        long count = boundedPrefix(in, start, prefixLength, "list length");
        consume(in, headerLength);
        if (count == 0) {
          return new ArrayList<>(0);
        }
        // Each open list costs memory before its elements arrive: bound the nesting.
        if (stack.size() >= limits.maxDepth()) {
          throw new BananaException(
              "list nesting: more than " + limits.maxDepth() + " (expected: <= " + limits.maxDepth() + ")");
        }
        stack.add(new OpenList((int) count));
        return OPENED_LIST;
      }
      case STRING: {
        long length = boundedPrefix(in, start, prefixLength, "string length");
        if (messageBytes + headerLength + length > limits.maxMessageBytes()) {
          throw tooLargeMessage(messageBytes + headerLength + length);
        }
        if (available - headerLength < length) {
          return NEED_MORE;
        }
        byte[] bytes = new byte[(int) length];
        in.getBytes(start + headerLength, bytes);
        consume(in, headerLength + (int) length);
        return ByteString.wrap(bytes);
      }
      case INT:
      case LONGINT: {
        Number value = integerPrefix(in, start, prefixLength, false);
        consume(in, headerLength);
        return value;
      }
      case NEG:
      case LONGNEG: {
        Number value = integerPrefix(in, start, prefixLength, true);
        consume(in, headerLength);
        return value;
      }
      case FLOAT: {
        // Prefix bytes before FLOAT are ignored, as Twisted does.
        if (messageBytes + headerLength + 8 > limits.maxMessageBytes()) {
          throw tooLargeMessage(messageBytes + headerLength + 8); // as for a string: no use waiting
        }
        if (available - headerLength < 8) {
          return NEED_MORE;
        }
        double value = in.getDouble(start + headerLength);
        consume(in, headerLength + 8);
        return value;
      }
      case VOCAB: {
        long number = longPrefix(in, start, prefixLength); // -1 if it does not fit in a long
        ByteString word = number < 0 ? null : Vocabulary.word(number);
        if (word == null) {
          throw new BananaException(
              "vocabulary number: " + describePrefix(in, start, prefixLength) + " (expected: 1.."
                  + Vocabulary.size() + ")");
        }
        if (dialect != Dialect.PB) {
          throw new BananaException(
              "vocabulary token " + word.toPythonRepr() + " in the " + dialect.name().toLowerCase()
                  + " dialect (expected: only in the pb dialect)");
        }
        consume(in, headerLength);
        return word;
      }
      default:
        throw new AssertionError(type);
    }
  }

  /** Adds a finished item to the open list, closing lists that fill up. Returns a top-level value or NEED_MORE. */
  private Object deliver(Object item) {
    if (item == OPENED_LIST) {
      return NEED_MORE;
    }
    while (true) {
      if (stack.isEmpty()) {
        return item;
      }
      OpenList top = stack.get(stack.size() - 1);
      top.items.add(item);
      if (top.items.size() < top.expected) {
        return NEED_MORE;
      }
      stack.remove(stack.size() - 1);
      item = top.items;
    }
  }

  private void consume(ByteBuf in, int n) {
    messageBytes += n;
    messageCost += n + VALUE_OVERHEAD;
    if (messageBytes > limits.maxMessageBytes()) {
      throw tooLargeMessage(messageBytes);
    }
    in.skipBytes(n);
  }

  private BananaException tooLargeMessage(long size) {
    return new BananaException(
        "expression size: " + size + " bytes (expected: <= " + limits.maxMessageBytes() + ")");
  }

  /** Reads a length or count prefix and checks it against the size limit. */
  private long boundedPrefix(ByteBuf in, int start, int length, String what) {
    long value = longPrefix(in, start, length);
    if (value < 0 || value > limits.sizeLimit()) {
      throw new BananaException(
          what + ": " + describePrefix(in, start, length) + " (expected: <= " + limits.sizeLimit() + ")");
    }
    return value;
  }

  /** Returns the prefix as a long, or -1 if it does not fit in 63 bits. */
  private static long longPrefix(ByteBuf in, int start, int length) {
    long value = 0;
    for (int i = length - 1; i >= 0; i--) {
      if (value > (Long.MAX_VALUE >> 7)) {
        return -1;
      }
      value = (value << 7) | in.getByte(start + i);
    }
    return value;
  }

  private static BigInteger bigPrefix(ByteBuf in, int start, int length) {
    BigInteger value = BigInteger.ZERO;
    for (int i = length - 1; i >= 0; i--) {
      value = value.shiftLeft(7).or(BigInteger.valueOf(in.getByte(start + i)));
    }
    return value;
  }

  private static String describePrefix(ByteBuf in, int start, int length) {
    long value = longPrefix(in, start, length);
    return value >= 0 ? Long.toString(value) : bigPrefix(in, start, length).toString();
  }

  private static Number integerPrefix(ByteBuf in, int start, int length, boolean negative) {
    long value = longPrefix(in, start, length);
    if (value >= 0) {
      if (negative) {
        value = -value;
        return value >= Integer.MIN_VALUE ? (Number) (int) value : (Number) value;
      }
      return value <= Integer.MAX_VALUE ? (Number) (int) value : (Number) value;
    }
    BigInteger big = bigPrefix(in, start, length);
    return narrow(negative ? big.negate() : big);
  }

  /** Returns {@code value} as the smallest of Integer, Long and BigInteger that holds it. */
  public static Number narrow(BigInteger value) {
    int bits = value.bitLength();
    if (bits <= 31) {
      return value.intValue();
    }
    if (bits <= 63) {
      return value.longValue();
    }
    return value;
  }

  private static final class OpenList {
    final int expected;
    final ArrayList<Object> items;

    OpenList(int expected) {
      this.expected = expected;
      // Never trust the count for allocation: a 10-byte message may claim 655,360 elements.
      this.items = new ArrayList<>(Math.min(expected, 16));
    }
  }
}
