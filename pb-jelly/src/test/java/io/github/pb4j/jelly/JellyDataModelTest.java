package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.Sexps.b;
import static io.github.pb4j.jelly.Sexps.hex;
import static io.github.pb4j.jelly.Sexps.pbHex;
import static io.github.pb4j.jelly.Sexps.sexp;
import static io.github.pb4j.jelly.Sexps.unicode;
import static io.github.pb4j.jelly.testing.JellyAssertions.assertSameGraph;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.testing.JellyCodec;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Each type of the data model ({@code docs/jelly-data-model.md}), both directions. */
class JellyDataModelTest {
  private final JellyCodec codec = JellyCodec.plain();

  /** Asserts {@code value} jellies to {@code expectedSexp} in both dialects. */
  private void assertJellies(@Nullable Object value, Object expectedSexp) {
    assertThat(codec.jellyHex(value, Dialect.NONE)).isEqualTo(hex(expectedSexp));
    assertThat(codec.jellyHex(value, Dialect.PB)).isEqualTo(pbHex(expectedSexp));
  }

  /** Asserts {@code sexp} unjellies to {@code expected}, type for type. */
  private void assertUnjellies(Object sexp, @Nullable Object expected) {
    assertSameGraph(expected, codec.unjellier().unjelly(sexp));
  }

  private void assertBothWays(@Nullable Object value, Object sexp) {
    assertJellies(value, sexp);
    assertUnjellies(sexp, value);
  }

  @Test
  void none() {
    assertBothWays(null, sexp(b("None")));
    assertThat(codec.jellyHex(null, Dialect.PB)).isEqualTo("01800187");
  }

  @Test
  void booleansAreTaggedNotIntegers() {
    assertBothWays(true, sexp(b("boolean"), b("true")));
    assertBothWays(false, sexp(b("boolean"), b("false")));
  }

  @Test
  void integersDecodeAsTheSmallestJavaTypeThatHoldsThem() {
    assertBothWays(0, 0);
    assertBothWays(-1, -1);
    assertBothWays(Integer.MAX_VALUE, Integer.MAX_VALUE);
    assertBothWays(Integer.MIN_VALUE, Integer.MIN_VALUE);
    assertBothWays(1L << 31, 1L << 31);
    assertBothWays(Long.MIN_VALUE, Long.MIN_VALUE);
    assertBothWays(BigInteger.ONE.shiftLeft(63), BigInteger.ONE.shiftLeft(63));
    BigInteger max = BigInteger.ONE.shiftLeft(448).subtract(BigInteger.ONE);
    assertBothWays(max, max);
    assertBothWays(max.negate(), max.negate());
  }

  @Test
  void shortByteAndSmallBigIntegerEncodeAsInts() {
    assertJellies((short) -300, -300);
    assertJellies((byte) 7, 7);
    assertJellies(BigInteger.valueOf(5), 5);
    assertUnjellies(5, 5);
  }

  @Test
  void integerBeyond448BitsIsRefusedBeforeAnythingIsWritten() {
    assertThatThrownBy(() -> codec.jellyHex(BigInteger.ONE.shiftLeft(448), Dialect.PB))
        .isInstanceOf(io.github.pb4j.banana.BananaException.class);
  }

