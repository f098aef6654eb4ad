package io.github.pb4j.jelly;

import io.github.pb4j.jelly.internal.TypeCoercion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.pb4j.banana.ByteString;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The rules by which received values meet Java types. */
class TypeCoercionTest {
  /** Holds generic field types to coerce to. */
  @SuppressWarnings("unused")
  private static final class Targets {
    List<Integer> listOfInt;
    List<Long> listOfLong;
    List<String> listOfString;
    Map<String, Double> mapOfDouble;
    Set<Long> setOfLong;
    Collection<Integer> collectionOfInt;
    List<?> wildcard;
    List<? extends Number> boundedWildcard;
  }

  private static Type field(String name) {
    try {
      return Targets.class.getDeclaredField(name).getGenericType();
    } catch (NoSuchFieldException e) {
      throw new AssertionError(e);
    }
  }

  private static @Nullable Object coerce(@Nullable Object value, Type type) {
    return TypeCoercion.coerce(value, type, "arg");
  }

  private static void assertMismatch(@Nullable Object value, Type type, String message) {
    assertThatThrownBy(() -> coerce(value, type))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessage(message)
        .extracting(e -> ((JellyException) e).twistedType())
        .isEqualTo("builtins.TypeError");
  }

  @Test
  void bytesNeverBecomeTextNorTheReverse() {
    assertMismatch(ByteString.ascii("x"), String.class, "arg: bytes b'x' (expected: str)");
    assertMismatch("x", ByteString.class, "arg: str 'x' (expected: bytes)");
    assertMismatch("x", byte[].class, "arg: str 'x' (expected: bytes)");
    assertThat(coerce(ByteString.ascii("x"), byte[].class)).isEqualTo(new byte[] {'x'});
  }

  @Test
  void integersNarrowOnlyWhenInRange() {
    assertThat(coerce(5, long.class)).isEqualTo(5L);
    assertThat(coerce(5, Long.class)).isEqualTo(5L);
    assertThat(coerce(5L, int.class)).isEqualTo(5);
    assertThat(coerce(-128, byte.class)).isEqualTo((byte) -128);
    assertThat(coerce(32767, short.class)).isEqualTo((short) 32767);
    assertThat(coerce(7, BigInteger.class)).isEqualTo(BigInteger.valueOf(7));
    assertThat(coerce(1L << 40, BigInteger.class)).isEqualTo(BigInteger.ONE.shiftLeft(40));
    assertMismatch(1L << 40, int.class, "arg: int 1099511627776 (expected: int in the range of int)");
    assertMismatch(128, byte.class, "arg: int 128 (expected: int in the range of byte)");
    assertMismatch(BigInteger.ONE.shiftLeft(70), long.class,
        "arg: int 1180591620717411303424 (expected: int in the range of long)");
  }

  @Test
  void boolIsNotAnInteger() {
    assertMismatch(true, int.class, "arg: bool True (expected: int in the range of int)");
    assertMismatch(false, double.class, "arg: bool False (expected: float)");
    assertMismatch(1, boolean.class, "arg: int 1 (expected: bool)");
    assertMismatch(1, Boolean.class, "arg: int 1 (expected: bool)");
    assertThat(coerce(true, boolean.class)).isEqualTo(true);
    assertThat(coerce(false, Boolean.class)).isEqualTo(false);
  }

  @Test
  void integersAreAcceptedWhereFloatsAreMeant() {
    assertThat(coerce(3, double.class)).isEqualTo(3.0);
    assertThat(coerce(3L << 40, Double.class)).isEqualTo((double) (3L << 40));
    assertThat(coerce(BigInteger.TEN.pow(30), double.class)).isEqualTo(1e30);
    assertThat(coerce(1.5, float.class)).isEqualTo(1.5f);
    assertMismatch(1.5, int.class, "arg: float 1.5 (expected: int in the range of int)");
    assertMismatch("1.5", double.class, "arg: str '1.5' (expected: float)");
  }

