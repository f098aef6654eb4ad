package io.github.pb4j.banana;

import static io.github.pb4j.banana.BananaLimitsTest.assertEncodeFails;
import static io.github.pb4j.banana.TestBytes.encode;
import static io.github.pb4j.banana.TestBytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Behaviour of {@link BananaEncoder} beyond the Twisted vectors. */
class BananaEncoderTest {
  private static final BananaEncoder NONE = BananaEncoder.of(Dialect.NONE);
  private static final BananaEncoder PB = BananaEncoder.of(Dialect.PB);

  @Test
  void ofUsesTwistedLimits() {
    assertThat(PB.dialect()).isEqualTo(Dialect.PB);
    assertThat(PB.limits()).isEqualTo(BananaLimits.DEFAULT);
  }

  @Test
  void encodesBooleansAsIntsLikePython() {
    assertThat(hex(encode(NONE, true))).isEqualTo("0181");
    assertThat(hex(encode(NONE, false))).isEqualTo("0081");
  }

  @Test
  void encodesOtherJavaNumbers() {
    assertThat(hex(encode(NONE, (short) -5))).isEqualTo("0583");
    assertThat(hex(encode(NONE, (byte) 7))).isEqualTo("0781");
    assertThat(hex(encode(NONE, 1.5f))).isEqualTo("843ff8000000000000");
    assertThat(hex(encode(NONE, Long.MIN_VALUE))).isEqualTo("0000000000000000000186");
  }

  @Test
  void writesNanWithItsSignAndPayloadAsTwistedDoes() {
    // Twisted: struct.pack('!d', value) for float('nan'), -float('nan') and a NaN with a payload.
    assertThat(hex(encode(NONE, Double.NaN))).isEqualTo("847ff8000000000000");
    assertThat(hex(encode(NONE, Double.longBitsToDouble(0xfff8000000000000L))))
        .isEqualTo("84fff8000000000000");
    assertThat(hex(encode(NONE, Double.longBitsToDouble(0x7ff0000000000001L))))
        .isEqualTo("847ff0000000000001");
  }

