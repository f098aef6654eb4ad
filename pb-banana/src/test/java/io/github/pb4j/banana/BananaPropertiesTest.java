package io.github.pb4j.banana;

import io.github.pb4j.banana.internal.Vocabulary;
import io.github.pb4j.banana.internal.BananaScanner;
import static io.github.pb4j.banana.TestBytes.concat;
import static io.github.pb4j.banana.TestBytes.encode;
import static io.github.pb4j.banana.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.testing.Allocations;
import io.github.pb4j.banana.testing.ChunkedDecoding;
import io.github.pb4j.banana.testing.ChunkedDecoding.Cumulation;
import io.github.pb4j.banana.testing.ChunkedDecoding.Outcome;
import io.github.pb4j.banana.testing.PythonValues;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the codec over generated values and bytes. jqwik prints the seed of a failing run;
 * rerun it with {@code @Property(seed = "...")}.
 */
class BananaPropertiesTest {
  private static final BigInteger MAX_INTEGER =
      BigInteger.ONE.shiftLeft(448).subtract(BigInteger.ONE);
  private static final BigInteger TWO_31 = BigInteger.ONE.shiftLeft(31);

  /**
   * Small enough that random bytes hit every limit; see {@link #arbitraryBytesUnderSmallLimits}.
   */
  private static final BananaLimits SMALL_LIMITS = new BananaLimits(8, 64, 1024);

  @Property(tries = 500)
  void encodedValuesDecodeToThemselves(@ForAll("values") Object value, @ForAll Dialect dialect) {
    byte[] encoded = encode(dialect, value);
    assertThat(ChunkedDecoding.feedWhole(new BananaDecoder(BananaLimits.DEFAULT, dialect), encoded))
        .isEqualTo(new Outcome(List.of(decodedForm(value)), null, 0));
  }

  @Property(tries = 300)
  void integersUseTwistedsTokenAndMinimalPrefix(@ForAll("integers") Object value) {
    BigInteger v = bigInteger(decodedForm(value));
    byte[] encoded = encode(Dialect.NONE, value);
    int type = encoded[encoded.length - 1] & 0xff;
    int expectedType =
        v.signum() >= 0
            ? (v.compareTo(TWO_31) < 0 ? 0x81 : 0x85)
            : (v.compareTo(TWO_31.negate()) >= 0 ? 0x83 : 0x86);
    assertThat(type).isEqualTo(expectedType);
    assertThat(encoded.length - 1).isEqualTo(Math.max(1, (v.abs().bitLength() + 6) / 7));
  }

  @Property(tries = 300)
  void floatsEncodeAsTypeByteThenTheirExactBits(@ForAll("doubles") double value) {
    // As struct.pack('!d'): NaNs keep their sign and payload.
    assertThat(hex(encode(Dialect.PB, value)))
        .isEqualTo(String.format("84%016x", Double.doubleToRawLongBits(value)));
  }

  @Property(tries = 300)
  void everyFloatBitPatternGoesBackAsItCame(@ForAll long bits) {
    byte[] wire = concat(new byte[] {(byte) 0x84}, java.nio.ByteBuffer.allocate(8).putLong(bits).array());
    Object decoded = new BananaDecoder(BananaLimits.DEFAULT, Dialect.PB).decode(Unpooled.wrappedBuffer(wire));

    assertThat(encode(Dialect.PB, decoded)).isEqualTo(wire);
  }