  @Test
  void floatsRoundAsPythonsFloatDoesButTooLargeIsRefused() {
    // float(2**53 + 1) == 2**53 in Python too.
    assertThat(coerce((1L << 53) + 1, double.class)).isEqualTo((double) (1L << 53));
    assertThat(coerce(0.1, float.class)).isEqualTo(0.1f);
    assertThat(coerce(Double.POSITIVE_INFINITY, float.class)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat((Float) coerce(Double.NaN, float.class)).isNaN();
    // float(10**400) raises OverflowError; a float beyond 3.4e38 does not fit a Java float.
    assertThatThrownBy(() -> coerce(BigInteger.TEN.pow(400), double.class))
        .isInstanceOf(TypeMismatchException.class);
    assertThatThrownBy(() -> coerce(1e300, float.class)).isInstanceOf(TypeMismatchException.class);
    assertThatThrownBy(() -> coerce(BigInteger.TEN.pow(100), Float.class))
        .isInstanceOf(TypeMismatchException.class);
  }

  @Test
  void noneFitsEveryReferenceTypeButNoPrimitive() {
    assertThat(coerce(null, String.class)).isNull();
    assertThat(coerce(null, Integer.class)).isNull();
    assertThat(coerce(null, field("listOfInt"))).isNull();
    assertMismatch(null, int.class, "arg: NoneType None (expected: int in the range of int)");
    assertMismatch(null, boolean.class, "arg: NoneType None (expected: bool)");
  }

  @Test
  void containersKeepPythonsDistinctions() {
    assertMismatch(new ArrayList<>(List.of(1)), Tuple.class, "arg: list [1] (expected: tuple)");
    assertMismatch(new LinkedHashSet<>(List.of(1)), FrozenSet.class, "arg: set {1} (expected: FrozenSet)");
    assertMismatch(new LinkedHashMap<>(), List.class, "arg: dict {} (expected: list)");
    assertThat(coerce(FrozenSet.of(1), Set.class)).isEqualTo(Set.of(1));
    // Collection and Iterable take any sequence, tuples included.
    assertThat(coerce(Tuple.of(1, 2), Collection.class)).isEqualTo(List.of(1, 2));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aTupleBindsToAListReadOnlyButStrAndBytesStayApart() {
    // Python code that takes a sequence accepts a tuple as well as a list: so does a List parameter.
    Object fromTuple = coerce(Tuple.of(1, 2), List.class);
    assertThat(fromTuple).isInstanceOf(List.class).isEqualTo(List.of(1, 2));
    assertThatThrownBy(() -> ((List<Object>) fromTuple).add(3)).isInstanceOf(UnsupportedOperationException.class);
    Object converted = coerce(Tuple.of(1, 2), field("listOfLong"));
    assertThat(converted).isEqualTo(List.of(1L, 2L));
    assertThatThrownBy(() -> ((List<Object>) converted).add(3L)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(coerce(Tuple.of(1, 2), field("collectionOfInt"))).isEqualTo(List.of(1, 2));
    assertThat((Iterable<Object>) coerce(Tuple.of(1, 2), Iterable.class)).containsExactly(1, 2);
    // A list still is not a tuple, and str and bytes stay apart inside a tuple.
    assertMismatch(new ArrayList<>(List.of(1)), Tuple.class, "arg: list [1] (expected: tuple)");
    assertThatThrownBy(() -> coerce(Tuple.of("a", ByteString.ascii("b")), field("listOfString")))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessage("arg element 1: bytes b'b' (expected: str)");
    assertMismatch(Tuple.of(1), Set.class, "arg: tuple (1,) (expected: set)");
  }

  @Test
  void elementsOfParameterisedTypesAreCheckedAndConverted() {
    List<Object> ints = new ArrayList<>(List.of(1, 2));
    assertThat(coerce(ints, field("listOfInt"))).isSameAs(ints);
    assertThat(coerce(ints, field("listOfLong"))).isEqualTo(List.of(1L, 2L));
    assertThat(coerce(ints, field("wildcard"))).isSameAs(ints);
    assertThat(coerce(ints, field("boundedWildcard"))).isSameAs(ints);
    assertThat(coerce(Tuple.of(1, 2), field("collectionOfInt"))).isEqualTo(List.of(1, 2));
    Object longs = coerce(FrozenSet.of(1, 2), field("setOfLong"));
    assertThat(longs).isInstanceOf(FrozenSet.class).isEqualTo(Set.of(1L, 2L));
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put("a", 1);
    assertThat(coerce(m, field("mapOfDouble"))).isEqualTo(Map.of("a", 1.0));
    assertThatThrownBy(() -> coerce(new ArrayList<>(List.of("a", ByteString.ascii("b"))), field("listOfString")))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessage("arg element 1: bytes b'b' (expected: str)");
    Map<Object, Object> bytesKey = new LinkedHashMap<>();
    bytesKey.put(ByteString.ascii("a"), 1);
    assertThatThrownBy(() -> coerce(bytesKey, field("mapOfDouble")))
        .isInstanceOf(TypeMismatchException.class)
        .hasMessage("arg key: bytes b'a' (expected: str)");
  }

  @Test
  void otherTypesMustBeInstances() {
    assertThat(coerce(LocalDate.of(2020, 1, 1), LocalDate.class)).isEqualTo(LocalDate.of(2020, 1, 1));
    assertMismatch(LocalDateTime.of(2020, 1, 1, 0, 0), LocalDate.class,
        "arg: datetime.datetime datetime.datetime(2020, 1, 1, 0, 0) (expected: LocalDate)");
    assertThat(coerce(Duration.ZERO, Object.class)).isEqualTo(Duration.ZERO);
    assertThat(coerce(new BigDecimal("1.0"), Number.class)).isEqualTo(new BigDecimal("1.0"));
    assertMismatch(LocalTime.NOON, Duration.class,
        "arg: datetime.time datetime.time(12, 0) (expected: Duration)");
  }

  @Test
  void pythonTypeNames() {
    assertThat(TypeCoercion.pythonTypeName(null)).isEqualTo("NoneType");
    assertThat(TypeCoercion.pythonTypeName(true)).isEqualTo("bool");
    assertThat(TypeCoercion.pythonTypeName(BigInteger.ONE)).isEqualTo("int");
    assertThat(TypeCoercion.pythonTypeName(1.0)).isEqualTo("float");
    assertThat(TypeCoercion.pythonTypeName("")).isEqualTo("str");
    assertThat(TypeCoercion.pythonTypeName(ByteString.EMPTY)).isEqualTo("bytes");
    assertThat(TypeCoercion.pythonTypeName(Tuple.of())).isEqualTo("tuple");
    assertThat(TypeCoercion.pythonTypeName(List.of())).isEqualTo("list");
    assertThat(TypeCoercion.pythonTypeName(Map.of())).isEqualTo("dict");
    assertThat(TypeCoercion.pythonTypeName(Set.of())).isEqualTo("set");
    assertThat(TypeCoercion.pythonTypeName(FrozenSet.of())).isEqualTo("frozenset");
    assertThat(TypeCoercion.pythonTypeName(Duration.ZERO)).isEqualTo("datetime.timedelta");
    assertThat(TypeCoercion.pythonTypeName(BigDecimal.ONE)).isEqualTo("decimal.Decimal");
  }
}
