package io.github.pb4j.banana;

import io.github.pb4j.banana.internal.Vocabulary;
import io.github.pb4j.banana.internal.BananaReader;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pb4j.banana.testing.ChunkedDecoding;
import io.github.pb4j.banana.testing.ChunkedDecoding.Cumulation;
import io.github.pb4j.banana.testing.ChunkedDecoding.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link BananaReader} (docs/fuzzing.md): the one-pass reader agrees
 * with the token-by-token decoder wherever it accepts. Each input is read as one expression, in a
 * heap buffer and in a direct one (which the reader copies), under both {@link FuzzLimits}:
 *
 * <ul>
 *   <li>the reader throws nothing but {@link BananaReader.Unsupported};
 *   <li>a value it reads is the one the decoder decodes from the same bytes fed one at a time
 *       (which keeps the decoder off its own one-pass path), and it consumes the same bytes;
 *   <li>its accessors agree with each other (number and long value, shared and plain byte
 *       strings, text and strict UTF-8);
 *   <li>when it says the expression runs past the end of the bytes, the decoder has no value
 *       either.
 * </ul>
 */
@Timeout(10)
class BananaReaderFuzzTest {
  private static final Object DECLINED = new Object();

  @FuzzTest
  void read(byte[] input) {
    for (FuzzLimits config : FuzzLimits.values()) {
      for (boolean direct : new boolean[] {false, true}) {
        check(input, config, direct);
      }
    }
  }

  private static void check(byte[] input, FuzzLimits config, boolean direct) {
    ByteBuf buf = direct ? Unpooled.directBuffer(input.length) : Unpooled.buffer(input.length);
    try {
      buf.writeBytes(input);
      BananaReader reader = config.reader();
      reader.begin(buf);
      Object fast;
      try {
        fast = value(reader, config.limits.maxDepth(), 0);
      } catch (BananaReader.Unsupported e) {
        fast = DECLINED;
      }
      Outcome slow = ChunkedDecoding.feed(config.decoder(), ChunkedDecoding.bytewise(input), Cumulation.MERGE);
      if (fast == DECLINED) {
        boolean truncated = reader.truncated();
        reader.rollback();
        reader.commit(buf);
        assertThat(buf.readerIndex()).as("%s: nothing consumed when declining", config).isZero();
        if (truncated) {
          assertThat(slow.values()).as("%s: the reader saw the expression run past the end", config).isEmpty();
        }
        return;
      }
      reader.commit(buf);
      assertThat(slow.values()).as("%s: the decoder's values for what the reader read", config).isNotEmpty();
      assertThat(fast).as("%s: the reader's value", config).isEqualTo(slow.values().get(0));
      byte[] first = TestBytes.encode(new BananaEncoder(config.dialect, config.limits), fast);
      Outcome alone = ChunkedDecoding.feedWhole(config.decoder(), java.util.Arrays.copyOf(input, buf.readerIndex()));
      assertThat(alone.values()).as("%s: the bytes the reader consumed, %s", config, TestBytes.hex(first))
          .containsExactly(fast);
      assertThat(alone.unconsumed()).as("%s: bytes consumed", config).isZero();
    } finally {
      buf.release();
    }
  }

  /** Reads one expression as the decoder would build it, checking the accessors on the way. */
  private static @Nullable Object value(BananaReader r, int maxDepth, int depth) {
    int type = r.next();
    switch (type) {
      case BananaReader.LIST: {
        if (depth >= maxDepth) {
          throw BananaReader.Unsupported.INSTANCE; // the decoder's depth limit: its call
        }
        int count = r.count();
        List<@Nullable Object> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          list.add(value(r, maxDepth, depth + 1));
        }
        return list;
      }
      case BananaReader.INT: {
        Object number = r.number();
        assertThat(((Number) number).longValue()).isEqualTo(r.longValue());
        return number;
      }
      case BananaReader.FLOAT:
        return r.doubleValue();
      case BananaReader.STRING: {
        ByteString bytes = r.byteString();
        assertThat(bytes.size()).isEqualTo(r.stringLength());
        assertThat(r.sharedByteString()).isEqualTo(bytes);
        assertThat(r.is(type, bytes)).isTrue();
        assertThat(ByteString.of(r.array(), r.stringOffset(), r.stringLength())).isEqualTo(bytes);
        String strict = strictUtf8(bytes);
        if (strict == null) {
          int mark = r.mark();
          try {
            r.utf8String();
            throw new AssertionError("utf8String accepted invalid UTF-8 " + bytes.hex());
          } catch (BananaReader.Unsupported expected) {
            assertThat(r.mark()).isEqualTo(mark);
          }
        } else {
          assertThat(r.utf8String()).isEqualTo(strict);
        }
        return bytes;
      }
      case BananaReader.VOCAB: {
        ByteString word = r.word();
        assertThat(Vocabulary.word(r.vocabNumber())).isEqualTo(word);
        assertThat(r.is(type, word)).isTrue();
        return word;
      }
      default:
        throw new AssertionError("token type " + type);
    }
  }

  private static @Nullable String strictUtf8(ByteString bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
