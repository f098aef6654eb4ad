package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.testing.JellyAssertions.assertSameGraph;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.testing.JellyArbitraries;
import io.github.pb4j.jelly.testing.JellyCodec;
import io.github.pb4j.jelly.testing.RandomJellyValues;
import io.github.pb4j.jelly.testing.RandomJellyValues.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;

/** Jelly round trips for generated values, in both dialects; and arbitrary expressions. */
class JellyRoundTripPropertyTest {
  public record Point(int x, int y) {}

  private final JellyCodec codec = JellyCodec.plain();

  @Property(tries = 400)
  void roundTripKeepsValuesAndTypes(@ForAll("trees") @Nullable Object value) {
    for (Dialect dialect : Dialect.values()) {
      String hex = codec.jellyHex(value, dialect);
      Object back = codec.unjellyHex(hex, dialect);
      assertSameGraph(value, back);
      // Sending what was received gives the same bytes.
      assertThat(codec.jellyHex(back, dialect)).isEqualTo(hex);
    }
  }

  @Property(tries = 300)
  void roundTripKeepsSharedAndCyclicStructure(@ForAll long seed) {
    Object value = new RandomJellyValues(new Random(seed), Profile.JAVA, 5).next();
    for (Dialect dialect : Dialect.values()) {
      String hex = codec.jellyHex(value, dialect);
      Object back = codec.unjellyHex(hex, dialect);
      assertSameGraph(value, back);
      assertThat(codec.jellyHex(back, dialect)).isEqualTo(hex);
    }
  }

  /**
   * Whatever a peer sends, the unjellier returns a value or throws a {@link JellyException}; and
   * a value it returns can be sent back and received again unchanged.
   */
  @Property(tries = 3000)
  void arbitraryExpressionsGiveAValueOrAJellyException(@ForAll("expressions") Object generated) {
    // Through real Banana bytes, so atoms have the types the decoder gives.
    Object sexp = JellyCodec.decodeSexp(JellyCodec.encodeSexp(generated, Dialect.PB), Dialect.PB);
    JellyCodec withTypes = JellyCodec.of(
        JellyRegistry.builder().registerRecord("geo.Point", Point.class).build(), new FlavourExtension());
    Object value;
    try {
      value = withTypes.unjellier().unjelly(sexp);
    } catch (JellyException expected) {
      return;
    }
    Object again = withTypes.roundTrip(value, Dialect.PB);
    assertSameGraph(value, again);
  }

  @Provide
  Arbitrary<@Nullable Object> trees() {
    return JellyArbitraries.values(true);
  }

  // -------------------------------------------------------------------- expression generator

  @Provide
  Arbitrary<Object> expressions() {
    return expressionTrees();
  }

  /** Banana trees of Jelly tags (real and made up) and atoms: well-formed Jelly or nearly so. */
  static Arbitrary<Object> expressionTrees() {
    return Arbitraries.recursive(JellyRoundTripPropertyTest::atoms, JellyRoundTripPropertyTest::tagged, 0, 5);
  }

  private static Arbitrary<Object> tagged(Arbitrary<Object> inner) {
    List<String> tags = new ArrayList<>();
    for (JellyTag t : JellyTag.values()) {
      tags.add(t.wire().toStringUtf8());
    }
    tags.addAll(List.of("geo.Point", "pbvec_classes.Counter", "os.system", "dict", "copy", ""));
    Arbitrary<Object> tag = Arbitraries.of(tags).map(ByteString::utf8);
    return Arbitraries.oneOf(
        inner,
        Combinators.combine(tag, inner.list().ofMaxSize(4)).as((t, rest) -> {
          List<Object> list = new ArrayList<>();
          list.add(t);
          list.addAll(rest);
          return list;
        }),
        inner.list().ofMaxSize(3).map(l -> new ArrayList<Object>(l)));
  }

  private static Arbitrary<Object> atoms() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-3, 5),
        Arbitraries.longs(),
        Arbitraries.of(1.5, Double.NaN, -0.0),
        Arbitraries.of("true", "false", "x", "y", "2020 7 11", "2020 7 11 1 2 3 4", "1 2 3", "-1 86399 5",
            "\u00e9", "9999 12 31 23 59 59 999999").map(ByteString::utf8),
        JellyArbitraries.bytes());
  }
}
