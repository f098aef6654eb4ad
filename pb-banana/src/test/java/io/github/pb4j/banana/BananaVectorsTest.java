package io.github.pb4j.banana;

import static io.github.pb4j.banana.TestBytes.bytes;
import static io.github.pb4j.banana.TestBytes.concat;
import static io.github.pb4j.banana.TestBytes.encode;
import static io.github.pb4j.banana.TestBytes.hex;
import static io.github.pb4j.banana.TestBytes.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.github.pb4j.banana.testing.BananaVector;
import io.github.pb4j.banana.testing.ChunkedDecoding;
import io.github.pb4j.banana.testing.ChunkedDecoding.Cumulation;
import io.github.pb4j.banana.testing.ChunkedDecoding.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every record of {@code banana.json}, the vectors produced by Twisted 22.4.0, one case per
 * record. Every valid input is also decoded whole, byte by byte and split at every point.
 */
class BananaVectorsTest {
  private static final Set<String> KINDS =
      Set.of("encode", "decode", "reject", "incomplete", "encode_error", "large");

  @Test
  void everyRecordHasAKindThisTestRuns() {
    assertThat(BananaVector.all()).hasSizeGreaterThan(100);
    assertThat(BananaVector.all().stream().map(BananaVector::kind).collect(Collectors.toSet()))
        .isEqualTo(KINDS);
    assertThat(BananaVector.all().stream().map(BananaVector::name).distinct())
        .hasSameSizeAs(BananaVector.all());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodeVectors")
  void encodesAndDecodesLikeTwisted(BananaVector vector) {
    Object value = vector.pythonValue();
    Object expected = vector.decodedValue();
    for (Dialect dialect : Dialect.values()) {
      byte[] twisted = vector.bytes(dialect);
      assertThat(hex(encode(dialect, value))).as("%s dialect", dialect).isEqualTo(hex(twisted));
      assertDecodesInEverySplit(twisted, dialect, expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decodeVectors")
  void decodesLikeTwisted(BananaVector vector) {
    assertDecodesInEverySplit(vector.bytes(), vector.decoderDialect(), vector.decodedValue());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejectVectors")
  void rejectsLikeTwisted(BananaVector vector) {
    byte[] input = vector.bytes();
    BananaDecoder decoder = decoder(vector.decoderDialect());
    Outcome whole = ChunkedDecoding.feedWhole(decoder, input);

    assertThat(whole.values()).isEmpty();
    assertThat(whole.error()).as("rejected").isNotNull();
    assertThat(whole.errorMessage()).contains(expectedRejection(vector, input));
    for (int split = 0; split <= input.length; split++) {
      Outcome outcome =
          ChunkedDecoding.feed(
              decoder(vector.decoderDialect()),
              ChunkedDecoding.splitAt(input, split),
              Cumulation.MERGE);
      assertThat(outcome.values()).as("split at %d", split).isEmpty();
      assertThat(outcome.errorMessage()).as("split at %d", split).isEqualTo(whole.errorMessage());
    }
    Outcome bytewise =
        ChunkedDecoding.feed(
            decoder(vector.decoderDialect()),
            ChunkedDecoding.bytewise(input),
            Cumulation.COMPOSITE);
    assertThat(bytewise.errorMessage()).as("byte by byte").isEqualTo(whole.errorMessage());
    // The decoder is usable again once the offending bytes are dropped.
    assertThat(ChunkedDecoding.feedWhole(decoder, bytes("2a81")).values()).containsExactly(42);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("incompleteVectors")
  void waitsForMoreInputLikeTwisted(BananaVector vector) {
    byte[] input = vector.bytes();
    Completion completion = completionOf(vector.name());
    for (List<byte[]> chunks : List.of(List.of(input), ChunkedDecoding.bytewise(input))) {
      BananaDecoder decoder = decoder(vector.decoderDialect());
      Outcome partial = ChunkedDecoding.feed(decoder, chunks, Cumulation.MERGE);
      assertThat(partial.values()).isEmpty();
      assertThat(partial.error()).isNull();

      // Nothing fed so far may have been lost or consumed beyond a token boundary: the rest of the
      // value completes it.
      List<byte[]> all = new ArrayList<>(chunks);
      all.add(completion.rest());
      Outcome completed =
          ChunkedDecoding.feed(decoder(vector.decoderDialect()), all, Cumulation.COMPOSITE);
      assertThat(completed.error()).isNull();
      assertThat(completed.values()).hasSize(1);
      assertThat(completed.values().get(0).equals(completion.value()))
          .as("completed value equals the expected value")
          .isTrue();
      assertThat(completed.unconsumed()).isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("encodeErrorVectors")
  void refusesToEncodeLikeTwisted(BananaVector vector) {
    Object value = vector.pythonValue();
    for (Dialect dialect : Dialect.values()) {
      ByteBuf out = Unpooled.buffer().writeBytes(bytes("cafe"));
      try {
        assertThatThrownBy(() -> BananaEncoder.of(dialect).encode(value, out))
            .as("%s dialect", dialect)
            .isInstanceOf(BananaException.class)
            .hasMessageContaining(expectedEncodeError(vector));
        assertThat(out.writerIndex()).isEqualTo(2);
        assertThat(ByteBufUtil.hexDump(out)).isEqualTo("cafe");
      } finally {
        out.release();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("largeVectors")
  void encodesAndDecodesLargeValueLikeTwisted(BananaVector vector) throws Exception {
    Object value = vector.generatedValue();
    Dialect dialect = vector.decoderDialect();
    byte[] encoded = encode(dialect, value);

    assertThat(encoded.length).isEqualTo(vector.totalLength());
    assertThat(hex(encoded)).startsWith(vector.hexHead());
    assertThat(hex(MessageDigest.getInstance("SHA-256").digest(encoded)))
        .isEqualTo(vector.sha256());

    Random random = new Random(vector.name().hashCode());
    List<List<byte[]>> feeds =
        List.of(
            List.of(encoded),
            ChunkedDecoding.randomSplit(encoded, 3, random),
            ChunkedDecoding.randomSplit(encoded, 50, random));
    for (List<byte[]> chunks : feeds) {
      for (Cumulation cumulation : Cumulation.values()) {
        Outcome outcome = ChunkedDecoding.feed(decoder(dialect), chunks, cumulation);
        assertThat(outcome.error()).isNull();
        assertThat(outcome.values()).hasSize(1);
        // Not isEqualTo: a failure would print a 655,360-element value.
        assertThat(outcome.values().get(0).equals(value))
            .as(
                "%d chunks, %s: decoded value equals the generated value",
                chunks.size(), cumulation)
            .isTrue();
      }
    }
  }

  /**
   * Asserts that {@code input} decodes to exactly {@code expected} whether fed whole, byte by byte
   * or in two pieces split at any point, and that a second copy right after it decodes again.
   */
  static void assertDecodesInEverySplit(byte[] input, Dialect dialect, Object expected) {
    assertThat(ChunkedDecoding.feedWhole(decoder(dialect), input))
        .as("whole")
        .isEqualTo(new Outcome(List.of(expected), null, 0));
    assertThat(
            ChunkedDecoding.feed(
                decoder(dialect), ChunkedDecoding.bytewise(input), Cumulation.COMPOSITE))
        .as("byte by byte")
        .isEqualTo(new Outcome(List.of(expected), null, 0));
    byte[] twice = concat(input, input);
    for (int split = 0; split <= twice.length; split++) {
      Cumulation cumulation = Cumulation.values()[split % 2];
      assertThat(
              ChunkedDecoding.feed(
                  decoder(dialect), ChunkedDecoding.splitAt(twice, split), cumulation))
          .as("twice, split at %d (%s)", split, cumulation)
          .isEqualTo(new Outcome(List.of(expected, expected), null, 0));
    }
  }

  private static BananaDecoder decoder(Dialect dialect) {
    return new BananaDecoder(BananaLimits.DEFAULT, dialect);
  }

  /** What our message must say, given what Twisted said. */
  private static String expectedRejection(BananaVector vector, byte[] input) {
    String twisted = String.valueOf(vector.errorMessage());
    if (twisted.contains("prefix")) {
      return "prefix";
    }
    if (twisted.contains("List too long")) {
      return "list length";
    }
    if (twisted.contains("String too long")) {
      return "string length";
    }
    if (twisted.startsWith("Invalid Type Byte")) {
      return String.format("type byte: 0x%02x", input[input.length - 1]);
    }
    if ("KeyError".equals(vector.error())) {
      return "vocabulary number: " + twisted;
    }
    if (twisted.startsWith("Invalid item for pb protocol")) {
      return "vocabulary token";
    }
    return fail("no expectation for Twisted's error: " + twisted);
  }

  private static String expectedEncodeError(BananaVector vector) {
    String twisted = String.valueOf(vector.errorMessage());
    if (twisted.startsWith("int is too large")) {
      return "integer";
    }
    if (twisted.startsWith("byte string is too long")) {
      return "string length: 655361";
    }
    if (twisted.startsWith("list/tuple is too long")) {
      return "list length: 655361";
    }
    if (twisted.contains("cannot send")) {
      return "cannot send";
    }
    return fail("no expectation for Twisted's error: " + twisted);
  }

  /** The bytes that complete an incomplete vector, and the value they complete. */
  private record Completion(byte[] rest, Object value) {}

  private static Completion completionOf(String name) {
    switch (name) {
      case "prefix_64_digits_no_type_yet":
        // 64 digits of 1: sum of 128**i for i < 64.
        return new Completion(
            bytes("81"),
            BigInteger.ONE.shiftLeft(448).subtract(BigInteger.ONE).divide(BigInteger.valueOf(127)));
      case "list_count_at_limit":
        return new Completion(repeat("0081", 655360), Collections.nCopies(655360, 0));
      case "string_len_at_limit":
        return new Completion(
            repeat("7a", 655357), ByteString.fromHex("616263" + "7a".repeat(655357)));
      case "float_short":
        return new Completion(bytes("0000000001"), Double.MIN_VALUE);
      case "string_short":
        return new Completion(bytes("6465"), ByteString.ascii("abcde"));
      case "list_short":
        return new Completion(bytes("0281"), List.of(1, 2));
      default:
        return fail("no completion for incomplete vector " + name + "; add one here");
    }
  }

  static Stream<Named<BananaVector>> encodeVectors() {
    return named("encode");
  }

  static Stream<Named<BananaVector>> decodeVectors() {
    return named("decode");
  }

  static Stream<Named<BananaVector>> rejectVectors() {
    return named("reject");
  }

  static Stream<Named<BananaVector>> incompleteVectors() {
    return named("incomplete");
  }

  static Stream<Named<BananaVector>> encodeErrorVectors() {
    return named("encode_error");
  }

  static Stream<Named<BananaVector>> largeVectors() {
    return named("large");
  }

  private static Stream<Named<BananaVector>> named(String kind) {
    return BananaVector.ofKind(kind).stream().map(v -> Named.of(v.name(), v));
  }
}
