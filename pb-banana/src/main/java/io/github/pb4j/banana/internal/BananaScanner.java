package io.github.pb4j.banana.internal;

import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.BananaType;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * Tells whether the first Banana expression of a buffer that grows is complete, without building
 * it: reads token headers, skips the bytes of strings and floats, counts the elements of open
 * lists, and resumes where it stopped when more bytes arrive, so an expression costs one pass
 * however many reads it spans. A connection uses it to wait for a message larger than one read
 * and then read it in one pass ({@link BananaReader}) instead of through the decoder's tree.
 *
 * <p>It gives up on anything the decoder should judge: an unknown type byte, a length over the
 * size limit, a prefix at the limit, nesting past the depth limit, a vocabulary number that names
 * no word, or an expression longer than {@code maxBytes}. It does not check a vocabulary word
 * against the dialect.
 *
 * <p>Between calls of {@link #scan} the buffer's reader index must stay where the expression
 * starts and bytes may only be appended; {@link #reset} before the next expression.
 *
 * <p><em>Not thread-safe.</em>
 */
public final class BananaScanner {
  /** What {@link #scan} found. */
  public enum Result {
    /** The first expression is whole in the buffer. */
    COMPLETE,
    /** More bytes are needed. */
    INCOMPLETE,
    /** The decoder should read it: invalid, at a limit, or longer than the scanner waits for. */
    GIVE_UP
  }

  private final int prefixLimit;
  private final int sizeLimit;
  private final int maxDepth;
  private final long maxBytes;

  /** Bytes of the expression scanned: always a token boundary (or past a string's bytes). */
  private long scanned;
  /** Elements still to come in each open list, outermost first. */
  private long[] remaining = new long[8];
  private int depth;
  /** True once the outermost token has been read entirely (its bytes may still be arriving). */
  private boolean closed;

  /** A scanner within {@code limits} that gives up past {@code maxBytes} bytes. */
  public BananaScanner(BananaLimits limits, long maxBytes) {
    this.prefixLimit = limits.prefixLimit();
    this.sizeLimit = limits.sizeLimit();
    this.maxDepth = limits.maxDepth();
    this.maxBytes = Math.min(maxBytes, limits.maxMessageBytes());
  }

  /** Forgets the expression scanned so far. */
  public void reset() {
    scanned = 0;
    depth = 0;
    closed = false;
  }

  /** Scans the readable bytes of {@code in} from where the last call stopped. */
  public Result scan(ByteBuf in) {
    int start = in.readerIndex();
    long available = in.readableBytes();
    long pos = scanned;
    while (true) {
      if (pos > maxBytes) {
        return Result.GIVE_UP; // COMPLETE always means at most maxBytes
      }
      if (pos > available) {
        scanned = pos;
        return Result.INCOMPLETE; // inside a string's or a float's bytes
      }
      if (closed) {
        scanned = pos;
        return Result.COMPLETE;
      }
      // A token header: base-128 prefix digits (low bit first), then the type byte.
      long value = 0;
      int digits = 0;
      long p = pos;
      int type;
      while (true) {
        if (p >= available) {
          scanned = pos; // the header again next time
          return Result.INCOMPLETE;
        }
        int b = in.getByte(start + (int) p) & 0xff;
        p++;
        if (b >= BananaType.Code.LIST) {
          type = b;
          break;
        }
        if (++digits > prefixLimit) {
          return Result.GIVE_UP; // the decoder says why
        }
        if (digits <= 9) {
          value |= (long) b << (7 * (digits - 1));
        } else if (b != 0) {
          value = Long.MAX_VALUE; // only integers get this long; sizes are checked below
        }
      }
      switch (type) {
        case BananaType.Code.LIST:
          if (value > sizeLimit) {
            return Result.GIVE_UP;
          }
          pos = p;
          if (value > 0) {
            if (depth >= maxDepth) {
              return Result.GIVE_UP;
            }
            if (depth == remaining.length) {
              remaining = Arrays.copyOf(remaining, depth * 2);
            }
            remaining[depth++] = value;
            continue;
          }
          break;
        case BananaType.Code.INT:
        case BananaType.Code.NEG:
        case BananaType.Code.LONGINT:
        case BananaType.Code.LONGNEG:
          pos = p;
          break;
        case BananaType.Code.VOCAB:
          if (value < 1 || value > Vocabulary.size()) {
            return Result.GIVE_UP; // the decoder refuses it: no use waiting for the rest
          }
          pos = p;
          break;
        case BananaType.Code.STRING:
          if (value > sizeLimit) {
            return Result.GIVE_UP;
          }
          pos = p + value;
          break;
        case BananaType.Code.FLOAT:
          pos = p + 8;
          break;
        default:
          return Result.GIVE_UP;
      }
      // One element done: close the lists it completes.
      while (depth > 0 && --remaining[depth - 1] == 0) {
        depth--;
      }
      if (depth == 0) {
        closed = true;
      }
    }
  }
}
