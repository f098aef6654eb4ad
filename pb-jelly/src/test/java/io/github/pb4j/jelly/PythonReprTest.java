package io.github.pb4j.jelly;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.pb4j.banana.ByteString;
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
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link PythonRepr} renders each type as Python's {@code repr} does (the live interop test also
 * compares it with real Python for thousands of random values).
 */
class PythonReprTest {
  @Test
  void atoms() {
    assertThat(PythonRepr.of(null)).isEqualTo("None");
    assertThat(PythonRepr.of(true)).isEqualTo("True");
    assertThat(PythonRepr.of(false)).isEqualTo("False");
    assertThat(PythonRepr.of(-5)).isEqualTo("-5");
    assertThat(PythonRepr.of(1L << 40)).isEqualTo("1099511627776");
    assertThat(PythonRepr.of(BigInteger.TWO.pow(100))).isEqualTo("1267650600228229401496703205376");
    assertThat(PythonRepr.of((short) 3)).isEqualTo("3");
  }

  @Test
  void floats() {
    assertThat(PythonRepr.of(1.5)).isEqualTo("1.5");
    assertThat(PythonRepr.of(1.0)).isEqualTo("1.0");
    assertThat(PythonRepr.of(-0.0)).isEqualTo("-0.0");
    assertThat(PythonRepr.of(Double.NaN)).isEqualTo("nan");
    assertThat(PythonRepr.of(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    assertThat(PythonRepr.of(1e16)).isEqualTo("1e+16");
    assertThat(PythonRepr.of(1e15)).isEqualTo("1000000000000000.0");
    assertThat(PythonRepr.of(0.0001)).isEqualTo("0.0001");
    assertThat(PythonRepr.of(0.00001)).isEqualTo("1e-05");
    assertThat(PythonRepr.of(2e23)).isEqualTo("2e+23");
    assertThat(PythonRepr.of(0.1f)).isEqualTo("0.10000000149011612");
  }

  @Test
  void bytesAndText() {
    assertThat(PythonRepr.of(ByteString.of((byte) 0, (byte) 'a', (byte) 0xff, (byte) '\''))).isEqualTo("b\"\\x00a\\xff'\"");
    assertThat(PythonRepr.of(new byte[] {'x'})).isEqualTo("b'x'");
    assertThat(PythonRepr.of("it's")).isEqualTo("\"it's\"");
    assertThat(PythonRepr.of("both ' and \"")).isEqualTo("'both \\' and \"'");
    assertThat(PythonRepr.of("tab\there\n\u0000\u007f")).isEqualTo("'tab\\there\\n\\x00\\x7f'");
    assertThat(PythonRepr.of("h\u00e9 \u2603 \uD83D\uDE00 \u00a0\u00ad\u2028")).isEqualTo("'h\u00e9 \u2603 \uD83D\uDE00 \\xa0\\xad\\u2028'");
    assertThat(PythonRepr.of('c')).isEqualTo("'c'");
  }

  @Test
  void containers() {
    assertThat(PythonRepr.of(List.of())).isEqualTo("[]");
    assertThat(PythonRepr.of(List.of(1, "a"))).isEqualTo("[1, 'a']");
    assertThat(PythonRepr.of(Tuple.of())).isEqualTo("()");
    assertThat(PythonRepr.of(Tuple.of(1))).isEqualTo("(1,)");
    assertThat(PythonRepr.of(Tuple.of(1, 2))).isEqualTo("(1, 2)");
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put("k", null);
    map.put(Tuple.of(1), List.of());
    assertThat(PythonRepr.of(map)).isEqualTo("{'k': None, (1,): []}");
    assertThat(PythonRepr.of(new LinkedHashMap<>())).isEqualTo("{}");
    assertThat(PythonRepr.of(new LinkedHashSet<>())).isEqualTo("set()");
    assertThat(PythonRepr.of(new LinkedHashSet<>(List.of(2, 1)))).isEqualTo("{2, 1}");
    assertThat(PythonRepr.of(FrozenSet.of())).isEqualTo("frozenset()");
    assertThat(PythonRepr.of(FrozenSet.of(1, 2))).isEqualTo("frozenset({1, 2})");
  }

  @Test
  void cyclesAreElidedAsPythonDoes() {
    List<Object> x = new ArrayList<>();
    x.add(x);
    assertThat(PythonRepr.of(x)).isEqualTo("[[...]]");
    Map<Object, Object> d = new LinkedHashMap<>();
    d.put("self", d);
    assertThat(PythonRepr.of(d)).isEqualTo("{'self': {...}}");
    // Shared but not cyclic: printed in full each time.
    List<Object> a = new ArrayList<>(List.of(1));
    assertThat(PythonRepr.of(List.of(a, a))).isEqualTo("[[1], [1]]");
  }

  @Test
  void datesTimesAndDecimals() {
    assertThat(PythonRepr.of(LocalDateTime.of(2020, 7, 11, 1, 16, 5, 344_000)))
        .isEqualTo("datetime.datetime(2020, 7, 11, 1, 16, 5, 344)");
    assertThat(PythonRepr.of(LocalDateTime.of(2001, 1, 1, 0, 0))).isEqualTo("datetime.datetime(2001, 1, 1, 0, 0)");
    assertThat(PythonRepr.of(LocalDateTime.of(2001, 1, 1, 0, 0, 0, 5000)))
        .isEqualTo("datetime.datetime(2001, 1, 1, 0, 0, 0, 5)");
    assertThat(PythonRepr.of(LocalDate.of(1, 1, 1))).isEqualTo("datetime.date(1, 1, 1)");
    assertThat(PythonRepr.of(LocalTime.of(0, 0))).isEqualTo("datetime.time(0, 0)");
    assertThat(PythonRepr.of(LocalTime.of(1, 2, 3))).isEqualTo("datetime.time(1, 2, 3)");
    assertThat(PythonRepr.of(Duration.ZERO)).isEqualTo("datetime.timedelta(0)");
    assertThat(PythonRepr.of(Duration.ofNanos(-1000)))
        .isEqualTo("datetime.timedelta(days=-1, seconds=86399, microseconds=999999)");
    assertThat(PythonRepr.of(Duration.ofDays(2))).isEqualTo("datetime.timedelta(days=2)");
    assertThat(PythonRepr.of(new BigDecimal("9.95"))).isEqualTo("Decimal('9.95')");
    assertThat(PythonRepr.of(new BigDecimal("1E+3"))).isEqualTo("Decimal('1E+3')");
    assertThat(PythonRepr.of(new BigDecimal("0.000"))).isEqualTo("Decimal('0.000')");
    assertThat(PythonRepr.of(new BigDecimal("1E-10"))).isEqualTo("Decimal('1E-10')");
  }

  @Test
  void unpersistableAndForeignObjects() {
    assertThat(PythonRepr.of(new Unpersistable("why"))).isEqualTo("Unpersistable('why')");
    record Other(int a) {}
    assertThat(PythonRepr.of(new Other(1))).isEqualTo("<Other[a=1]>");
  }
}
