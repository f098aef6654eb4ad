package io.github.pb4j.banana;

/**
 * Limits a {@link BananaDecoder} enforces and a {@link BananaEncoder} respects.
 *
 * <p>Twisted's limits are the defaults: 64 prefix bytes per token (integers up to 2**448 - 1) and
 * 655,360 (640 KiB) for a string length or list count, and, as in Twisted, no bound on the size of
 * a whole expression: a call may carry many strings of 640 KiB. What a connection may buffer is
 * bounded instead by its broker's input budget ({@code BrokerOptions.maxInputPerConnection}), which
 * counts every byte held whatever the message. {@link #withMaxMessageBytes} adds a bound per
 * expression for those who want one. pb4j also bounds the nesting depth of lists (default 4096):
 * Twisted's decoder accepts any depth, but its encoder recurses and cannot send deeper than about
 * 1000 levels. Every length read from the wire is checked before anything is allocated for it.
 *
 * <p><em>Immutable.</em>
 *
 * @param prefixLimit the most prefix bytes a token may have (Twisted: 64)
 * @param sizeLimit the longest string and the largest list count (Twisted: 655,360)
 * @param maxMessageBytes the largest top-level expression in bytes; {@link #NO_MESSAGE_LIMIT} for
 *     none
 * @param maxDepth the deepest nesting of lists in one expression
 */
public record BananaLimits(int prefixLimit, int sizeLimit, long maxMessageBytes, int maxDepth) {
  /** Twisted's prefix limit. */
  public static final int DEFAULT_PREFIX_LIMIT = 64;

  /** Twisted's {@code SIZE_LIMIT}, 640 KiB. */
  public static final int DEFAULT_SIZE_LIMIT = 640 * 1024;

  /** A {@code maxMessageBytes} that bounds nothing. */
  public static final long NO_MESSAGE_LIMIT = Long.MAX_VALUE;

  /** The default bound on one top-level expression: none, as in Twisted. */
  public static final long DEFAULT_MAX_MESSAGE_BYTES = NO_MESSAGE_LIMIT;

  /** The default bound on list nesting, 4096 (Python's jelly gives up near 1000). */
  public static final int DEFAULT_MAX_DEPTH = 4096;

  /** Twisted's limits plus pb4j's default depth bound. */
  public static final BananaLimits DEFAULT =
      new BananaLimits(DEFAULT_PREFIX_LIMIT, DEFAULT_SIZE_LIMIT, DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_DEPTH);

  /** Creates limits with the default nesting depth. */
  public BananaLimits(int prefixLimit, int sizeLimit, long maxMessageBytes) {
    this(prefixLimit, sizeLimit, maxMessageBytes, DEFAULT_MAX_DEPTH);
  }

  public BananaLimits {
    if (prefixLimit < 1 || prefixLimit > 1024) {
      throw new IllegalArgumentException("prefixLimit: " + prefixLimit + " (expected: 1..1024)");
    }
    if (sizeLimit < 0) {
      throw new IllegalArgumentException("sizeLimit: " + sizeLimit + " (expected: >= 0)");
    }
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth: " + maxDepth + " (expected: >= 1)");
    }
    if (maxMessageBytes < 1) {
      throw new IllegalArgumentException("maxMessageBytes: " + maxMessageBytes + " (expected: >= 1)");
    }
  }

  /** Returns a copy with another size limit. */
  public BananaLimits withSizeLimit(int sizeLimit) {
    return new BananaLimits(prefixLimit, sizeLimit, maxMessageBytes, maxDepth);
  }

  /** Returns a copy with another prefix limit. */
  public BananaLimits withPrefixLimit(int prefixLimit) {
    return new BananaLimits(prefixLimit, sizeLimit, maxMessageBytes, maxDepth);
  }

  /** Returns a copy with another bound on list nesting. */
  public BananaLimits withMaxDepth(int maxDepth) {
    return new BananaLimits(prefixLimit, sizeLimit, maxMessageBytes, maxDepth);
  }

  /** Returns a copy with another bound on one top-level expression. */
  public BananaLimits withMaxMessageBytes(long maxMessageBytes) {
    return new BananaLimits(prefixLimit, sizeLimit, maxMessageBytes, maxDepth);
  }
}
