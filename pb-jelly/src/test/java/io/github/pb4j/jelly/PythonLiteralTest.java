package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.testing.JellyAssertions.assertSameGraph;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.testing.JellyArbitraries;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** {@link PythonLiteral} reads what {@link PythonRepr} writes, and Python's own notation. */
class PythonLiteralTest {
  @Property(tries = 500)
  void parsesWhatPythonReprWrites(@ForAll("values") @Nullable Object value) {
    assertSameGraph(value, PythonLiteral.parse(PythonRepr.of(value)));
  }

  @Provide
  Arbitrary<@Nullable Object> values() {
    return JellyArbitraries.values(true, false);
  }

  @Test
  void parsesPythonNotation() {
    List<@Nullable Object> expected = new ArrayList<>(Arrays.asList(1, "a", ByteString.ascii("b"), null, true, 2.5, -3));
    assertSameGraph(expected, PythonLiteral.parse(" [1, 'a', b'b', None, True, 2.5, -3] "));
    assertSameGraph(Tuple.of(1), PythonLiteral.parse("(1,)"));
    assertSameGraph(1, PythonLiteral.parse("(1)"));
    assertSameGraph(Tuple.of(), PythonLiteral.parse("()"));
    assertSameGraph(new java.util.LinkedHashMap<>(Map.of("k", 0x10)), PythonLiteral.parse("{'k': 0x10,}"));
    assertSameGraph(FrozenSet.of(1, 2), PythonLiteral.parse("frozenset({1, 2})"));
    assertSameGraph(FrozenSet.of(), PythonLiteral.parse("frozenset()"));
    assertSameGraph(new BigDecimal("1E+3"), PythonLiteral.parse("Decimal('1E+3')"));
    assertSameGraph(Double.NEGATIVE_INFINITY, PythonLiteral.parse("-inf"));
    assertSameGraph(Double.NaN, PythonLiteral.parse("float('nan')"));
    assertSameGraph("\uD83D\uDE00\u00e9\n", PythonLiteral.parse("'\\U0001f600\\xe9\\n'"));
    assertSameGraph(ByteString.of((byte) 0xff, (byte) 'x'), PythonLiteral.parse("b'\\xffx'"));
    assertSameGraph(1_000_000, PythonLiteral.parse("1_000_000"));
  }

  @Test
  void parsesPythonCallsWithPositionalOrKeywordArguments() {
    assertSameGraph(LocalDateTime.of(2020, 7, 11, 1, 16, 5, 344_000),
        PythonLiteral.parse("datetime.datetime(2020, 7, 11, 1, 16, 5, 344)"));
    assertSameGraph(LocalDateTime.of(2020, 7, 11, 0, 0),
        PythonLiteral.parse("datetime.datetime(2020, 7, day=11, minute=0)"));
    assertSameGraph(LocalDate.of(1, 1, 1), PythonLiteral.parse("datetime.date(1, 1, 1)"));
    assertSameGraph(LocalTime.of(0, 0), PythonLiteral.parse("datetime.time()"));
    assertSameGraph(LocalTime.of(1, 16, 5, 344_000), PythonLiteral.parse("datetime.time(1, 16, 5, 344)"));
    assertSameGraph(Duration.ofDays(-1).plusSeconds(86399).plusNanos(999_999_000),
        PythonLiteral.parse("datetime.timedelta(days=-1, seconds=86399, microseconds=999999)"));
    assertSameGraph(Duration.ofHours(26).plusMillis(5),
        PythonLiteral.parse("datetime.timedelta(1, hours=2, milliseconds=5)"));
    assertSameGraph(Duration.ZERO, PythonLiteral.parse("datetime.timedelta(0)"));
    assertSameGraph(Double.NEGATIVE_INFINITY, PythonLiteral.parse("float('-inf')"));
    assertSameGraph(Double.POSITIVE_INFINITY, PythonLiteral.parse("float('Infinity')"));
    assertSameGraph(new LinkedHashSet<>(List.of(1, 2)), PythonLiteral.parse("set([1, 2])"));
    assertSameGraph(FrozenSet.of(1), PythonLiteral.parse("frozenset((1,))"));
  }

  @Test
  void rejectsCallsPythonWouldReject() {
    assertThatThrownBy(() -> PythonLiteral.parse("datetime.date(2020, 2, 30)"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("datetime.date()");
    assertThatThrownBy(() -> PythonLiteral.parse("datetime.date(2020, 2)"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing argument 'day'");
    assertThatThrownBy(() -> PythonLiteral.parse("datetime.datetime(2020, 1, 1, tzinfo=None)"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unexpected keyword argument 'tzinfo'");
    assertThatThrownBy(() -> PythonLiteral.parse("datetime.timedelta(days=1, days=2)"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonLiteral.parse("datetime.timedelta(days=1, 2)"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonLiteral.parse("float('pi')"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsWhatItDoesNotKnow() {
    assertThatThrownBy(() -> PythonLiteral.parse("os.system('x')"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown name");
    assertThatThrownBy(() -> PythonLiteral.parse("[1, 2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonLiteral.parse("b'\u00e9'")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonLiteral.parse("1 2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonLiteral.parse("'\\x4'")).isInstanceOf(IllegalArgumentException.class);
  }
}
