package io.github.pb4j.banana;

import static io.github.pb4j.banana.TestBytes.bytes;
import static io.github.pb4j.banana.TestBytes.concat;
import static io.github.pb4j.banana.TestBytes.encode;
import static io.github.pb4j.banana.TestBytes.hex;
import static io.github.pb4j.banana.TestBytes.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.testing.ChunkedDecoding;
import io.github.pb4j.banana.testing.ChunkedDecoding.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configured limits are honoured by the decoder and the encoder alike. */
class BananaLimitsTest {
  private static final BananaLimits SIZE_10 = BananaLimits.DEFAULT.withSizeLimit(10);
  private static final BananaLimits PREFIX_2 = BananaLimits.DEFAULT.withPrefixLimit(2);

  @Test
  void defaultsAreTwisted() {
    assertThat(BananaLimits.DEFAULT.prefixLimit()).isEqualTo(64);
    assertThat(BananaLimits.DEFAULT.sizeLimit()).isEqualTo(655_360);
    // No bound on a whole expression, as in Twisted: a connection's input budget bounds memory.
    assertThat(BananaLimits.DEFAULT.maxMessageBytes()).isEqualTo(BananaLimits.NO_MESSAGE_LIMIT);
    // pb4j's own bound, which Twisted's decoder lacks (its encoder stops near 1000 levels).
    assertThat(BananaLimits.DEFAULT.maxDepth()).isEqualTo(4096);
  }

  @Test
  void defaultsAcceptAsManyStringsOfTheSizeLimitAsTwistedDoes() {
    // A list of 14 strings of 600 KiB: 8.6 MB in one expression, each string within 640 KiB.
    byte[] string = new byte[600 * 1024];
    ByteBuf in = Unpooled.buffer();
    BananaEncoder encoder = BananaEncoder.of(Dialect.NONE);
    encoder.writeListHeader(in, 14);
    for (int i = 0; i < 14; i++) {
      encoder.writeBytes(in, ByteString.of(string, 0, string.length));
    }
    BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT);
    Object decoded = null;
    // In reads of 64 KiB, as from a socket: the decoder holds the strings decoded so far.
    ByteBuf cumulation = Unpooled.buffer();
    long lastCost = 0;
    while (in.isReadable() && decoded == null) {
      cumulation.writeBytes(in, Math.min(64 * 1024, in.readableBytes()));
      decoded = decoder.decode(cumulation);
      cumulation.discardReadBytes();
      if (decoded == null) {
        assertThat(decoder.expressionCost()).isGreaterThanOrEqualTo(lastCost);
        lastCost = decoder.expressionCost();
      }
    }

