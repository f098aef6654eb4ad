package io.github.pb4j.banana.testing;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * Feeds bytes to a {@link BananaDecoder} chunk by chunk, accumulating them the way Netty's {@code
 * ByteToMessageDecoder} does, and records what comes out.
 *
 * <p><em>Thread-safe</em> (stateless).
 */
public final class ChunkedDecoding {
  private ChunkedDecoding() {}

  /** How arriving chunks are accumulated, after Netty's two cumulators. */
  public enum Cumulation {
    /** One growing heap buffer; read bytes are discarded now and then. */
    MERGE,
    /** A {@link CompositeByteBuf} of the chunks as they arrived. */
    COMPOSITE
  }

  /**
   * What feeding produced: the complete values in order, then either the exception that stopped
   * decoding or {@code null} if the decoder was waiting for more input.
   *
   * @param values the complete top-level values
   * @param error the exception that ended decoding, if any
   * @param unconsumed bytes fed but not consumed by the decoder at the end
   */
  public record Outcome(List<Object> values, @Nullable BananaException error, int unconsumed) {
    public Outcome {
      values = List.copyOf(values);
    }

    /** Returns the exception's message, or {@code null}; for comparing outcomes. */
    public @Nullable String errorMessage() {
      return error == null ? null : error.getMessage();
    }
  }

  /** Feeds {@code chunks} in order and returns what the decoder produced. */
  public static Outcome feed(BananaDecoder decoder, List<byte[]> chunks, Cumulation cumulation) {
    ByteBuf in = cumulation == Cumulation.MERGE ? Unpooled.buffer() : Unpooled.compositeBuffer();
    List<Object> values = new ArrayList<>();
    try {
      for (byte[] chunk : chunks) {
        append(in, chunk);
        Object value;
        while ((value = decoder.decode(in)) != null) {
          values.add(value);
        }
      }
      return new Outcome(values, null, in.readableBytes());
    } catch (BananaException e) {
      return new Outcome(values, e, in.readableBytes());
    } finally {
      in.release();
    }
  }

  /** Feeds {@code data} in one piece to a fresh decoder, in a plain heap buffer. */
  public static Outcome feedWhole(BananaDecoder decoder, byte[] data) {
    return feed(decoder, List.of(data), Cumulation.MERGE);
  }

  /** Returns {@code data} cut at the given offsets, which must be ascending. */
  public static List<byte[]> splitAt(byte[] data, int... offsets) {
    List<byte[]> chunks = new ArrayList<>();
    int from = 0;
    for (int offset : offsets) {
      chunks.add(Arrays.copyOfRange(data, from, offset));
      from = offset;
    }
    chunks.add(Arrays.copyOfRange(data, from, data.length));
    return chunks;
  }

  /** Returns {@code data} as one-byte chunks. */
  public static List<byte[]> bytewise(byte[] data) {
    List<byte[]> chunks = new ArrayList<>(data.length);
    for (byte b : data) {
      chunks.add(new byte[] {b});
    }
    return chunks;
  }

  /** Returns {@code data} cut at {@code count} distinct random offsets. */
  public static List<byte[]> randomSplit(byte[] data, int count, Random random) {
    int[] offsets =
        random
            .ints(0, data.length + 1)
            .distinct()
            .limit(Math.min(count, data.length + 1))
            .sorted()
            .toArray();
    return splitAt(data, offsets);
  }

  private static void append(ByteBuf in, byte[] chunk) {
    if (in instanceof CompositeByteBuf composite) {
      composite.discardReadComponents();
      composite.addComponent(true, Unpooled.wrappedBuffer(chunk));
    } else {
      in.discardSomeReadBytes();
      in.writeBytes(chunk);
    }
  }
}
