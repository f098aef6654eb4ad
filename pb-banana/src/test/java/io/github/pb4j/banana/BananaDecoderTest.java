package io.github.pb4j.banana;

import static io.github.pb4j.banana.TestBytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Behaviour of {@link BananaDecoder} beyond the Twisted vectors. */
class BananaDecoderTest {
  private final BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT);

  @Test
  void startsInNoneDialectWithGivenLimits() {
    BananaLimits limits = BananaLimits.DEFAULT.withSizeLimit(5);
    BananaDecoder d = new BananaDecoder(limits);
    assertThat(d.dialect()).isEqualTo(Dialect.NONE);
    assertThat(d.limits()).isSameAs(limits);
    assertThat(d.isInsideExpression()).isFalse();
    assertThat(new BananaDecoder(limits, Dialect.PB).dialect()).isEqualTo(Dialect.PB);
  }

  @Test
  void returnsOneExpressionPerCallAndLeavesTheRest() {
    ByteBuf in = Unpooled.wrappedBuffer(bytes("0181 0280 0281 0381 0080 05"));
    try {
      assertThat(decoder.decode(in)).isEqualTo(1);
      assertThat(in.readerIndex()).isEqualTo(2);
      assertThat(decoder.decode(in)).isEqualTo(List.of(2, 3));
      assertThat(decoder.decode(in)).isEqualTo(List.of());
      assertThat(decoder.decode(in)).isNull();
      assertThat(in.readableBytes()).as("an unfinished prefix stays in the buffer").isEqualTo(1);
      assertThat(decoder.decode(in)).isNull();
    } finally {
      in.release();
    }
  }

  @Test
  void returnsNullOnEmptyInput() {
    assertThat(decoder.decode(Unpooled.EMPTY_BUFFER)).isNull();
    assertThat(decoder.isInsideExpression()).isFalse();
  }

  @Test
  void consumesCompleteTokensOfAnUnfinishedList() {
    ByteBuf in = Unpooled.wrappedBuffer(bytes("0380 0181 0582 6162"));
    try {
      assertThat(decoder.decode(in)).isNull();
      assertThat(decoder.isInsideExpression()).isTrue();
      // The list header and the int are consumed; the string waits whole.
      assertThat(in.readerIndex()).isEqualTo(4);
    } finally {
      in.release();
    }
  }

  @Test
  void switchesDialectAfterNegotiation() {
    // The client's choice arrives in the none dialect, then the pb dialect applies.
    ByteBuf in = Unpooled.wrappedBuffer(bytes("02827062 0280 1387 0681"));
    try {
      assertThat(decoder.decode(in)).isEqualTo(ByteString.ascii("pb"));
      decoder.setDialect(Dialect.PB);
      assertThat(decoder.dialect()).isEqualTo(Dialect.PB);
      assertThat(decoder.decode(in)).isEqualTo(List.of(ByteString.ascii("version"), 6));
    } finally {
      in.release();
    }
  }

  @Test
  void decodesVocabWithNonMinimalPrefixLikeTwisted() {
    // Twisted reads the number with b1282int, so trailing zero digits are accepted as for INT.
    BananaDecoder pb = new BananaDecoder(BananaLimits.DEFAULT, Dialect.PB);
    assertThat(decodeOne(pb, bytes("010000 87"))).isEqualTo(ByteString.ascii("None"));
    assertThat(decodeOne(pb, bytes("1f000000000000000000 87")))
        .isEqualTo(ByteString.ascii("uncache"));
    assertThat(decodeOne(pb, bytes("01" + "00".repeat(63) + "87")))
        .isEqualTo(ByteString.ascii("None"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "7f7f7f7f07 81, 2147483647, Integer",
    "0000000008 81, 2147483648, Long",
    "0000000008 83, -2147483648, Integer",
    "0100000008 83, -2147483649, Long",
    "05 85, 5, Integer",
    "01 86, -1, Integer",
    "7f7f7f7f7f7f7f7f7f 85, 9223372036854775807, Long",
    "00000000000000000001 85, 9223372036854775808, BigInteger",
    "00000000000000000001 86, -9223372036854775808, Long",
    "01000000000000000001 86, -9223372036854775809, BigInteger",
    "7f7f7f7f7f7f7f7f7f 83, -9223372036854775807, Long",
  })
  void decodesIntegersAsSmallestJavaType(String hex, String value, String type) {
    Object decoded = decodeOne(decoder, bytes(hex));
    assertThat(decoded.getClass().getSimpleName()).isEqualTo(type);
    assertThat(decoded.toString()).isEqualTo(value);
  }

  @Test
  void narrowsBigIntegers() {
    assertThat(BananaDecoder.narrow(BigInteger.valueOf(Integer.MIN_VALUE)))
        .isEqualTo(Integer.MIN_VALUE);
    assertThat(BananaDecoder.narrow(BigInteger.valueOf(Integer.MAX_VALUE).add(BigInteger.ONE)))
        .isEqualTo(1L << 31);
    assertThat(BananaDecoder.narrow(BigInteger.valueOf(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
    assertThat(BananaDecoder.narrow(BigInteger.ONE.shiftLeft(63)))
        .isEqualTo(BigInteger.ONE.shiftLeft(63));
  }

  @Test
  void decodesFloatBitsExactly() {
    assertThat(
            Double.doubleToRawLongBits((Double) decodeOne(decoder, bytes("84 c00921fb54442d18"))))
        .isEqualTo(0xc00921fb54442d18L);
    assertThat((Double) decodeOne(decoder, bytes("84 fff0000000000001"))).isNaN();
  }

  @Test
  void decodesListsAsArrayLists() {
    assertThat(decodeOne(decoder, bytes("0180 0080")))
        .isInstanceOf(ArrayList.class)
        .asList()
        .singleElement()
        .isInstanceOf(ArrayList.class);
  }

  @Test
  void decodedStringDoesNotShareTheInputBuffer() {
    byte[] input = bytes("0382 616263");
    ByteBuf in = Unpooled.wrappedBuffer(input);
    try {
      Object decoded = decoder.decode(in);
      input[2] = 'X';
      assertThat(decoded).isEqualTo(ByteString.ascii("abc"));
    } finally {
      in.release();
    }
  }

  @Test
  void rejectsNullDialect() {
    assertThatThrownBy(() -> decoder.setDialect(null)).isInstanceOf(NullPointerException.class);
  }

  private static Object decodeOne(BananaDecoder decoder, byte[] input) {
    ByteBuf in = Unpooled.wrappedBuffer(input);
    try {
      Object value = decoder.decode(in);
      assertThat(in.isReadable()).as("input left over").isFalse();
      assertThat(value).isNotNull();
      return value;
    } finally {
      in.release();
    }
  }
}