  @Test
  void floats() {
    assertBothWays(1.5, 1.5);
    assertBothWays(-0.0, -0.0);
    assertBothWays(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
    assertThat(codec.jellyHex(Double.NaN, Dialect.PB)).isEqualTo("847ff8000000000000");
    // A NaN keeps its sign and payload, as struct.pack('!d') keeps them.
    assertThat(codec.jellyHex(Double.longBitsToDouble(0x7ff0000000000001L), Dialect.PB))
        .isEqualTo("847ff0000000000001");
    assertThat(codec.jellyHex(Double.longBitsToDouble(0xfff8000000000000L), Dialect.PB))
        .isEqualTo("84fff8000000000000");
  }

  @Test
  void floatEncodesAsItsDoubleValue() {
    assertJellies(0.1f, (double) 0.1f);
    assertUnjellies((double) 0.1f, (double) 0.1f);
  }

  @Test
  void bytesAreRawStrings() {
    assertBothWays(ByteString.ascii("hello"), ByteString.ascii("hello"));
    assertBothWays(ByteString.EMPTY, ByteString.EMPTY);
    assertJellies(new byte[] {0, (byte) 0xff}, ByteString.of((byte) 0, (byte) 0xff));
  }

  @Test
  void bytesEqualToAVocabularyWordTravelAsVocabInThePbDialect() {
    assertThat(codec.jellyHex(ByteString.ascii("remote"), Dialect.PB)).isEqualTo("1087");
    assertThat(codec.jellyHex(new byte[] {'N', 'o', 'n', 'e'}, Dialect.PB)).isEqualTo("0187");
    assertUnjellies(ByteString.ascii("None"), ByteString.ascii("None"));
  }

  @Test
  void textIsTaggedUtf8() {
    assertBothWays("hello", unicode("hello"));
    assertBothWays("", unicode(""));
    assertBothWays("a\0b", unicode("a\0b"));
    assertBothWays("h\u00e9 \u2603 \uD83D\uDE00", unicode("h\u00e9 \u2603 \uD83D\uDE00"));
    // The text 'None' is not None, though its UTF-8 bytes become a VOCAB token.
    assertThat(codec.jellyHex("None", Dialect.PB)).isEqualTo("02800782756e69636f64650187");
    assertUnjellies(unicode("None"), "None");
  }

  @Test
  void nonBmpCharactersAreFourUtf8BytesNotSurrogates() {
    assertThat(codec.jellyHex("\uD83D\uDE00", Dialect.NONE)).endsWith("04" + "82" + "f09f9880");
  }

  @Test
  void characterEncodesAsText() {
    assertJellies('x', unicode("x"));
  }

  @Test
  void lists() {
    assertBothWays(new ArrayList<>(), sexp(b("list")));
    assertBothWays(new ArrayList<>(List.of(1, "a")), sexp(b("list"), 1, unicode("a")));
    assertJellies(List.of(List.of(), List.of(2)), sexp(b("list"), sexp(b("list")), sexp(b("list"), 2)));
    assertThat(codec.unjellier().unjelly(sexp(b("list"), 1))).isInstanceOf(ArrayList.class);
  }

  @Test
  void tuplesAreNotLists() {
    assertBothWays(Tuple.of(), sexp(b("tuple")));
    assertBothWays(Tuple.of(1, null), sexp(b("tuple"), 1, sexp(b("None"))));
    assertThat(codec.roundTrip(Tuple.of(1), Dialect.PB)).isEqualTo(Tuple.of(1)).isNotInstanceOf(List.class);
  }

  @Test
  void dictsKeepInsertionOrderAndPairsAreUntagged() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put("b", 1);
    map.put(ByteString.ascii("a"), 2);
    map.put(Tuple.of(1, 2), List.of(3));
    map.put(null, 0.5);
    map.put(7, true);
    assertBothWays(map, sexp(b("dictionary"),
        sexp(unicode("b"), 1),
        sexp(b("a"), 2),
        sexp(sexp(b("tuple"), 1, 2), sexp(b("list"), 3)),
        sexp(sexp(b("None")), 0.5),
        sexp(7, sexp(b("boolean"), b("true")))));
    // A received dict is a mutable map that keeps wire order.
    @SuppressWarnings("unchecked")
    Map<Object, Object> received = (Map<Object, Object>) codec.unjellier().unjelly(sexp(b("dictionary"),
        sexp(unicode("z"), 1), sexp(unicode("a"), 2)));
    received.put("m", 3);
    assertThat(received.keySet()).containsExactly("z", "a", "m");
    assertThat(received).isEqualTo(Map.of("z", 1, "a", 2, "m", 3));
  }

  @Test
  void unhashableKeysAndSetElementsAreRefusedOnSend() {
    // Python could not hold these (TypeError: unhashable type), and our unjellier refuses them.
    Map<Object, Object> listKey = new LinkedHashMap<>();
    listKey.put(new ArrayList<>(List.of(1)), 1);
    Map<Object, Object> tupleWithMapKey = new LinkedHashMap<>();
    tupleWithMapKey.put(Tuple.of(1, Map.of()), 1);
    for (Object value : List.of(listKey, tupleWithMapKey, Set.of(List.of()), FrozenSet.of(new HashSet<>()),
        List.of(1, new LinkedHashSet<>(List.of(Tuple.of(new ArrayList<>())))))) {
      assertThatThrownBy(() -> codec.jellyHex(value, Dialect.PB))
          .isInstanceOf(JellyException.class)
          .hasMessageContaining("unhashable type");
    }
    Map<Object, Object> fine = new LinkedHashMap<>();
    fine.put(Tuple.of(1, FrozenSet.of(2), null), 1);
    fine.put(FrozenSet.of(Tuple.of()), 2);
    assertSameGraph(fine, codec.roundTrip(fine, Dialect.PB));
  }