  @Property(tries = 300)
  void theScannerFindsTheEndOfEachExpressionHoweverTheBytesArrive(
      @ForAll("values") Object first,
      @ForAll("values") Object second,
      @ForAll Dialect dialect,
      @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 100_000) Integer> cuts) {
    byte[] one = encode(dialect, first);
    byte[] two = encode(dialect, second);
    byte[] input = concat(one, two);
    int[] offsets = cuts.stream().mapToInt(c -> c % (input.length + 1)).sorted().toArray();
    BananaScanner scanner = new BananaScanner(BananaLimits.DEFAULT, Long.MAX_VALUE);
    ByteBuf buf = Unpooled.buffer();
    int fed = 0;
    boolean firstDone = false;
    for (int i = 0; i <= offsets.length; i++) {
      int to = i < offsets.length ? offsets[i] : input.length;
      buf.writeBytes(input, fed, to - fed);
      fed = to;
      if (!firstDone) {
        BananaScanner.Result r = scanner.scan(buf);
        assertThat(r).as("after %d of %d bytes", fed, one.length)
            .isEqualTo(fed >= one.length ? BananaScanner.Result.COMPLETE : BananaScanner.Result.INCOMPLETE);
        if (r == BananaScanner.Result.COMPLETE) {
          firstDone = true;
          buf.skipBytes(one.length);
          scanner.reset();
        }
      }
      if (firstDone) {
        assertThat(scanner.scan(buf))
            .isEqualTo(fed == input.length ? BananaScanner.Result.COMPLETE : BananaScanner.Result.INCOMPLETE);
      }
    }
    assertThat(firstDone).isTrue();
  }

  @Property(tries = 300)
  void anySplitOfTheInputDecodesTheSame(
      @ForAll("values") Object first,
      @ForAll("values") Object second,
      @ForAll Dialect dialect,
      @ForAll @Size(max = 12) List<@IntRange(min = 0, max = 100_000) Integer> cuts,
      @ForAll Cumulation cumulation) {
    byte[] input = concat(encode(dialect, first), encode(dialect, second));
    int[] offsets = cuts.stream().mapToInt(c -> c % (input.length + 1)).sorted().toArray();
    Outcome outcome =
        ChunkedDecoding.feed(
            new BananaDecoder(BananaLimits.DEFAULT, dialect),
            ChunkedDecoding.splitAt(input, offsets),
            cumulation);
    assertThat(outcome)
        .isEqualTo(new Outcome(List.of(decodedForm(first), decodedForm(second)), null, 0));
  }

  @Property(tries = 100)
  void byteByByteDecodesTheSame(@ForAll("values") Object value, @ForAll Dialect dialect) {
    byte[] input = encode(dialect, value);
    Outcome outcome =
        ChunkedDecoding.feed(
            new BananaDecoder(BananaLimits.DEFAULT, dialect),
            ChunkedDecoding.bytewise(input),
            Cumulation.COMPOSITE);
    assertThat(outcome).isEqualTo(new Outcome(List.of(decodedForm(value)), null, 0));
  }

  @Property(tries = 300)
  void arbitraryBytesYieldValuesOrBananaException(
      @ForAll @Size(max = 4096) byte[] input, @ForAll Dialect dialect) {
    // Twisted's limits: a claimed length of up to 655,360 must not be allocated before it arrives.
    assertOnlyValuesOrBananaException(input, new BananaDecoder(BananaLimits.DEFAULT, dialect));
  }

  @Property(tries = 300)
  void bananaLikeBytesYieldValuesOrBananaException(
      @ForAll("bananaLikeBytes") byte[] input, @ForAll Dialect dialect) {
    assertOnlyValuesOrBananaException(input, new BananaDecoder(BananaLimits.DEFAULT, dialect));
    assertCoversEveryOutcome();
  }

  @Property(tries = 300)
  void arbitraryBytesUnderSmallLimits(
      @ForAll("bananaLikeBytes") byte[] input, @ForAll Dialect dialect) {
    assertOnlyValuesOrBananaException(input, new BananaDecoder(SMALL_LIMITS, dialect));
    assertCoversEveryOutcome();
  }

  @Property(tries = 300)
  void corruptedEncodingsYieldValuesOrBananaException(
      @ForAll("values") Object value,
      @ForAll Dialect dialect,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 100_000) Integer> positions,
      @ForAll @Size(min = 4, max = 4) byte[] replacements) {
    byte[] input = encode(dialect, value);
    for (int i = 0; i < positions.size(); i++) {
      input[positions.get(i) % input.length] = replacements[i];
    }
    assertOnlyValuesOrBananaException(input, new BananaDecoder(BananaLimits.DEFAULT, dialect));
  }

  @Property(tries = 200)
  void arbitraryBytesDecodeTheSameInAnySplit(
      @ForAll("bananaLikeBytes") byte[] input,
      @ForAll Dialect dialect,
      @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 100_000) Integer> cuts) {
    // The same values, then the same error or the same wait, however the bytes arrive.
    Outcome whole = ChunkedDecoding.feedWhole(new BananaDecoder(SMALL_LIMITS, dialect), input);
    int[] offsets = cuts.stream().mapToInt(c -> c % (input.length + 1)).sorted().toArray();
    Outcome split =
        ChunkedDecoding.feed(
            new BananaDecoder(SMALL_LIMITS, dialect),
            ChunkedDecoding.splitAt(input, offsets),
            Cumulation.COMPOSITE);
    assertThat(split.values()).isEqualTo(whole.values());
    assertThat(split.errorMessage()).isEqualTo(whole.errorMessage());
  }

  /**
   * Decodes until the input is used up or rejected, asserting that nothing but a value, "need more"
   * or a {@link BananaException} comes out, and that memory use follows the input's size, not the
   * sizes it claims.
   */
  private static void assertOnlyValuesOrBananaException(byte[] input, BananaDecoder decoder) {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    try {
      String[] ending = {"waits for more"};
      int[] values = {0};
      long allocated =
          Allocations.allocatedBytes(
              () -> {
                try {
                  while (decoder.decode(in) != null) {
                    values[0]++;
                  }
                } catch (BananaException expected) {
                  // The one failure allowed; anything else fails the property.
                  ending[0] = "rejected";
                }
              });
      Statistics.label("values").collect(values[0] > 0 ? "some" : "none");
      Statistics.label("ending").collect(ending[0]);
      // Generous for the decoded objects themselves; far below one 655,360-byte or -slot
      // allocation made on a claim.
      assertThat(allocated).isLessThan(200L * input.length + 64 * 1024);
    } finally {
      in.release();
    }
  }

  /** Checks, at the end of a property, that the generated bytes reached every outcome. */
  private static void assertCoversEveryOutcome() {
    Statistics.label("values").coverage(check -> check.check("some").percentage(p -> p >= 10));
    Statistics.label("ending")
        .coverage(
            check -> {
              check.check("rejected").percentage(p -> p >= 10);
              check.check("waits for more").percentage(p -> p >= 10);
            });
  }

  /** Returns what the decoder gives back for {@code value}. */
  private static Object decodedForm(Object value) {
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof Byte
        || value instanceof Short
        || value instanceof Integer
        || value instanceof Long
        || value instanceof BigInteger) {
      return PythonValues.integer(bigInteger(value));
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    if (value instanceof byte[] bytes) {
      return ByteString.of(bytes);
    }
    if (value instanceof List<?> list) {
      List<Object> result = new ArrayList<>(list.size());
      for (Object element : list) {
        result.add(decodedForm(element));
      }
      return result;
    }
    return value;
  }

  private static BigInteger bigInteger(Object value) {
    return value instanceof BigInteger b ? b : BigInteger.valueOf(((Number) value).longValue());
  }

  @Provide
  Arbitrary<Object> values() {
    return Arbitraries.lazyOf(
        this::integers, this::doubles, this::byteStrings, this::byteStrings, this::lists);
  }

  private Arbitrary<Object> lists() {
    return values().list().ofMaxSize(5).map(list -> (Object) list);
  }

  @Provide
  Arbitrary<Object> integers() {
    Arbitrary<BigInteger> anyBitLength =
        Arbitraries.integers()
            .between(0, 448)
            .flatMap(
                bits ->
                    Arbitraries.bigIntegers()
                        .between(
                            BigInteger.ZERO,
                            BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE))
                        .withDistribution(RandomDistribution.uniform()));
    return Arbitraries.oneOf(
        Arbitraries.integers().map(i -> (Object) i),
        Arbitraries.longs().map(l -> (Object) l),
        Arbitraries.bigIntegers().between(MAX_INTEGER.negate(), MAX_INTEGER).map(b -> (Object) b),
        Arbitraries.oneOf(anyBitLength, anyBitLength.map(BigInteger::negate)).map(b -> (Object) b),
        Arbitraries.of(boundaryIntegers()),
        Arbitraries.oneOf(Arbitraries.shorts(), Arbitraries.bytes(), Arbitraries.of(true, false))
            .map(x -> (Object) x));
  }

  private static List<Object> boundaryIntegers() {
    List<Object> values =
        new ArrayList<>(
            List.of(
                0,
                1,
                -1,
                127,
                128,
                -128,
                Integer.MAX_VALUE,
                Integer.MIN_VALUE,
                1L << 31,
                -(1L << 31) - 1,
                Long.MAX_VALUE,
                Long.MIN_VALUE));
    values.addAll(
        List.of(
            BigInteger.ONE.shiftLeft(63),
            BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE),
            MAX_INTEGER,
            MAX_INTEGER.negate()));
    return values;
  }

  @Provide
  Arbitrary<Object> doubles() {
    return Arbitraries.oneOf(
        Arbitraries.doubles().withStandardSpecialValues().map(d -> (Object) d),
        // Every bit pattern, NaN payloads and subnormals included.
        Arbitraries.longs().map(bits -> (Object) Double.longBitsToDouble(bits)),
        Arbitraries.of(
                -0.0,
                0.0,
                Double.NaN,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE,
                Double.MAX_VALUE,
                -Double.MIN_NORMAL)
            .map(d -> (Object) d),
        Arbitraries.floats().withStandardSpecialValues().map(f -> (Object) f));
  }

  private Arbitrary<Object> byteStrings() {
    Arbitrary<ByteString> words =
        Arbitraries.integers().between(1, Vocabulary.size()).map(Vocabulary::word);
    Arbitrary<ByteString> nearWords =
        words.flatMap(
            word ->
                Arbitraries.of(
                    ByteString.ascii(word.toStringUtf8().toUpperCase(java.util.Locale.ROOT)),
                    ByteString.ascii(word.toStringUtf8() + " "),
                    ByteString.of(word.toByteArray(), 0, word.size() - 1)));
    return Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b -> (Object) ByteString.of(b)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> (Object) b),
        words.map(w -> (Object) w),
        words.map(w -> (Object) w.toByteArray()),
        nearWords.map(w -> (Object) w));
  }

  /** Bytes drawn mostly from small prefix digits and type bytes, so that tokens form. */
  @Provide
  Arbitrary<byte[]> bananaLikeBytes() {
    Arbitrary<Byte> b =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.bytes().between((byte) 0, (byte) 5)),
            Tuple.of(1, Arbitraries.bytes().between((byte) 0, (byte) 0x7f)),
            Tuple.of(
                5,
                Arbitraries.of(
                    (byte) 0x80,
                    (byte) 0x81,
                    (byte) 0x82,
                    (byte) 0x83,
                    (byte) 0x84,
                    (byte) 0x85,
                    (byte) 0x86,
                    (byte) 0x87)),
            Tuple.of(1, Arbitraries.bytes()));
    return b.list()
        .ofMaxSize(2048)
        .map(
            list -> {
              byte[] bytes = new byte[list.size()];
              for (int i = 0; i < bytes.length; i++) {
                bytes[i] = list.get(i);
              }
              return bytes;
            });
  }
}
