package io.github.pb4j.banana;

import io.github.pb4j.banana.internal.BananaReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The token reader under the one-pass decoders: windows, commits, limits, and the decoder's way. */
class BananaReaderTest {
  private static ByteBuf direct(byte[] bytes) {
    return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
  }

  private static byte[] encode(Dialect dialect, Object... sexps) {
    ByteBuf buf = Unpooled.buffer();
    for (Object s : sexps) {
      BananaEncoder.of(dialect).encode(s, buf);
    }
    byte[] bytes = new byte[buf.readableBytes()];
    buf.readBytes(bytes);
    return bytes;
  }

  @Test
  void readsTokensAsTheDecoderDecodesThem() {
    byte[] bytes = encode(Dialect.PB, List.of(ByteString.ascii("list"), 300, -5, 2.5,
        ByteString.ascii("hello"), Long.MAX_VALUE, Long.MIN_VALUE + 1));
    BananaReader r = new BananaReader(BananaLimits.DEFAULT, Dialect.PB);
    ByteBuf in = direct(bytes);
    r.begin(in);
    assertThat(r.next()).isEqualTo(BananaReader.LIST);
    assertThat(r.count()).isEqualTo(7);
    assertThat(r.next()).isEqualTo(BananaReader.VOCAB);
    assertThat(r.word()).isEqualTo(ByteString.ascii("list"));
    assertThat(r.next()).isEqualTo(BananaReader.INT);
    assertThat(r.longValue()).isEqualTo(300);
    assertThat(r.next()).isEqualTo(BananaReader.INT);
    assertThat(r.longValue()).isEqualTo(-5);
    assertThat(r.next()).isEqualTo(BananaReader.FLOAT);
    assertThat(r.doubleValue()).isEqualTo(2.5);
    assertThat(r.next()).isEqualTo(BananaReader.STRING);
    assertThat(r.utf8String()).isEqualTo("hello");
    assertThat(r.next()).isEqualTo(BananaReader.INT);
    assertThat(r.longValue()).isEqualTo(Long.MAX_VALUE);
    assertThat(r.next()).isEqualTo(BananaReader.INT);
    assertThat(r.longValue()).isEqualTo(Long.MIN_VALUE + 1);
    assertThat(r.isEmpty()).isTrue();
    assertThat(in.readerIndex()).as("nothing consumed before commit").isZero();
    r.commit(in);
    assertThat(in.isReadable()).isFalse();
    in.release();
  }

  @Test
  void declinesWhatTheDecoderMustJudge() {
    BananaReader none = new BananaReader(BananaLimits.DEFAULT, Dialect.NONE);
    BananaReader pb = new BananaReader(BananaLimits.DEFAULT, Dialect.PB);
    // A vocabulary token in the none dialect, an unknown word, an integer of 64 bits, a bad type
    // byte, an incomplete string, a string longer than the size limit, a prefix at the limit.
    byte[] tooLong = new byte[66];
    tooLong[65] = (byte) 0x81;
    for (byte[] bytes : List.of(new byte[] {1, (byte) 0x87}, new byte[] {0x7f, (byte) 0x87},
        encode(Dialect.NONE, new java.math.BigInteger("18446744073709551615")), new byte[] {1, (byte) 0x88},
        new byte[] {5, (byte) 0x82, 'a'}, new byte[] {0, 0, 0x7f, (byte) 0x82}, tooLong)) {
      for (BananaReader r : List.of(none, pb)) {
        r.begin(Unpooled.wrappedBuffer(bytes));
        if (r == pb && bytes.length == 2 && bytes[0] == 1 && bytes[1] == (byte) 0x87) {
          assertThat(r.next()).isEqualTo(BananaReader.VOCAB); // word 1 is fine in the pb dialect
          continue;
        }
        assertThatThrownBy(r::next).isSameAs(BananaReader.Unsupported.INSTANCE);
      }
    }
  }

  @Test
  void followsTheDecoderWithoutCopyingTheWindowAgain() {
    byte[] bytes = encode(Dialect.PB, List.of(1, 2), ByteString.ascii("next"), 7);
    ByteBuf in = direct(bytes);
    BananaReader r = new BananaReader(BananaLimits.DEFAULT, Dialect.PB);
    r.begin(in);
    // The decoder takes the first expression from the buffer itself.
    assertThat(new BananaDecoder(BananaLimits.DEFAULT, Dialect.PB).decode(in)).isEqualTo(List.of(1, 2));
    // Change the buffer behind the window: a reader that copied again would see it.
    in.setByte(in.readerIndex() + 2, 'X');
    r.follow(in);
    assertThat(r.next()).isEqualTo(BananaReader.STRING);
    assertThat(r.byteString()).isEqualTo(ByteString.ascii("next"));
    assertThat(r.next()).isEqualTo(BananaReader.INT);
    assertThat(r.longValue()).isEqualTo(7);
    r.commit(in);
    assertThat(in.isReadable()).isFalse();
    // Consumed past the window: follow begins again.
    in.writeBytes(encode(Dialect.PB, 9));
    in.skipBytes(0);
    r.follow(in);
    assertThat(r.next()).isEqualTo(BananaReader.INT);
    assertThat(r.longValue()).isEqualTo(9);
    in.release();
  }

  @Test
  void skipIfMatchesExactBytesOnly() {
    byte[] bytes = encode(Dialect.PB, List.of(ByteString.ascii("dictionary")), 5);
    BananaReader r = new BananaReader(BananaLimits.DEFAULT, Dialect.PB);
    r.begin(Unpooled.wrappedBuffer(bytes));
    byte[] emptyDict = encode(Dialect.PB, List.of(ByteString.ascii("dictionary")));
    assertThat(r.skipIf(new byte[] {1, (byte) 0x80, 6})).isFalse();
    assertThat(r.skipIf(emptyDict)).isTrue();
    assertThat(r.skipIf(emptyDict)).isFalse();
    assertThat(r.next()).isEqualTo(BananaReader.INT);
    assertThat(r.longValue()).isEqualTo(5);
  }
}
