package io.github.pb4j.jelly;

import static io.github.pb4j.jelly.testing.JellyAssertions.assertSameGraph;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.testing.JellyArbitraries;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
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
    return JellyArbitraries.values(false);
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
  void rejectsWhatItDoesNotKnow() {
    assertThatThrownBy(() -> PythonLiteral.parse("os.system('x')"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown name");
    assertThatThrownBy(() -> PythonLiteral.parse("[1, 2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonLiteral.parse("b'\u00e9'")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonLiteral.parse("1 2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PythonLiteral.parse("'\\x4'")).isInstanceOf(IllegalArgumentException.class);
  }
}
