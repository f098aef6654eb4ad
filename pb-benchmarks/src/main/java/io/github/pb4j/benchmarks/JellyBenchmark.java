package io.github.pb4j.benchmarks;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.internal.BananaReader;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.Jellier;
import io.github.pb4j.jelly.internal.JellyReader;
import io.github.pb4j.jelly.JellyRegistry;
import io.github.pb4j.jelly.Unjellier;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Banana + Jelly, both directions, on the {@link AnchorPayload} in the pb dialect: what one PB call
 * or answer carrying that value costs on each side, minus the broker and the socket.
 *
 * <ul>
 *   <li>{@code encode}: one {@link Jellier#jelly} call into a cleared buffer. The jellier is made
 *       once, as each connection makes one.
 *   <li>{@code encodeWithNewJellier}: the same with a new jellier per call, to show its set-up
 *       cost.
 *   <li>{@code decode}: what a connection does: {@link JellyReader#read} in one pass from the
 *       prebuilt bytes (reader index reset each time), falling back to the tree path for values
 *       it does not handle (the anchor payload never does).
 *   <li>{@code decodeTree}: the general path, {@link BananaDecoder#decode} then {@link
 *       Unjellier#unjelly}.
 *   <li>{@code echo}: what an echo server does with the payload: {@code decode}, then {@code
 *       encode} of the value just read (fresh objects, whose identity hashes the jellier's
 *       reference tracking computes for the first time).
 * </ul>
 *
 * <p>Targets on the reference machine (2 cores): decode &le; 30 &micro;s, encode &le; 20 &micro;s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class JellyBenchmark {
  private final List<Map<String, Object>> payload = AnchorPayload.create();
  private final Jellier jellier =
      new Jellier(BananaEncoder.of(Dialect.PB), JellyRegistry.EMPTY, null);
  private final ByteBuf encoded = Unpooled.wrappedBuffer(AnchorPayload.encoded());
  private final BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT, Dialect.PB);
  private final Unjellier unjellier = new Unjellier(JellyRegistry.EMPTY, null);
  private final BananaReader bananaReader = new BananaReader(BananaLimits.DEFAULT, Dialect.PB);
  private final JellyReader reader = new JellyReader(bananaReader, Jellier.DEFAULT_MAX_DEPTH);

  /**
   * The buffer encode writes into: {@code heap}, an unpooled heap buffer (what the broker encodes
   * calls and answers into, before one copy into the channel's buffer), or {@code direct}, a
   * {@link PooledByteBufAllocator} direct buffer (an application jellying straight into one).
   */
  @State(Scope.Thread)
  public static class Output {
    @Param({"heap", "direct"})
    public String buffer = "heap";

    ByteBuf buf = Unpooled.EMPTY_BUFFER;

    @Setup
    public void setUp() {
      buf =
          buffer.equals("direct")
              ? PooledByteBufAllocator.DEFAULT.directBuffer(16 * 1024)
              : Unpooled.buffer(16 * 1024);
    }

    @TearDown
    public void tearDown() {
      buf.release();
    }
  }

  @Setup
  public void checkRoundTrip() {
    if (!payload.equals(decode()) || !payload.equals(decodeTree())) {
      throw new IllegalStateException("anchor payload does not survive a round trip");
    }
  }

  @TearDown
  public void tearDown() {
    encoded.release();
  }

  @Benchmark
  public ByteBuf encode(Output output) {
    ByteBuf buf = output.buf.clear();
    jellier.jelly(payload, buf);
    return buf;
  }

  @Benchmark
  public ByteBuf encodeWithNewJellier(Output output) {
    ByteBuf buf = output.buf.clear();
    new Jellier(BananaEncoder.of(Dialect.PB), JellyRegistry.EMPTY, null).jelly(payload, buf);
    return buf;
  }

  /** An echo: the payload read from its bytes, then jellied again into a cleared buffer. */
  @Benchmark
  public ByteBuf echo(Output output) {
    ByteBuf buf = output.buf.clear();
    jellier.jelly(decode(), buf);
    return buf;
  }

  /** What a connection does with a message: the one-pass reader, the tree path if it declines. */
  @Benchmark
  public @Nullable Object decode() {
    ByteBuf in = encoded.readerIndex(0);
    bananaReader.begin(in);
    try {
      Object value = reader.read();
      bananaReader.commit(in);
      return value;
    } catch (BananaReader.Unsupported e) {
      bananaReader.rollback();
      return decodeTree();
    }
  }

  /** The general path: the Banana tree, then the unjellier walking it. */
  @Benchmark
  public @Nullable Object decodeTree() {
    Object sexp =
        Objects.requireNonNull(decoder.decode(encoded.readerIndex(0)), "incomplete expression");
    return unjellier.unjelly(sexp);
  }
}
