package io.github.pb4j.banana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.testing.BananaVector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ReadOnlyBufferException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteStringTest {

  @Test
  void equalsByValue() {
    ByteString a = ByteString.of((byte) 1, (byte) 2);
    ByteString b = ByteString.fromHex("0102");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotSameAs(b);
    assertThat(a).isNotEqualTo(ByteString.fromHex("0103")).isNotEqualTo(ByteString.fromHex("01"));
    assertThat(a).isNotEqualTo(new byte[] {1, 2});
    assertThat(ByteString.of()).isSameAs(ByteString.EMPTY);
    assertThat(ByteString.fromHex("")).isSameAs(ByteString.EMPTY);
  }

  @Test
  void copiesInputAndOutput() {
    byte[] source = {1, 2, 3};
    ByteString s = ByteString.of(source);
    source[0] = 9;
    s.toByteArray()[1] = 9;
    assertThat(s.hex()).isEqualTo("010203");
    assertThat(ByteString.of(source, 1, 2).hex()).isEqualTo("0203");
    assertThatThrownBy(() -> ByteString.of(source, 2, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> s.asReadOnlyByteBuffer().put((byte) 0))
        .isInstanceOf(ReadOnlyBufferException.class);
  }

  @Test
  void toStringIsHex() {
    assertThat(ByteString.fromHex("00 7f 80 ff").toString()).isEqualTo("007f80ff");
    assertThat(ByteString.EMPTY.toString()).isEmpty();
  }

  @Test
  void parsesHexWithWhitespaceOnly() {
    assertThat(ByteString.fromHex(" 0a\n0B\t").hex()).isEqualTo("0a0b");
    assertThatThrownBy(() -> ByteString.fromHex("abc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ByteString.fromHex("zz")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void comparesUnsigned() {
    assertThat(ByteString.fromHex("7f")).isLessThan(ByteString.fromHex("80"));
    assertThat(ByteString.fromHex("01")).isLessThan(ByteString.fromHex("0100"));
    assertThat(ByteString.fromHex("ff")).isGreaterThan(ByteString.fromHex("00ff"));
  }

  @Test
  void exposesBytes() {
    ByteString s = ByteString.fromHex("6180ff");
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.byteAt(1)).isEqualTo((byte) 0x80);
    assertThat(s.isAscii()).isFalse();
    assertThat(ByteString.ascii("abc").isAscii()).isTrue();
    assertThat(s.contentEquals(new byte[] {0, 0x61, (byte) 0x80, (byte) 0xff}, 1, 3)).isTrue();
    ByteBuf out = Unpooled.buffer();
    try {
      s.writeTo(out);
      assertThat(io.netty.buffer.ByteBufUtil.hexDump(out)).isEqualTo("6180ff");
    } finally {
      out.release();
    }
  }

  @Test
  void rendersPythonRepr() {
    assertThat(ByteString.EMPTY.toPythonRepr()).isEqualTo("b''");
    assertThat(ByteString.ascii("hello").toPythonRepr()).isEqualTo("b'hello'");
    assertThat(ByteString.ascii("it's").toPythonRepr()).isEqualTo("b\"it's\"");
    assertThat(ByteString.ascii("say \"hi\"").toPythonRepr()).isEqualTo("b'say \"hi\"'");
    assertThat(ByteString.ascii("'\"").toPythonRepr()).isEqualTo("b'\\'\"'");
    assertThat(ByteString.fromHex("5c 00 09 0a 0d 1f 7f 80 ff").toPythonRepr())
        .isEqualTo("b'\\\\\\x00\\t\\n\\r\\x1f\\x7f\\x80\\xff'");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bytesVectors")
  void rendersVectorBytesExactlyAsPython(BananaVector vector) {
    ByteString value = (ByteString) vector.pythonValue();
    assertThat(value.toPythonRepr()).isEqualTo(vector.pythonRepr());
  }

  @Test
  void decodesStrictUtf8() {
    assertThat(ByteString.ascii("plain").toStringUtf8()).isEqualTo("plain");
    assertThat(ByteString.fromHex("68c3a96c6c6f20e2988320f09f9880").toStringUtf8())
        .isEqualTo("h\u00e9llo \u2603 \ud83d\ude00");
    assertThat(ByteString.utf8("h\u00e9llo \ud83d\ude00").hex())
        .isEqualTo("68c3a96c6c6f20f09f9880");
    assertThat(ByteString.EMPTY.toStringUtf8()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "ff", // never valid
        "80", // lone continuation byte
        "c080", // overlong NUL
        "e08080", // overlong
        "e298", // truncated three-byte sequence
        "61e2", // truncated at the end
        "eda080", // encoded surrogate U+D800
        "f4908080", // above U+10FFFF
        "c3 28", // bad continuation
      })
  void rejectsInvalidUtf8(String hex) {
    ByteString bytes = ByteString.fromHex(hex);
    assertThatThrownBy(bytes::toStringUtf8)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid utf-8: b'");
  }

  @Test
  void asciiRejectsOtherText() {
    assertThatThrownBy(() -> ByteString.ascii("caf\u00e9"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static Stream<Named<BananaVector>> bytesVectors() {
    return BananaVector.ofKind("encode").stream()
        .filter(v -> v.pythonRepr().startsWith("b'") || v.pythonRepr().startsWith("b\""))
        .map(v -> Named.of(v.name(), v));
  }
}
