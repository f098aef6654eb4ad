package io.github.pb4j.jelly.testing;

import io.github.pb4j.banana.BananaDecoder;
import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.FrozenSet;
import io.github.pb4j.jelly.Tuple;
import io.github.pb4j.jelly.Unpersistable;
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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.jspecify.annotations.Nullable;

/**
 * jqwik generators for trees of Jelly values (no sharing, no cycles: see {@link
 * RandomJellyValues} for those), in the canonical types the unjellier returns: integers as the
 * smallest of Integer/Long/BigInteger, lists as ArrayList, dicts as LinkedHashMap, and so on.
 */
public final class JellyArbitraries {
  private static final BigInteger MAX_INT = BigInteger.ONE.shiftLeft(448).subtract(BigInteger.ONE);

  private JellyArbitraries() {}

  /**
   * Returns nested values of every data-model type, up to four levels deep.
   *
   * @param withTimeTypes whether to include datetime/date/time/timedelta and Unpersistable
   */
  public static Arbitrary<@Nullable Object> values(boolean withTimeTypes) {
    return values(withTimeTypes, withTimeTypes);
  }

  /**
   * Returns nested values of every data-model type, up to four levels deep.
   *
   * @param withTimeTypes whether to include datetime/date/time/timedelta
   * @param withUnpersistable whether to include Unpersistable (which {@link
   *     io.github.pb4j.jelly.PythonLiteral} does not parse)
   */
  public static Arbitrary<@Nullable Object> values(boolean withTimeTypes, boolean withUnpersistable) {
    return Arbitraries.recursive(
        () -> leaves(withTimeTypes, withUnpersistable), inner -> containers(inner, withTimeTypes), 0, 4);
  }

  private static Arbitrary<@Nullable Object> containers(Arbitrary<@Nullable Object> inner, boolean withTimeTypes) {
    Arbitrary<@Nullable Object> keys = hashables(withTimeTypes);
    return Arbitraries.oneOf(
        inner,
        inner.list().ofMaxSize(4).map(l -> new ArrayList<>(l)),
        inner.list().ofMaxSize(4).map(Tuple::copyOf),
        Arbitraries.maps(keys, inner).ofMaxSize(4).map(m -> new LinkedHashMap<>(m)),
        keys.set().ofMaxSize(4).map(s -> new LinkedHashSet<>(s)),
        keys.set().ofMaxSize(4).map(FrozenSet::copyOf));
  }

  /** Returns values Python can hash: atoms, text, bytes, dates, and tuples of those. */
  public static Arbitrary<@Nullable Object> hashables(boolean withTimeTypes) {
    Arbitrary<@Nullable Object> atoms = (withTimeTypes
        ? Arbitraries.oneOf(integers(), text(), bytes(), dates())
        : Arbitraries.oneOf(integers(), text(), bytes())).injectNull(0.05);
    return Arbitraries.oneOf(atoms, atoms.list().ofMaxSize(3).map(Tuple::copyOf));
  }

  private static Arbitrary<@Nullable Object> leaves(boolean withTimeTypes, boolean withUnpersistable) {
    List<Arbitrary<? extends @Nullable Object>> leaves = new ArrayList<>(List.of(
        Arbitraries.of(true, false), integers(), doubles(), text(), bytes(), decimals()));
    if (withTimeTypes) {
      leaves.add(dates());
      leaves.add(durations());
    }
    if (withUnpersistable) {
      leaves.add(text().map(t -> new Unpersistable((String) t)));
    }
    return Arbitraries.<@Nullable Object>oneOf(leaves).injectNull(0.05);
  }

  /** Integers up to 448 bits, as Integer, Long or BigInteger, whichever is smallest. */
  public static Arbitrary<Object> integers() {
    return Arbitraries.oneOf(
        Arbitraries.integers(),
        Arbitraries.longs(),
        Arbitraries.bigIntegers().between(MAX_INT.negate(), MAX_INT))
        .map(n -> BananaDecoder.narrow(new BigInteger(n.toString())));
  }

  /** Doubles of any bit pattern, with the special values often. */
  public static Arbitrary<Object> doubles() {
    return Arbitraries.oneOf(
        Arbitraries.doubles().withSpecialValue(Double.NaN).withSpecialValue(-0.0)
            .withSpecialValue(Double.POSITIVE_INFINITY).withSpecialValue(Double.NEGATIVE_INFINITY),
        Arbitraries.longs().map(Double::longBitsToDouble));
  }

  /** Text of any code points except lone surrogates, which have no UTF-8 form. */
  public static Arbitrary<Object> text() {
    return Arbitraries.integers().between(0, 0x10FFFF)
        .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
        .list().ofMaxSize(8)
        .map(cps -> {
          StringBuilder sb = new StringBuilder();
          cps.forEach(sb::appendCodePoint);
          return sb.toString();
        });
  }

  public static Arbitrary<Object> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(12).map(ByteString::of);
  }

  /** Decimals whose coefficient Banana can carry. */
  public static Arbitrary<Object> decimals() {
    return Arbitraries.bigIntegers().between(MAX_INT.negate(), MAX_INT)
        .flatMap(c -> Arbitraries.integers().between(-40, 40).map(scale -> new BigDecimal(c, scale)));
  }

  /** Datetimes, dates and times in Python's range, to the microsecond. */
  public static Arbitrary<Object> dates() {
    Arbitrary<LocalDate> date = Arbitraries.longs()
        .between(LocalDate.of(1, 1, 1).toEpochDay(), LocalDate.of(9999, 12, 31).toEpochDay())
        .map(LocalDate::ofEpochDay);
    Arbitrary<LocalTime> time = Arbitraries.longs().between(0, 86_399_999_999L)
        .map(micros -> LocalTime.ofNanoOfDay(micros * 1000));
    return Arbitraries.oneOf(date, time, Combinators.combine(date, time).as(LocalDateTime::of));
  }

  /** Durations in Python's timedelta range, to the microsecond. */
  public static Arbitrary<Object> durations() {
    return Combinators.combine(Arbitraries.longs().between(-999_999_999, 999_999_999),
            Arbitraries.longs().between(0, 86_399_999_999L))
        .as((days, micros) -> Duration.ofDays(days).plusNanos(micros * 1000));
  }
}