    assertThat(decoded).asList().hasSize(14);
    assertThat(lastCost).as("cost held just before the last string").isGreaterThan(13L * 600 * 1024);
    assertThat(decoder.expressionCost()).isZero();
  }

  @Test
  void withersChangeOneLimit() {
    assertThat(BananaLimits.DEFAULT.withSizeLimit(7))
        .isEqualTo(new BananaLimits(64, 7, BananaLimits.DEFAULT_MAX_MESSAGE_BYTES));
    assertThat(BananaLimits.DEFAULT.withPrefixLimit(7))
        .isEqualTo(new BananaLimits(7, 655_360, BananaLimits.DEFAULT_MAX_MESSAGE_BYTES));
    assertThat(BananaLimits.DEFAULT.withMaxMessageBytes(7))
        .isEqualTo(new BananaLimits(64, 655_360, 7));
  }

  @Test
  void rejectsNonsensicalLimits() {
    assertThatThrownBy(() -> BananaLimits.DEFAULT.withPrefixLimit(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("prefixLimit: 0 (expected: 1..1024)");
    assertThatThrownBy(() -> BananaLimits.DEFAULT.withPrefixLimit(1025))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BananaLimits.DEFAULT.withSizeLimit(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sizeLimit: -1 (expected: >= 0)");
    assertThatThrownBy(() -> BananaLimits.DEFAULT.withMaxMessageBytes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxMessageBytes: 0 (expected: >= 1)");
  }

  @Test
  void decoderHonoursSizeLimit() {
    assertThat(decode(SIZE_10, concat(bytes("0a82"), repeat("78", 10))).values())
        .containsExactly(ByteString.fromHex("78".repeat(10)));
    assertThat(decode(SIZE_10, concat(bytes("0a80"), repeat("0081", 10))).values())
        .containsExactly(Collections.nCopies(10, 0));
    assertThat(decode(SIZE_10, bytes("0b82")).errorMessage())
        .isEqualTo("string length: 11 (expected: <= 10)");
    assertThat(decode(SIZE_10, bytes("0b80")).errorMessage())
        .isEqualTo("list length: 11 (expected: <= 10)");
  }

  @Test
  void encoderHonoursSizeLimit() {
    BananaEncoder encoder = new BananaEncoder(Dialect.NONE, SIZE_10);
    assertThat(hex(encode(encoder, ByteString.fromHex("78".repeat(10)))))
        .isEqualTo("0a82" + "78".repeat(10));
    assertThat(hex(encode(encoder, Collections.nCopies(10, 0))))
        .isEqualTo("0a80" + "0081".repeat(10));
    assertEncodeFails(
        encoder, ByteString.fromHex("78".repeat(11)), "string length: 11 (expected: <= 10)");
    assertEncodeFails(encoder, new byte[11], "string length: 11 (expected: <= 10)");
    assertEncodeFails(encoder, Collections.nCopies(11, 0), "list length: 11 (expected: <= 10)");
    // Text is limited in UTF-8 bytes, which is not what a program counts: the refusal says both.
    ByteBuf text = Unpooled.buffer();
    try {
      assertThatThrownBy(() -> encoder.writeUtf8(text, "\u00e9".repeat(6)))
          .hasMessage("string length: 12 UTF-8 bytes, 6 characters (expected: <= 10 bytes)");
      assertThatThrownBy(() -> encoder.writeAscii(text, "x".repeat(11)))
          .hasMessage("string length: 11 UTF-8 bytes, 11 characters (expected: <= 10 bytes)");
      assertThatThrownBy(() -> encoder.writeUtf8(text, "\uD83D\uDE00".repeat(3)))
          .hasMessage("string length: 12 UTF-8 bytes, 3 characters (expected: <= 10 bytes)");
      assertThat(text.writerIndex()).isZero();
    } finally {
      text.release();
    }
    // A too-long string deep inside a list: nothing at all is written.
    assertEncodeFails(encoder, List.of(1, List.of(2, new byte[11])), "string length: 11");
  }

  @Test
  void sizeLimitDoesNotApplyToVocabularyWords() {
    BananaEncoder encoder = new BananaEncoder(Dialect.PB, BananaLimits.DEFAULT.withSizeLimit(3));
    assertThat(hex(encode(encoder, ByteString.ascii("dereference")))).isEqualTo("0387");
  }

  @Test
  void decoderHonoursPrefixLimit() {
    assertThat(decode(PREFIX_2, bytes("7f7f81")).values()).containsExactly(16383);
    assertThat(decode(PREFIX_2, bytes("000001 81")).errorMessage())
        .isEqualTo("token prefix: more than 2 bytes (expected: <= 2)");
    // Rejected on the third prefix byte, before any type byte.
    assertThat(decode(PREFIX_2, bytes("000001")).errorMessage()).contains("prefix");
    assertThat(decode(PREFIX_2, bytes("0000"))).isEqualTo(new Outcome(List.of(), null, 2));
  }

  @Test
  void decoderWithLargerPrefixLimitAcceptsLongerIntegers() {
    BananaLimits limits = BananaLimits.DEFAULT.withPrefixLimit(65);
    BigInteger big = BigInteger.ONE.shiftLeft(448);
    byte[] encoded = concat(repeat("00", 64), bytes("01 85"));
    assertThat(decode(limits, encoded).values()).containsExactly(big);
    assertThat(decode(BananaLimits.DEFAULT, encoded).errorMessage()).contains("prefix");
  }

  @Test
  void encoderHonoursPrefixLimit() {
    BananaEncoder encoder = new BananaEncoder(Dialect.NONE, PREFIX_2);
    assertThat(hex(encode(encoder, 16383))).isEqualTo("7f7f81");
    assertThat(hex(encode(encoder, -16383))).isEqualTo("7f7f83");
    assertThat(hex(encode(encoder, BigInteger.valueOf(16383)))).isEqualTo("7f7f81");
    // Like Twisted's setPrefixLimit: integers needing more digits than the limit are refused.
    assertEncodeFails(encoder, 16384, "integer: 16384");
    assertEncodeFails(encoder, -16384, "integer: -16384");
    assertEncodeFails(encoder, 1L << 40, "integer");
    assertEncodeFails(encoder, Long.MIN_VALUE, "integer");
    assertEncodeFails(encoder, BigInteger.valueOf(16384), "integer");
    assertEncodeFails(encoder, BigInteger.ONE.shiftLeft(100), "integer");
  }

  @Test
  void encoderWithLargerPrefixLimitSendsLongerIntegers() {
    BananaEncoder encoder =
        new BananaEncoder(Dialect.NONE, BananaLimits.DEFAULT.withPrefixLimit(65));
    BigInteger big = BigInteger.ONE.shiftLeft(448);
    assertThat(hex(encode(encoder, big))).isEqualTo("00".repeat(64) + "0185");
    assertThat(hex(encode(encoder, big.negate()))).isEqualTo("00".repeat(64) + "0186");
    assertEncodeFails(encoder, BigInteger.ONE.shiftLeft(455), "integer");
  }

  private static Outcome decode(BananaLimits limits, byte[] input) {
    return ChunkedDecoding.feedWhole(new BananaDecoder(limits), input);
  }

  static void assertEncodeFails(BananaEncoder encoder, Object value, String messagePart) {
    ByteBuf out = Unpooled.buffer().writeBytes(bytes("cafe"));
    try {
      assertThatThrownBy(() -> encoder.encode(value, out))
          .isInstanceOf(BananaException.class)
          .hasMessageContaining(messagePart);
      assertThat(out.writerIndex()).as("writerIndex after the failure").isEqualTo(2);
      assertThat(out.getUnsignedShort(0)).isEqualTo(0xcafe);
    } finally {
      out.release();
    }
  }
}