  @Test
  void encodesByteArraysLikeByteStrings() {
    assertThat(hex(encode(NONE, new byte[] {1, (byte) 0xff}))).isEqualTo("028201ff");
    assertThat(hex(encode(PB, "remote".getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
        .isEqualTo("1087");
  }

  @Test
  void encodesAnyCollectionAsList() {
    assertThat(hex(encode(NONE, new LinkedHashSet<>(List.of(1, 2))))).isEqualTo("028001810281");
  }

  @Test
  void writeMethodsProduceWhatEncodeProduces() {
    Object value = List.of(ByteString.ascii("message"), 1, -7, 1L << 40, 2.5, List.of());
    for (BananaEncoder encoder : List.of(NONE, PB)) {
      String streamed =
          written(
              out -> {
                encoder.writeListHeader(out, 6);
                encoder.writeBytes(out, ByteString.ascii("message"));
                encoder.writeInt(out, 1);
                encoder.writeInt(out, -7);
                encoder.writeInteger(out, java.math.BigInteger.ONE.shiftLeft(40));
                encoder.writeFloat(out, 2.5);
                encoder.writeListHeader(out, 0);
              });
      assertThat(streamed).isEqualTo(hex(encode(encoder, value)));
    }
  }

  @Test
  void writesUtf8TextAsByteString() {
    assertThat(written(out -> NONE.writeUtf8(out, "h\u00e9llo \u2603 \ud83d\ude00")))
        .isEqualTo("0f8268c3a96c6c6f20e2988320f09f9880");
    assertThat(written(out -> NONE.writeUtf8(out, "version"))).isEqualTo("078276657273696f6e");
    assertThat(written(out -> PB.writeUtf8(out, "version"))).isEqualTo("1387");
    assertThat(written(out -> PB.writeUtf8(out, "Version"))).isEqualTo("078256657273696f6e");
  }

  @Test
  void writesSliceOfByteArray() {
    byte[] bytes = "xxlistyy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(written(out -> PB.writeBytes(out, bytes, 2, 4))).isEqualTo("0887");
    assertThat(written(out -> NONE.writeBytes(out, bytes, 2, 4))).isEqualTo("04826c697374");
  }

  @Test
  void precomputesConstantsPerDialect() {
    assertThat(hex(PB.precompute(ByteString.ascii("message")))).isEqualTo("1a87");
    assertThat(hex(NONE.precompute(ByteString.ascii("message")))).isEqualTo("07826d657373616765");
    assertThat(written(out -> PB.writeEncoded(out, PB.precompute(ByteString.ascii("answer")))))
        .isEqualTo("1b87");
  }

  @Test
  void refusesUnencodableObjectInsideListWithoutWritingAnything() {
    assertEncodeFails(NONE, List.of(1, List.of(2, new Object())), "cannot send java.lang.Object");
    assertEncodeFails(NONE, List.of(1, "text"), "cannot send java.lang.String");
  }

  @Test
  void refusesNullInsideListLikeNone() {
    // Twisted refuses None with BananaError; null is the Java form.
    assertEncodeFails(NONE, Arrays.asList(1, null), "cannot send null");
    assertEncodeFails(NONE, new LinkedHashSet<>(Arrays.asList(1, null)), "cannot send null");
  }

  @Test
  void encodesDeepNesting() {
    Object value = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      value = new ArrayList<>(List.of(value));
    }
    assertThat(hex(encode(NONE, value))).isEqualTo("0180".repeat(1000) + "0080");
  }

  @Test
  void writesAsciiTheSameIntoEveryKindOfBuffer() {
    String[] texts = {"", "a", "item-42", "remote", "x".repeat(127), "x".repeat(128), "y".repeat(300)};
    for (String text : texts) {
      ByteBuf expected = Unpooled.buffer();
      PB.writeUtf8(expected, text);
      ByteBuf heap = Unpooled.buffer(1);
      ByteBuf direct = Unpooled.directBuffer(1);
      // An array-backed buffer whose array does not start at its first byte.
      ByteBuf offset = Unpooled.wrappedBuffer(new byte[text.length() + 20], 7, text.length() + 8).clear();
      offset.writeByte(0x55);
      try {
        assertThat(PB.writeAscii(heap, text)).isTrue();
        assertThat(PB.writeAscii(direct, text)).isTrue();
        assertThat(PB.writeAscii(offset, text)).isTrue();
        assertThat(ByteBufUtil.hexDump(heap)).isEqualTo(ByteBufUtil.hexDump(expected));
        assertThat(ByteBufUtil.hexDump(direct)).isEqualTo(ByteBufUtil.hexDump(expected));
        assertThat(ByteBufUtil.hexDump(offset)).isEqualTo("55" + ByteBufUtil.hexDump(expected));
      } finally {
        expected.release();
        heap.release();
        direct.release();
        offset.release();
      }
    }
  }

  @Test
  void writeAsciiWritesNothingForOtherText() {
    for (String text : new String[] {"caf\u00e9", "\u00e9", "abc\u0141", "x".repeat(200) + "\u00ff"}) {
      ByteBuf heap = Unpooled.buffer();
      ByteBuf direct = Unpooled.directBuffer();
      try {
        heap.writeByte(1);
        direct.writeByte(1);
        assertThat(PB.writeAscii(heap, text)).isFalse();
        assertThat(PB.writeAscii(direct, text)).isFalse();
        assertThat(heap.writerIndex()).isEqualTo(1);
        assertThat(direct.writerIndex()).isEqualTo(1);
      } finally {
        heap.release();
        direct.release();
      }
    }
  }

  private static String written(Consumer<ByteBuf> writer) {
    ByteBuf out = Unpooled.buffer();
    try {
      writer.accept(out);
      return ByteBufUtil.hexDump(out);
    } finally {
      out.release();
    }
  }
}
