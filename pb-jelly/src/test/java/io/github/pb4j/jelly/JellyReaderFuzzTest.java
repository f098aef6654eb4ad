package io.github.pb4j.jelly;

import io.github.pb4j.jelly.internal.JellyReader;
import static io.github.pb4j.jelly.testing.JellyAssertions.assertSameGraph;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaException;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.internal.BananaReader;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link JellyReader} (docs/fuzzing.md): the one-pass reader never
 * disagrees with the general path, {@link BananaDecoder} then {@link Unjellier}. Each input is read
 * as a run of expressions, as a connection reads the messages in one buffer: one reader goes
 * through all of them (so what it remembers between messages is exercised), and where it
 * declines, the general path reads that message and the reader follows. In both dialects, with
 * the default nesting limit and a low one:
 *
 * <ul>
 *   <li>the reader throws nothing but {@link BananaReader.Unsupported}, and consumes nothing
 *       when it declines;
 *   <li>what it reads is the same graph, of the same types, as the general path gives for the
 *       same message, from the same bytes;
 *   <li>it reads nothing the general path refuses.
 * </ul>
 */
@Timeout(10)
class JellyReaderFuzzTest {
  /** Messages read from one input, at most. */
  private static final int MAX_MESSAGES = 16;

  @FuzzTest
  void read(byte[] input) {
    for (Dialect dialect : new Dialect[] {Dialect.PB, Dialect.NONE}) {
      for (int maxDepth : new int[] {Jellier.DEFAULT_MAX_DEPTH, 3}) {
        check(input, dialect, maxDepth);
      }
    }
  }

  private static void check(byte[] input, Dialect dialect, int maxDepth) {
    ByteBuf buf = Unpooled.wrappedBuffer(input);
    ByteBuf reference = Unpooled.wrappedBuffer(input);
    BananaReader banana = new BananaReader(BananaLimits.DEFAULT, dialect);
    JellyReader reader = new JellyReader(banana, maxDepth);
    BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT, dialect);
    Unjellier unjellier = new Unjellier(JellyRegistry.EMPTY, null, maxDepth);
    banana.begin(buf);
    for (int message = 0; message < MAX_MESSAGES && buf.isReadable(); message++) {
      String what = dialect + ", depth " + maxDepth + ", message " + message + " of " + ByteString.of(input).hex();
      int start = buf.readerIndex();
      Object expected = general(reference, decoder, unjellier);
      Object fast;
      try {
        fast = reader.read();
      } catch (BananaReader.Unsupported e) {
        banana.rollback();
        banana.commit(buf);
        assertThat(buf.readerIndex()).as("%s: nothing consumed when declining", what).isEqualTo(start);
        if (!(expected instanceof Outcome.Value)) {
          return; // refused or incomplete: the connection would stop here
        }
        buf.readerIndex(reference.readerIndex()); // the general path read it
        banana.follow(buf);
        continue;
      }
      banana.commit(buf);
      if (!(expected instanceof Outcome.Value value)) {
        throw new AssertionError(what + ": the reader read " + fast + " but the general path says " + expected);
      }
      assertSameGraph(value.value, fast);
      assertThat(buf.readerIndex()).as("%s: bytes consumed", what).isEqualTo(reference.readerIndex());
    }
  }

  /** The general path's next message: a value, a refusal, or a need for more bytes. */
  private static Object general(ByteBuf in, BananaDecoder decoder, Unjellier unjellier) {
    try {
      Object sexp = decoder.decode(in);
      return sexp == null ? Outcome.INCOMPLETE : new Outcome.Value(unjellier.unjelly(sexp));
    } catch (BananaException | JellyException e) {
      return new Outcome.Refused(e);
    }
  }

  private interface Outcome {
    Outcome INCOMPLETE = new Outcome() {
      @Override
      public String toString() {
        return "(incomplete)";
      }
    };

    record Value(@Nullable Object value) implements Outcome {}

    record Refused(Exception error) implements Outcome {}
  }
}
