package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.testing.JellyAssertions.assertSameGraph;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.BananaException;
import io.github.pb4j.banana.BananaLimits;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.banana.SexpFormatter;
import io.github.pb4j.jelly.testing.JellyCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of {@link Unjellier} (docs/fuzzing.md). Each input is decoded as a run of
 * Banana expressions in the pb dialect, and each expression unjellied by an unjellier that knows a
 * registered record type and the PB flavours (through a stand-in extension):
 *
 * <ul>
 *   <li>nothing but {@link JellyException} escapes;
 *   <li>one unjellier reused for every expression of the input gives what a fresh one gives,
 *       value or error: nothing of one call stays for the next;
 *   <li>what a plain unjellier (no types, no flavours) accepts, a {@link Jellier} writes and the
 *       unjellier reads back as the same graph.
 * </ul>
 */
@Timeout(10)
class UnjellierFuzzTest {
  /** Expressions unjellied from one input, at most. */
  private static final int MAX_EXPRESSIONS = 8;

  public record Point(int x, int y) {}

  private static final JellyCodec FULL = JellyCodec.of(
      JellyRegistry.builder().registerRecord("geo.Point", Point.class).build(), new FlavourExtension());
  private static final JellyCodec PLAIN = JellyCodec.plain();

  @FuzzTest
  void unjelly(byte[] input) {
    Unjellier reused = FULL.unjellier();
    for (Object sexp : decode(input)) {
      String what = SexpFormatter.format(sexp);
      Object fromReused = outcome(reused, sexp);
      Object fromFresh = outcome(FULL.unjellier(), sexp);
      if (fromFresh instanceof JellyException e) {
        assertThat(fromReused).as(what).isInstanceOf(e.getClass());
        assertThat(((JellyException) fromReused).getMessage()).as(what).isEqualTo(e.getMessage());
      } else {
        assertSameGraph(fromFresh, fromReused);
      }
      Object plain = outcome(PLAIN.unjellier(), sexp);
      if (!(plain instanceof JellyException)) {
        Object again = PLAIN.roundTrip(plain, Dialect.PB);
        assertSameGraph(plain, again);
      }
    }
  }

  private static @Nullable Object outcome(Unjellier unjellier, Object sexp) {
    try {
      return unjellier.unjelly(sexp);
    } catch (JellyException e) {
      return e;
    }
  }

  /** The complete expressions at the start of {@code input}, up to the first Banana error. */
  private static List<Object> decode(byte[] input) {
    List<Object> expressions = new ArrayList<>();
    ByteBuf buf = Unpooled.wrappedBuffer(input);
    BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULT, Dialect.PB);
    try {
      Object sexp;
      while (expressions.size() < MAX_EXPRESSIONS && (sexp = decoder.decode(buf)) != null) {
        expressions.add(sexp);
      }
    } catch (BananaException e) {
      // the expressions before it are still unjellied
    }
    return expressions;
  }
}
