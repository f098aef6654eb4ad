package io.github.pb4j.banana.internal;

import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.BananaType;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads Banana tokens straight from the bytes of whole expressions, for layers that turn them into
 * their own objects without the s-expression tree {@link BananaDecoder} builds: Jelly's fast path
 * and the broker's message envelope.
 *
 * <p>The reader handles only what is plain. Input that is incomplete, breaks a {@link
 * BananaLimits limit}, is invalid, or holds an integer beyond 63 bits makes it throw {@link
 * Unsupported}, a stackless signal: the caller then rewinds and decodes the same bytes with
 * {@link BananaDecoder}, which gives the value or the exact error. So whatever the reader
 * returns, the decoder would have returned too.
 *
 * <p>Usage: {@link #begin} over a buffer, read tokens with {@link #next}, and {@link #commit} what
 * was used; the buffer is consumed only by {@code commit}. A window may hold several expressions,
 * read one after another. Between {@code begin} and the last {@code commit} the buffer must not
 * change.
 *
 * <p><em>Not thread-safe;</em> one per connection, like the decoder.
 */
public final class BananaReader {
  /** Token type of {@link #next}: a list header; {@link #count()} elements follow. */
  public static final int LIST = BananaType.Code.LIST;
  /** Token type of {@link #next}: an integer (INT, NEG, LONGINT or LONGNEG), in {@link #longValue()}. */
  public static final int INT = BananaType.Code.INT;
  /** Token type of {@link #next}: a byte string; see {@link #byteString()} and friends. */
  public static final int STRING = BananaType.Code.STRING;
  /** Token type of {@link #next}: a float, in {@link #doubleValue()}. */
  public static final int FLOAT = BananaType.Code.FLOAT;
  /** Token type of {@link #next}: a vocabulary word (pb dialect only), see {@link #word()}. */
  public static final int VOCAB = BananaType.Code.VOCAB;

  /** Largest window read at once; larger expressions go to the decoder. */
  private static final int MAX_WINDOW = 1 << 20;
  /** Slots of the recent-bytes cache (a power of two) and the longest string it keeps. */
  private static final int RECENT_SLOTS = 128;
  private static final int MAX_RECENT_LENGTH = 16;
  /** The largest copy buffer a thread keeps between reads. */
  private static final int KEPT_SCRATCH_BYTES = 256 * 1024;
  private static final byte[] NO_BYTES = new byte[0];
  /** Reads the 8 bytes of a FLOAT token as one big-endian load. */
  private static final VarHandle BIG_ENDIAN_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * The copy buffer of a thread, lent to one reader at a time between {@link #begin} and {@link
   * #trim}: the readers of every connection on an event loop share it, so an idle connection holds
   * none and a large message does not make a new one each time. A reader that finds it lent (a
   * read inside another's, on the same thread) copies into its own.
   */
  private static final class Scratch {
    byte[] bytes = new byte[4096];
    boolean lent;
  }

  private static final FastThreadLocal<Scratch> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
          return new Scratch();
        }
      };
  /**
   * Recent short byte strings, per thread: shared by the readers of every connection on an event
   * loop (a cache, checked byte for byte on every hit), so an idle connection holds none.
   */
  private static final FastThreadLocal<ByteString[]> RECENT_BYTES =
      new FastThreadLocal<>() {
        @Override
        protected ByteString[] initialValue() {
          return new ByteString[RECENT_SLOTS];
        }
      };

  /** Thrown when the input is not something this reader handles; carries no stack trace. */
  public static final class Unsupported extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** The one instance. */
    public static final Unsupported INSTANCE = new Unsupported();

    private Unsupported() {
      super("not handled by the fast path", null, false, false);
    }
  }

  private final BananaLimits limits;
  private final int sizeLimit;
  private final int prefixLimit;
  private Dialect dialect;

  /** The copy buffer in use since {@link #begin}; {@link #NO_BYTES} when none. */
  private byte[] scratch = NO_BYTES;
  /** The thread's copy buffer while this reader has it, else null. */
  private @Nullable Scratch lent;
  private byte[] buf = NO_BYTES;
  private int base;
  private int pos;
  private int end;
  private int committed;
  /** Set when a read needed bytes beyond the window; see {@link #truncated()}. */
  private boolean truncated;
  /** True if the window at {@link #begin} took every readable byte of the buffer. */
  private boolean windowReachesBufferEnd;
  /** The reader index of the buffer at {@link #begin}, matching {@link #base}. */
  private int startIndex;

  private long value;
  private double doubleValue;
  private int stringOffset;
  private @Nullable CharsetDecoder utf8;
  /** Byte strings made from short byte strings, by a hash of their bytes; made on first use. */

  public BananaReader(BananaLimits limits, Dialect dialect) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.sizeLimit = limits.sizeLimit();
    this.prefixLimit = limits.prefixLimit();
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  /** Switches the dialect, as the decoder's is switched. */
  public void setDialect(Dialect dialect) {
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  /** Returns the dialect this reader reads. */
  public Dialect dialect() {
    return dialect;
  }

  /** Returns the limits this reader keeps within. */
  public BananaLimits limits() {
    return limits;
  }

  /**
   * Starts reading the readable bytes of {@code in} (up to the message size limit), without
   * consuming them. A heap buffer is read in place; others are copied once.
   */
  public void begin(ByteBuf in) {
    truncated = false;
    int readable = (int) Math.min(in.readableBytes(), Math.min(limits.maxMessageBytes(), MAX_WINDOW));
    windowReachesBufferEnd = readable == in.readableBytes();
    if (in.hasArray()) {
      buf = in.array();
      base = in.arrayOffset() + in.readerIndex();
    } else {
      if (scratch.length < readable) {
        growScratch(readable);
      }
      in.getBytes(in.readerIndex(), scratch, 0, readable);
      buf = scratch;
      base = 0;
    }
    pos = base;
    end = base + readable;
    committed = base;
    startIndex = in.readerIndex();
  }

  private void growScratch(int needed) {
    Scratch s = lent;
    if (scratch == NO_BYTES) {
      s = SCRATCH.get();
      if (!s.lent) {
        s.lent = true;
        lent = s;
        scratch = s.bytes;
      } else {
        s = null;
      }
    }
    if (scratch.length < needed) {
      scratch = new byte[Math.max(needed, Math.min(MAX_WINDOW, scratch.length * 2))];
      if (s != null && scratch.length <= KEPT_SCRATCH_BYTES) {
        s.bytes = scratch;
      }
    }
  }

  /**
   * Gives the copy buffer back to the thread (or lets go of this reader's own) and forgets the
   * window; between reads, when no window is open. An idle connection holds no bytes.
   */
  public void trim() {
    Scratch s = lent;
    if (s != null) {
      s.lent = false;
      lent = null;
    }
    // Nor does it keep the last window's array (a heap buffer's, which may be a large message's).
    scratch = NO_BYTES;
    buf = NO_BYTES;
    base = pos = end = committed = 0;
  }

  /**
   * Continues after another reader (the decoder) consumed bytes of the same buffer since {@link
   * #begin}: the window is kept, without copying it again, and reading resumes at the buffer's
   * reader index. Begins anew if the window does not reach that far.
   */
  public void follow(ByteBuf in) {
    truncated = false;
    long offset = (long) in.readerIndex() - startIndex;
    if (offset >= 0 && offset < end - base) {
      pos = base + (int) offset;
      committed = pos;
    } else {
      begin(in);
    }
  }

  /**
   * Returns true if reading stopped at the end of the buffer since {@link #begin}, {@link
   * #follow} or the last commit: the expression read continues beyond the bytes there were. False
   * when the window was cut short of the buffer's end (by the message size limit or the window's
   * own limit): more bytes are there, only not in the window.
   */
  public boolean truncated() {
    return truncated && windowReachesBufferEnd;
  }

  /** Returns true if no byte is left in the window. */
  public boolean isEmpty() {
    return pos >= end;
  }

  /** Returns the read position: an index into {@link #array()}. */
  public int mark() {
    return pos;
  }

  /** Consumes from {@code in} the bytes read since {@link #begin} or the last commit. */
  public void commit(ByteBuf in) {
    truncated = false;
    in.skipBytes(pos - committed);
    committed = pos;
  }

  /** Returns to the last commit (or the beginning), forgetting what was read since. */
  public void rollback() {
    pos = committed;
  }

  /**
   * Reads the next token and returns its type: {@link #LIST}, {@link #INT}, {@link #STRING},
   * {@link #FLOAT} or {@link #VOCAB}. A string's bytes are read with it.
   *
   * @throws Unsupported if the token is incomplete, invalid, too large or an integer beyond 63 bits
   */
  public int next() {
    byte[] b = buf;
    int start = pos;
    if (start + 1 < end) {
      // The common token: one prefix digit, then the type.
      byte digit = b[start];
      int type = b[start + 1];
      if (digit >= 0 && type < 0) {
        return token(b, start + 2, digit, type & 0xff);
      }
    }
    int p = start;
    int maxEnd = Math.min(end, start + prefixLimit);
    long v = 0;
    int shift = 0;
    while (true) {
      if (p >= maxEnd) {
        truncated |= p >= end;
        throw Unsupported.INSTANCE; // incomplete, or a prefix at the limit: the decoder decides
      }
      byte digit = b[p];
      if (digit < 0) {
        break;
      }
      if (shift > 56) {
        if (digit != 0) {
          throw Unsupported.INSTANCE;
        }
      } else {
        v |= (long) digit << shift;
      }
      shift += 7;
      p++;
    }
    int type = b[p++] & 0xff;
    return token(b, p, v, type);
  }

  /** Finishes a token whose header ends before {@code p}. */
  private int token(byte[] b, int p, long v, int type) {
    switch (type) {
      case BananaType.Code.LIST:
        if (v > sizeLimit) {
          throw Unsupported.INSTANCE;
        }
        value = v;
        pos = p;
        return LIST;
      case BananaType.Code.INT:
      case BananaType.Code.LONGINT:
        value = v;
        pos = p;
        return INT;
      case BananaType.Code.NEG:
      case BananaType.Code.LONGNEG:
        value = -v;
        pos = p;
        return INT;
      case BananaType.Code.STRING:
        if (v > sizeLimit || v > end - p) {
          truncated |= v <= sizeLimit;
          throw Unsupported.INSTANCE;
        }
        value = v;
        stringOffset = p;
        pos = p + (int) v;
        return STRING;
      case BananaType.Code.FLOAT: {
        if (end - p < 8) {
          truncated = true;
          throw Unsupported.INSTANCE;
        }
        doubleValue = Double.longBitsToDouble((long) BIG_ENDIAN_LONG.get(b, p));
        pos = p + 8;
        return FLOAT;
      }
      case BananaType.Code.VOCAB:
        if (dialect != Dialect.PB || Vocabulary.word(v) == null) {
          throw Unsupported.INSTANCE;
        }
        value = v;
        pos = p;
        return VOCAB;
      default:
        throw Unsupported.INSTANCE;
    }
  }

  /**
   * Skips {@code expected} if the window holds exactly these bytes next, and returns true; returns
   * false otherwise, reading nothing. For constant expressions such as an empty dict.
   */
  public boolean skipIf(byte[] expected) {
    int n = expected.length;
    int p = pos;
    if (end - p < n || !java.util.Arrays.equals(buf, p, p + n, expected, 0, n)) {
      return false;
    }
    pos = p + n;
    return true;
  }

  /** Reads a list header and returns its element count, or throws {@link Unsupported}. */
  public int nextList() {
    if (next() != LIST) {
      throw Unsupported.INSTANCE;
    }
    return (int) value;
  }

  /** The element count of the list header just read. */
  public int count() {
    return (int) value;
  }

  /** The integer just read. */
  public long longValue() {
    return value;
  }

  /** The integer just read, boxed as the decoder returns it: Integer when it fits, else Long. */
  public Object number() {
    long v = value;
    return v == (int) v ? (Object) (int) v : (Object) v;
  }

  /** The float just read. */
  public double doubleValue() {
    return doubleValue;
  }

  /** The length of the byte string just read. */
  public int stringLength() {
    return (int) value;
  }

  /** The word number of the vocabulary token just read. */
  public int vocabNumber() {
    return (int) value;
  }

  /** The vocabulary word just read. */
  public ByteString word() {
    return Objects.requireNonNull(Vocabulary.word(value));
  }

  /** The byte string just read, as the decoder would return it (shared instances for common words). */
  public ByteString byteString() {
    int length = (int) value;
    ByteString common = CommonWords.lookup(buf, stringOffset, length);
    if (common != null) {
      return common;
    }
    return ByteString.of(buf, stringOffset, length);
  }

  /**
   * The byte string just read, shared with earlier reads of the same short bytes: for names that
   * recur (method names), saving the copy and the hash.
   */
  public ByteString sharedByteString() {
    int length = (int) value;
    if (length > MAX_RECENT_LENGTH) {
      return byteString();
    }
    byte[] b = buf;
    int offset = stringOffset;
    int hash = length;
    for (int i = offset, n = offset + length; i < n; i++) {
      hash = 31 * hash + b[i];
    }
    ByteString[] recent = RECENT_BYTES.get();
    int slot = (hash ^ (hash >>> 7)) & (RECENT_SLOTS - 1);
    ByteString cached = recent[slot];
    if (cached != null && cached.size() == length && cached.contentEquals(b, offset, length)) {
      return cached;
    }
    ByteString bytes = byteString();
    recent[slot] = bytes;
    return bytes;
  }

  /**
   * Returns true if the token just read, of type {@code type}, is the byte string {@code word}
   * (as a string, or as a vocabulary token in the pb dialect).
   */
  public boolean is(int type, ByteString word) {
    if (type == STRING) {
      int length = (int) value;
      if (word.size() != length) {
        return false;
      }
      if (length > 16) {
        return word.contentEquals(buf, stringOffset, length);
      }
      // Tags are short: a plain loop beats the vectorised compare's set-up.
      byte[] b = buf;
      for (int i = 0, o = stringOffset; i < length; i++) {
        if (b[o + i] != word.byteAt(i)) {
          return false;
        }
      }
      return true;
    }
    if (type != VOCAB) {
      return false;
    }
    ByteString w = Vocabulary.word(value);
    return w == word || (w != null && w.hashCode() == word.hashCode() && w.equals(word));
  }

  /**
   * The byte string just read as text, decoded as strict UTF-8; throws {@link Unsupported} if it
   * is not valid UTF-8 (the caller's slow path reports the error).
   */
  public String utf8String() {
    int length = (int) value;
    byte[] b = buf;
    int offset = stringOffset;
    for (int i = offset, n = offset + length; i < n; i++) {
      if (b[i] < 0) {
        return strictUtf8(b, offset, length);
      }
    }
    return new String(b, offset, length, StandardCharsets.ISO_8859_1);
  }

  private String strictUtf8(byte[] b, int offset, int length) {
    CharsetDecoder d = utf8;
    if (d == null) {
      d = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      utf8 = d;
    }
    try {
      return d.reset().decode(ByteBuffer.wrap(b, offset, length)).toString();
    } catch (CharacterCodingException e) {
      throw Unsupported.INSTANCE;
    }
  }

  /** The backing array of the window; string bytes lie at {@link #stringOffset()}. */
  public byte[] array() {
    return buf;
  }

  /** The offset of the string just read in {@link #array()}. */
  public int stringOffset() {
    return stringOffset;
  }
}