  @Test
  void anyMapImplementationIsSentInItsIterationOrder() {
    Map<String, Integer> sorted = new TreeMap<>(Map.of("z", 1, "a", 2));
    assertJellies(sorted, sexp(b("dictionary"), sexp(unicode("a"), 2), sexp(unicode("z"), 1)));
  }

  @Test
  void setsAndFrozenSetsAreDistinct() {
    assertBothWays(new LinkedHashSet<>(List.of(1, 2)), sexp(b("set"), 1, 2));
    assertBothWays(new LinkedHashSet<>(), sexp(b("set")));
    assertBothWays(FrozenSet.of(3, "x"), sexp(b("frozenset"), 3, unicode("x")));
    assertBothWays(FrozenSet.of(), sexp(b("frozenset")));
    assertJellies(new HashSet<>(List.of(9)), sexp(b("set"), 9));
    assertJellies(Set.of(), sexp(b("set")));
    assertThat(codec.unjellier().unjelly(sexp(b("set"), 1))).isInstanceOf(LinkedHashSet.class);
    assertThat(codec.unjellier().unjelly(sexp(b("frozenset"), 1))).isInstanceOf(FrozenSet.class);
  }

  @Test
  void datetimeHasMicrosecondPrecision() {
    assertBothWays(LocalDateTime.of(2020, 7, 11, 1, 16, 5, 344_000),
        sexp(b("datetime"), b("2020 7 11 1 16 5 344")));
    assertBothWays(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000),
        sexp(b("datetime"), b("9999 12 31 23 59 59 999999")));
    // Nanoseconds below a microsecond are dropped.
    assertJellies(LocalDateTime.of(2001, 1, 1, 0, 0, 0, 1_999), sexp(b("datetime"), b("2001 1 1 0 0 0 1")));
  }

  @Test
  void dateAndTime() {
    assertBothWays(LocalDate.of(1, 1, 1), sexp(b("date"), b("1 1 1")));
    assertBothWays(LocalTime.of(1, 16, 5, 344_000), sexp(b("time"), b("1 16 5 344")));
    assertBothWays(LocalTime.MIDNIGHT, sexp(b("time"), b("0 0 0 0")));
    assertJellies(LocalTime.of(0, 0, 0, 999), sexp(b("time"), b("0 0 0 0")));
  }

  @Test
  void yearsOutsidePythonsRangeAreRefused() {
    assertThatThrownBy(() -> codec.jellyHex(LocalDate.of(0, 1, 1), Dialect.PB))
        .isInstanceOf(JellyException.class).hasMessageContaining("year: 0");
    assertThatThrownBy(() -> codec.jellyHex(LocalDateTime.of(10000, 1, 1, 0, 0), Dialect.PB))
        .isInstanceOf(JellyException.class).hasMessageContaining("year: 10000");
  }

  @Test
  void durationIsTimedeltaNormalisedLikePython() {
    assertBothWays(Duration.ofDays(8).plusSeconds(4565).plusNanos(344_000),
        sexp(b("timedelta"), b("8 4565 344")));
    assertBothWays(Duration.ofNanos(-1000), sexp(b("timedelta"), b("-1 86399 999999")));
    assertBothWays(Duration.ofDays(-3).plusHours(5), sexp(b("timedelta"), b("-3 18000 0")));
    assertBothWays(Duration.ZERO, sexp(b("timedelta"), b("0 0 0")));
  }

  @Test
  void durationBeyondPythonsTimedeltaIsRefused() {
    assertThatThrownBy(() -> codec.jellyHex(Duration.ofDays(1_000_000_000L), Dialect.PB))
        .isInstanceOf(JellyException.class).hasMessageContaining("timedelta days");
  }

  @Test
  void decimalIsCoefficientAndExponent() {
    assertBothWays(new BigDecimal("9.95"), sexp(b("decimal"), 995, -2));
    assertBothWays(new BigDecimal("1E+3"), sexp(b("decimal"), 1, 3));
    assertBothWays(new BigDecimal("0.000"), sexp(b("decimal"), 0, -3));
    assertBothWays(new BigDecimal("-12345678901234567890123456789.5"),
        sexp(b("decimal"), new BigInteger("-123456789012345678901234567895"), -1));
  }

  @Test
  void unpersistableKeepsItsReason() {
    assertBothWays(new Unpersistable("instance of class x.Y deemed insecure"),
        sexp(b("unpersistable"), b("instance of class x.Y deemed insecure")));
  }

  @Test
  void nullElementsInsideContainersAreNone() {
    List<Object> list = new ArrayList<>();
    list.add(null);
    assertBothWays(list, sexp(b("list"), sexp(b("None"))));
  }
}
