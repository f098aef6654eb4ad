package io.github.pb4j.interop.broker;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.jelly.FrozenSet;
import io.github.pb4j.jelly.Tuple;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The values of the echo scenarios: each with its name, its Java form and its canonical text
 * (Python's repr, see {@link Canonical}). Twin of {@code VALUES} in {@code broker_common.py}, which
 * holds the Python form under the same names; the Twisted-to-Twisted suite proves each text is what
 * Python itself prints.
 *
 * <p><em>Immutable.</em>
 */
final class BrokerValues {
  /** One value. */
  record Value(String name, @Nullable Object java, String repr) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Value> ALL =
      List.of(
          v("none", null, "None"),
          v("true", true, "True"),
          v("false", false, "False"),
          v("int_zero", 0, "0"),
          v("int_small", 7, "7"),
          v("int_negative", -1, "-1"),
          v("int_2_31", 1L << 31, "2147483648"),
          v("int_minus_2_31_minus_1", -(1L << 31) - 1, "-2147483649"),
          v("int_2_63", BigInteger.TWO.pow(63), "9223372036854775808"),
          v("int_2_100", BigInteger.TWO.pow(100), "1267650600228229401496703205376"),
          v(
              "int_minus_2_100",
              BigInteger.TWO.pow(100).negate(),
              "-1267650600228229401496703205376"),
          v("float", 0.1, "0.1"),
          v("float_minus_zero", -0.0, "-0.0"),
          v("float_inf", Double.POSITIVE_INFINITY, "inf"),
          v("float_minus_inf", Double.NEGATIVE_INFINITY, "-inf"),
          v("float_nan", Double.NaN, "nan"),
          v("float_big", 1e100, "1e+100"),
          v("float_tiny", Double.MIN_VALUE, "5e-324"),
          v("bytes", ByteString.fromHex("00ff68656c6c6f"), "b'\\x00\\xffhello'"),
          v("bytes_empty", ByteString.EMPTY, "b''"),
          v("bytes_remote", ascii("remote"), "b'remote'"),
          v(
              "bytes_vocabulary",
              list(
                  ascii("local"),
                  ascii("None"),
                  ascii("dictionary"),
                  ascii("message"),
                  ascii("tuple"),
                  ascii("version")),
              "[b'local', b'None', b'dictionary', b'message', b'tuple', b'version']"),
          v("str", "h\u00e9llo", "'h\u00e9llo'"),
          v("str_empty", "", "''"),
          v("str_non_bmp", "a\uD83D\uDE00b\uD800\uDF48", "'a\uD83D\uDE00b\uD800\uDF48'"),
          v("str_remote", "remote", "'remote'"),
          v("str_quotes", "it's \"quoted\"\n", "'it\\'s \"quoted\"\\n'"),
          v("list", list(1, "two", ascii("three"), null, 4.5), "[1, 'two', b'three', None, 4.5]"),
          v("list_empty", list(), "[]"),
          v("list_nested", list(list(1, list(2, list(3))), list()), "[[1, [2, [3]]], []]"),
          v("tuple", Tuple.of(1, "a"), "(1, 'a')"),
          v("tuple_single", Tuple.of(1), "(1,)"),
          v("tuple_empty", Tuple.of(), "()"),
          v("dict", map("a", 1, "b", list(2, 3)), "{'a': 1, 'b': [2, 3]}"),
          v("dict_empty", map(), "{}"),
          v(
              "dict_tuple_keys",
              map(Tuple.of(1, 2), "x", Tuple.of("a"), "y", Tuple.of(), "z"),
              "{(1, 2): 'x', ('a',): 'y', (): 'z'}"),
          v(
              "dict_mixed_keys",
              map(1, "one", ascii("two"), 2, 3.5, null, null, true),
              "{1: 'one', b'two': 2, 3.5: None, None: True}"),
          v("set", set(1, 2, 3), "{1, 2, 3}"),
          v("set_empty", set(), "set()"),
          v("frozenset", FrozenSet.of("a", "b"), "frozenset({'a', 'b'})"),
          v("frozenset_empty", FrozenSet.of(), "frozenset()"),
          v("bool_and_int", list(true, 1, false, 0), "[True, 1, False, 0]"),
          v(
              "datetime",
              LocalDateTime.of(2020, 7, 11, 12, 30, 15, 123_456_000),
              "datetime.datetime(2020, 7, 11, 12, 30, 15, 123456)"),
          v(
              "datetime_midnight",
              LocalDateTime.of(1999, 12, 31, 0, 0),
              "datetime.datetime(1999, 12, 31, 0, 0)"),
          v("date", LocalDate.of(2020, 7, 11), "datetime.date(2020, 7, 11)"),
          v("time", LocalTime.of(23, 59, 58, 999_000), "datetime.time(23, 59, 58, 999)"),
          v(
              "timedelta",
              Duration.ofDays(1).plusSeconds(3600).plusNanos(5_000),
              "datetime.timedelta(days=1, seconds=3600, microseconds=5)"),
          v(
              "timedelta_negative",
              Duration.ofSeconds(-1),
              "datetime.timedelta(days=-1, seconds=86399)"),
          v("decimal", new BigDecimal("3.14159"), "Decimal('3.14159')"),
          v("decimal_exponent", new BigDecimal("-1.5E-10"), "Decimal('-1.5E-10')"),
          v(
              "decimal_big",
              new BigDecimal("12345678901234567890.000001"),
              "Decimal('12345678901234567890.000001')"),
          v(
              "nested",
              map(
                  "k",
                  list(Tuple.of(1, 2.5), map(ascii("x"), set(3)), FrozenSet.of(Tuple.of(1, 2)))),
              "{'k': [(1, 2.5), {b'x': {3}}, frozenset({(1, 2)})]}"));

  private BrokerValues() {}

  static List<Value> all() {
    return ALL;
  }

  static Value named(String name) {
    return ALL.stream()
        .filter(v -> v.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no value " + name));
  }

  private static Value v(String name, @Nullable Object java, String repr) {
    return new Value(name, java, repr);
  }

  private static ByteString ascii(String s) {
    return ByteString.ascii(s);
  }

  private static List<@Nullable Object> list(@Nullable Object... items) {
    return new ArrayList<>(Arrays.asList(items));
  }

  private static Set<@Nullable Object> set(@Nullable Object... items) {
    return new LinkedHashSet<>(Arrays.asList(items));
  }

  private static Map<@Nullable Object, @Nullable Object> map(@Nullable Object... keysAndValues) {
    Map<@Nullable Object, @Nullable Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }
}
