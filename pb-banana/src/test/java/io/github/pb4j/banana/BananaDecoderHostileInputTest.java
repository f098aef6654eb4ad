package io.github.pb4j.banana;

import io.github.pb4j.banana.internal.Vocabulary;
import static io.github.pb4j.banana.TestBytes.bytes;
import static io.github.pb4j.banana.TestBytes.concat;
import static io.github.pb4j.banana.TestBytes.repeat;
import static io.github.pb4j.banana.testing.Allocations.allocatedBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.testing.ChunkedDecoding;
import io.github.pb4j.banana.testing.ChunkedDecoding.Cumulation;
import io.github.pb4j.banana.testing.ChunkedDecoding.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One test per attack a hostile peer can make on the decoder. */
class BananaDecoderHostileInputTest {
  private static final int SIZE_LIMIT = BananaLimits.DEFAULT_SIZE_LIMIT;

  @Test
  void rejectsHugeStringLengthPrefix() {
    // 64 digits of 0x7f: 2**448 - 1, far beyond a long.
    assertRejected(
        concat(repeat("7f", 64), bytes("82")),
        "string length: "
            + BigInteger.ONE.shiftLeft(448).subtract(BigInteger.ONE)
            + " (expected: <= 655360)");
    assertRejected(bytes("7f7f7f7f7f7f7f7f7f7f 82"), "string length: 1180591620717411303423");
    assertRejected(bytes("020101010182"), "string length: 270549122 (expected: <= 655360)");
  }

  @Test
  void rejectsHugeListCountPrefix() {
    assertRejected(concat(repeat("7f", 64), bytes("80")), "list length: ", "(expected: <= 655360)");
    assertRejected(bytes("020101010180"), "list length: 270549122 (expected: <= 655360)");
  }

  @Test
  void rejectsSixtyFivePrefixBytesBeforeTypeByte() {
    assertRejected(concat(repeat("01", 65), bytes("81")), "prefix");
    assertRejected(concat(repeat("00", 65), bytes("84 3ff0000000000000")), "prefix");
  }

