package io.github.pb4j.benchmarks;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaEncoder;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Banana layer alone, on the jellied {@link AnchorPayload}, that is the s-expression tree a PB
 * peer receives: {@code decode} turns the bytes into the tree, {@code encode} writes the tree back.
 * Subtracting these from {@link JellyBenchmark} gives the Jelly layer's share.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class BananaBenchmark {
  private final ByteBuf encoded = Unpooled.wrappedBuffer(AnchorPayload.encoded());
  private final BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT, Dialect.PB);
  private final BananaEncoder encoder = BananaEncoder.of(Dialect.PB);
  private final ByteBuf out = Unpooled.buffer(16 * 1024);
  private final Object tree = decode();

  @Setup
  public void checkRoundTrip() {
    if (!encode().equals(encoded.readerIndex(0))) {
      throw new IllegalStateException("banana re-encoding differs from the jellier's bytes");
    }
  }

  @TearDown
  public void tearDown() {
    encoded.release();
    out.release();
  }

  @Benchmark
  public Object decode() {
    return Objects.requireNonNull(decoder.decode(encoded.readerIndex(0)), "incomplete expression");
  }

  @Benchmark
  public ByteBuf encode() {
    ByteBuf buf = out.clear();
    encoder.encode(tree, buf);
    return buf;
  }
}
