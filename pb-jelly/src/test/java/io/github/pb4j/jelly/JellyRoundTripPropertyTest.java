package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.testing.JellyAssertions.assertSameGraph;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.testing.JellyCodec;
import io.github.pb4j.jelly.testing.RandomJellyValues;
import io.github.pb4j.jelly.testing.RandomJellyValues.Profile;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

  private static final BigInteger MAX_INT = BigInteger.ONE.shiftLeft(448).subtract(BigInteger.ONE);

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

  // ------------------------------------------------------------------------- value generators

  @Provide
  Arbitrary<@Nullable Object> trees() {
    return Arbitraries.recursive(this::leaves, this::containers, 0, 4);
  }

  private Arbitrary<@Nullable Object> containers(Arbitrary<@Nullable Object> inner) {
    Arbitrary<@Nullable Object> keys = hashables();
    return Arbitraries.oneOf(
        inner,
        inner.list().ofMaxSize(4).map(l -> new ArrayList<>(l)),
        inner.list().ofMaxSize(4).map(Tuple::copyOf),
        Arbitraries.maps(keys, inner).ofMaxSize(4).map(m -> new LinkedHashMap<>(m)),
        keys.set().ofMaxSize(4).map(s -> new LinkedHashSet<>(s)),
        keys.set().ofMaxSize(4).map(FrozenSet::copyOf));
  }

  private Arbitrary<@Nullable Object> hashables() {
    Arbitrary<@Nullable Object> atoms = Arbitraries.oneOf(ints(), text(), bytes(), dates()).injectNull(0.05);
    return Arbitraries.oneOf(atoms, atoms.list().ofMaxSize(3).map(Tuple::copyOf));
  }

  private Arbitrary<@Nullable Object> leaves() {
    return Arbitraries.oneOf(
        Arbitraries.of(true, false),
        ints(),
        doubles(),
        text(),
        bytes(),
        dates(),
        Combinators.combine(Arbitraries.longs().between(-999_999_999, 999_999_999),
                Arbitraries.longs().between(0, 86_399_999_999L))
            .as((days, micros) -> Duration.ofDays(days).plusNanos(micros * 1000)),
        Arbitraries.bigIntegers().between(MAX_INT.negate(), MAX_INT)
            .flatMap(c -> Arbitraries.integers().between(-40, 40).map(scale -> new BigDecimal(c, scale))),
        text().map(t -> new Unpersistable((String) t)))
        .injectNull(0.05);
  }

  private static Arbitrary<Object> ints() {
    return Arbitraries.oneOf(
        Arbitraries.integers(),
        Arbitraries.longs(),
        Arbitraries.bigIntegers().between(MAX_INT.negate(), MAX_INT))
        .map(n -> BananaDecoder.narrow(new BigInteger(n.toString())));
  }

  private static Arbitrary<Object> doubles() {
    return Arbitraries.oneOf(
        Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(-0.0)
            .withSpecialValue(Double.POSITIVE_INFINITY).withSpecialValue(Double.NEGATIVE_INFINITY),
        Arbitraries.longs().map(Double::longBitsToDouble));
  }

  private static Arbitrary<Object> text() {
    return Arbitraries.integers().between(0, 0x10FFFF)
        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
        .list().ofMaxSize(8)
        .map(cps -> {
          StringBuilder sb = new StringBuilder();
          cps.forEach(sb::appendCodePoint);
          return sb.toString();
        });
  }

  private static Arbitrary<Object> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(12).map(ByteString::of);
  }

  private static Arbitrary<Object> dates() {
    Arbitrary<LocalDate> date = Arbitraries.longs()
        .between(LocalDate.of(1, 1, 1).toEpochDay(), LocalDate.of(9999, 12, 31).toEpochDay())
        .map(LocalDate::ofEpochDay);
    Arbitrary<LocalTime> time = Arbitraries.longs().between(0, 86_399_999_999L)
        .map(micros -> LocalTime.ofNanoOfDay(micros * 1000));
    return Arbitraries.oneOf(date, time, Combinators.combine(date, time).as(LocalDateTime::of));
  }

  // -------------------------------------------------------------------- expression generator

  @Provide
  Arbitrary<Object> expressions() {
    return Arbitraries.recursive(this::atoms, this::tagged, 0, 5);
  }

  private Arbitrary<Object> tagged(Arbitrary<Object> inner) {
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

  private Arbitrary<Object> atoms() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(-3, 5),
        Arbitraries.longs(),
        Arbitraries.of(1.5, Double.NaN, -0.0),
        Arbitraries.of("true", "false", "x", "y", "2020 7 11", "2020 7 11 1 2 3 4", "1 2 3", "-1 86399 5",
            "\u00e9", "9999 12 31 23 59 59 999999").map(ByteString::utf8),
        bytes());
  }
}