  @Test
  void rejectsSixtyFivePrefixBytesBeforeTypeByteArrives() {
    assertRejected(repeat("01", 65), "prefix");
    // Byte by byte, it fails on the 65th byte, not later.
    BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT);
    ByteBuf in = Unpooled.buffer();
    try {
      for (int i = 0; i < 64; i++) {
        assertThat(decoder.decode(in.writeByte(0x01))).isNull();
      }
      assertThatThrownBy(() -> decoder.decode(in.writeByte(0x01)))
          .isInstanceOf(BananaException.class)
          .hasMessageContaining("prefix");
    } finally {
      in.release();
    }
  }

  @Test
  void acceptsExactlySixtyFourPrefixBytes() {
    assertThat(decodeWhole(concat(repeat("00", 63), bytes("01 81"))))
        .isEqualTo(BigInteger.ONE.shiftLeft(7 * 63));
    assertThat(ChunkedDecoding.feedWhole(new BananaDecoder(BananaLimits.DEFAULT), repeat("01", 64)))
        .isEqualTo(new Outcome(List.of(), null, 64));
  }

  @Test
  void rejectsListCountOverSizeLimit() {
    assertRejected(bytes("01002880"), "list length: 655361 (expected: <= 655360)");
    // At the limit the header is accepted and the decoder waits for the elements.
    assertThat(
            ChunkedDecoding.feedWhole(new BananaDecoder(BananaLimits.DEFAULT), bytes("00002880")))
        .isEqualTo(new Outcome(List.of(), null, 0));
  }

  @Test
  void rejectsStringOverSizeLimitBeforePayloadArrives() {
    // Four bytes: the header alone is enough to refuse.
    assertRejected(bytes("01002882"), "string length: 655361 (expected: <= 655360)");
  }

  @Test
  void stringAtSizeLimitAllocatesNothingUntilPayloadArrives() {
    BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT);
    ByteBuf in = Unpooled.buffer().writeBytes(bytes("00002882"));
    try {
      int[] values = {0};
      long allocated =
          allocatedBytes(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  values[0] += decoder.decode(in.writeByte('z')) == null ? 0 : 1;
                }
              });
      assertThat(values[0]).isZero();
      assertThat(allocated)
          .as("bytes allocated while 1000 payload bytes trickle in")
          .isLessThan(SIZE_LIMIT);
      assertThat(in.readerIndex())
          .as("header stays unconsumed until the payload is whole")
          .isZero();
    } finally {
      in.release();
    }
  }

  @Test
  void rejectsUnknownTypeBytes() {
    for (int type = 0x88; type <= 0xff; type++) {
      String hex = String.format("%02x", type);
      assertRejected(bytes(hex), "invalid type byte: 0x" + hex + " (expected: 0x80..0x87)");
      assertRejected(bytes("05" + hex), "invalid type byte: 0x" + hex);
      assertRejected(concat(repeat("7f", 64), bytes(hex)), "invalid type byte: 0x" + hex);
    }
  }

  @Test
  void rejectsVocabInNoneDialect() {
    for (int number = 1; number <= Vocabulary.size(); number++) {
      assertRejected(
          bytes(String.format("%02x87", number)),
          Dialect.NONE,
          "vocabulary token " + Vocabulary.word(number).toPythonRepr() + " in the none dialect");
    }
  }

  @Test
  void rejectsUnknownVocabNumber() {
    for (Dialect dialect : Dialect.values()) {
      // As in Twisted, an unknown number fails as unknown in either dialect.
      assertRejected(bytes("0087"), dialect, "vocabulary number: 0 (expected: 1..31)");
      assertRejected(bytes("87"), dialect, "vocabulary number: 0");
      assertRejected(bytes("2087"), dialect, "vocabulary number: 32");
      assertRejected(bytes("7a87"), dialect, "vocabulary number: 122");
      assertRejected(concat(repeat("7f", 64), bytes("87")), dialect, "vocabulary number: 7268");
    }
  }

  @Test
  void rejectsMessageOverMaxMessageBytesAsSoonAsHeaderShowsIt() {
    BananaLimits limits = BananaLimits.DEFAULT.withMaxMessageBytes(100);
    // A 200-byte string: three header bytes are enough to refuse it.
    assertThatThrownBy(() -> decodeWhole(new BananaDecoder(limits), bytes("480182")))
        .isInstanceOf(BananaException.class)
        .hasMessage("expression size: 203 bytes (expected: <= 100)");
    // The same string nested in a list counts the list header too.
    assertThatThrownBy(() -> decodeWhole(new BananaDecoder(limits), bytes("0180 600082")))
        .isInstanceOf(BananaException.class)
        .hasMessage("expression size: 101 bytes (expected: <= 100)");
    // 100 bytes exactly is allowed: header 2 + 98 payload.
    assertThat(decodeWhole(new BananaDecoder(limits), concat(bytes("6282"), repeat("78", 98))))
        .isEqualTo(ByteString.fromHex("78".repeat(98)));
  }

  @Test
  void rejectsMessageOfManySmallTokensOverMaxMessageBytes() {
    BananaLimits limits = BananaLimits.DEFAULT.withMaxMessageBytes(100);
    // [0] * 49 is 2 + 98 = 100 bytes; [0] * 50 is 102 and fails on its last token.
    assertThat(decodeWhole(new BananaDecoder(limits), concat(bytes("3180"), repeat("0081", 49))))
        .isEqualTo(Collections.nCopies(49, 0));
    BananaDecoder decoder = new BananaDecoder(limits);
    byte[] tooLong = concat(bytes("3280"), repeat("0081", 50));
    Outcome partial = ChunkedDecoding.feedWhole(decoder, Arrays.copyOf(tooLong, 101));
    assertThat(partial.error()).isNull();
    assertThatThrownBy(() -> decodeWhole(new BananaDecoder(limits), tooLong))
        .isInstanceOf(BananaException.class)
        .hasMessage("expression size: 102 bytes (expected: <= 100)");
  }

  @Test
  void countsMaxMessageBytesPerTopLevelExpression() {
    BananaLimits limits = BananaLimits.DEFAULT.withMaxMessageBytes(100);
    byte[] hundred = concat(bytes("3180"), repeat("0081", 49));
    Outcome outcome =
        ChunkedDecoding.feedWhole(new BananaDecoder(limits), concat(hundred, hundred, hundred));
    assertThat(outcome.error()).isNull();
    assertThat(outcome.values()).hasSize(3);
  }

  @Test
  void resetsAfterErrorSoNextValidInputDecodes() {
    BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT);
    // A list is half done when the bad byte arrives.
    Outcome bad = ChunkedDecoding.feedWhole(decoder, bytes("0280 0181 0188"));
    assertThat(bad.errorMessage()).contains("type byte");
    assertThat(decoder.isInsideExpression()).isFalse();
    // Fresh input decodes on its own: 5, not [1, 5].
    assertThat(ChunkedDecoding.feedWhole(decoder, bytes("0581")).values()).containsExactly(5);

    BananaDecoder limited = new BananaDecoder(BananaLimits.DEFAULT.withMaxMessageBytes(10));
    assertThat(
            ChunkedDecoding.feedWhole(limited, bytes("0280 0582 6162636465 0582 6162636465"))
                .error())
        .isNotNull();
    // The byte count of the failed expression is forgotten too.
    assertThat(ChunkedDecoding.feedWhole(limited, bytes("0180 0582 6162636465")).values())
        .containsExactly(List.of(ByteString.ascii("abcde")));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void listClaimingMaxElementsDoesNotAllocateForThem() {
    // Ten bytes claiming 655,360 elements, three of which arrive.
    byte[] claim = concat(bytes("00002880"), repeat("0081", 3));
    assertThat(claim).hasSize(10);
    long first =
        allocatedBytes(
            () -> new BananaDecoder(BananaLimits.DEFAULT).decode(Unpooled.wrappedBuffer(claim)));
    assertThat(first).as("bytes allocated for one 10-byte claim").isLessThan(4096);
    // Keep every decoder alive: had each reserved room for 655,360 elements (2.5 MiB), 10,000 of
    // them would not fit in the heap.
    List<BananaDecoder> decoders = new ArrayList<>(10_000);
    int[] unexpected = {0};
    long allocated =
        allocatedBytes(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT);
                ByteBuf in = Unpooled.wrappedBuffer(claim);
                boolean waits = decoder.decode(in) == null && !in.isReadable();
                in.release();
                unexpected[0] += waits && decoder.isInsideExpression() ? 0 : 1;
                decoders.add(decoder);
              }
            });
    assertThat(unexpected[0]).as("claims that did not simply wait for more input").isZero();
    assertThat(decoders).hasSize(10_000);
    assertThat(allocated / 10_000).as("bytes allocated per 10-byte claim").isLessThan(4096);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void deepNestingDecodesWithoutStackOverflow() {
    int depth = 100_000;
    BananaLimits deep = BananaLimits.DEFAULT.withMaxDepth(depth);
    byte[] nested = concat(repeat("0180", depth), bytes("0080"));
    Random random = new Random(42);
    List<List<byte[]>> feeds =
        List.of(
            List.of(nested),
            ChunkedDecoding.bytewise(nested),
            ChunkedDecoding.randomSplit(nested, 100, random));
    for (List<byte[]> chunks : feeds) {
      for (Cumulation cumulation : Cumulation.values()) {
        Outcome outcome =
            ChunkedDecoding.feed(new BananaDecoder(deep), chunks, cumulation);
        assertThat(outcome.error()).isNull();
        assertThat(outcome.values()).hasSize(1);
        assertThat(nestingDepth(outcome.values().get(0))).isEqualTo(depth);
      }
    }
  }

  @Test
  void nestingDeeperThanTheLimitIsRefusedBeforeItCostsMemory() {
    byte[] nested = concat(repeat("0180", BananaLimits.DEFAULT_MAX_DEPTH + 1), bytes("0080"));
    io.netty.buffer.ByteBuf in = io.netty.buffer.Unpooled.wrappedBuffer(nested);
    BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT);
    assertThatThrownBy(() -> decoder.decode(in))
        .isInstanceOf(BananaException.class)
        .hasMessageContaining("list nesting");
  }

  /** Returns how many single-element lists wrap the innermost empty list, without recursion. */
  private static int nestingDepth(Object value) {
    int depth = 0;
    List<?> list = (List<?>) value;
    while (!list.isEmpty()) {
      if (list.size() != 1) {
        throw new AssertionError("list of " + list.size() + " at depth " + depth);
      }
      list = (List<?>) list.get(0);
      depth++;
    }
    return depth;
  }

  private static void assertRejected(byte[] input, String... messageParts) {
    assertRejected(input, Dialect.PB, messageParts);
    assertRejected(input, Dialect.NONE, messageParts);
  }

  private static void assertRejected(byte[] input, Dialect dialect, String... messageParts) {
    for (List<byte[]> chunks : List.of(List.of(input), ChunkedDecoding.bytewise(input))) {
      Outcome outcome =
          ChunkedDecoding.feed(
              new BananaDecoder(BananaLimits.DEFAULT, dialect), chunks, Cumulation.MERGE);
      assertThat(outcome.values()).isEmpty();
      assertThat(outcome.error()).as("rejected in %s dialect", dialect).isNotNull();
      assertThat(outcome.errorMessage()).contains(messageParts);
    }
  }

  private static Object decodeWhole(byte[] input) {
    return decodeWhole(new BananaDecoder(BananaLimits.DEFAULT), input);
  }

  private static Object decodeWhole(BananaDecoder decoder, byte[] input) {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    try {
      return decoder.decode(in);
    } finally {
      in.release();
    }
  }
}
