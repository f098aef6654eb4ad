package io.github.pb4j.jelly;

import io.github.pb4j.jelly.internal.TypeCoercion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.pb4j.banana.ByteString;
import io.github.pb4j.banana.Dialect;
import io.github.pb4j.jelly.testing.JellyArbitraries;
import io.github.pb4j.jelly.testing.JellyCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Rendering and hashing a peer's value cost time linear in what they produce, however much the
 * value shares: a list holding the same list twice, 30 levels deep, is a few hundred bytes on the
 * wire and 2^30 leaves when walked as a tree.
 */
class BoundedRenderingTest {
  private static final Duration FAST = Duration.ofSeconds(2);
  private static final JellyCodec CODEC = JellyCodec.plain();

  /** {@code x0 = [1]; x(k+1) = [xk, xk]}. */
  private static List<Object> sharedLists(int depth) {
    List<Object> x = new ArrayList<>(List.of(1));
    for (int i = 0; i < depth; i++) {
      x = new ArrayList<>(List.of(x, x));
    }
    return x;
  }

  /** {@code t0 = (1,); t(k+1) = (tk, tk)}. */
  private static Tuple sharedTuples(int depth) {
    Tuple t = Tuple.of(1);
    for (int i = 0; i < depth; i++) {
      t = Tuple.of(t, t);
    }
    return t;
  }

  @Test
  void typeErrorOnASharedValueIsFastAndShort() {
    Object received = CODEC.roundTrip(sharedLists(30), Dialect.PB);
    assertThat(((List<?>) received).get(0)).isSameAs(((List<?>) received).get(1));
    // x30 starts as "[" * 24 + repr(x6), which is longer than the 57 characters kept.
    String start = ("[".repeat(24) + LegacyRepr.of(sharedLists(6))).substring(0, 57);
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("k", received);
    assertTimeoutPreemptively(FAST, () -> {
      assertThatThrownBy(() -> TypeCoercion.coerce(received, String.class, "argument 'name'"))
          .isInstanceOf(TypeMismatchException.class)
          .hasMessage("argument 'name': list " + start + "... (expected: str)");
      assertThatThrownBy(() -> TypeCoercion.coerce(List.of(record, record), recordsType(), "argument 'x'"))
          .isInstanceOf(TypeMismatchException.class)
          .hasMessage("argument 'x' element 0['k']: list " + start + "... (expected: int in the range of int)");
    });
  }

  @SuppressWarnings("unused")
  private static void records(List<Map<String, Integer>> x) {}

  private static java.lang.reflect.Type recordsType() throws NoSuchMethodException {
    return BoundedRenderingTest.class.getDeclaredMethod("records", List.class).getGenericParameterTypes()[0];
  }

  @Test
  void coercingAValueThatSharesChecksEachSharedPartOnce() {
    // 3000 references to one list of 3000 ints: 9 million elements when walked as a tree.
    List<Object> ints = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      ints.add(i);
    }
    List<Object> outer = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      outer.add(ints);
    }
    List<List<Object>> deeper = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      deeper.add(outer);
    }
    assertTimeoutPreemptively(FAST, () -> {
      // (AssertJ would print these values in full, so plain comparisons.)
      List<?> coerced = (List<?>) TypeCoercion.coerce(deeper, nestedType(), "argument 'x'");
      assertThat(coerced.size()).isEqualTo(100);
      assertThat(coerced.get(0) == coerced.get(99)).as("still shared").isTrue();
      List<?> rows = (List<?>) TypeCoercion.coerce(outer, doublesType(), "argument 'x'");
      assertThat(rows.size()).isEqualTo(3000);
      assertThat(rows.get(0) == rows.get(2999)).as("still shared").isTrue();
      assertThat(((List<?>) rows.get(0)).get(2999)).isEqualTo(2999.0);
    });
  }

  @SuppressWarnings("unused")
  private static void nested(List<List<List<Integer>>> x, List<List<Double>> y) {}

  private static java.lang.reflect.Type nestedType() throws NoSuchMethodException {
    return BoundedRenderingTest.class.getDeclaredMethod("nested", List.class, List.class).getGenericParameterTypes()[0];
  }

  private static java.lang.reflect.Type doublesType() throws NoSuchMethodException {
    return BoundedRenderingTest.class.getDeclaredMethod("nested", List.class, List.class).getGenericParameterTypes()[1];
  }

  @Test
  void reprOfASharedValueIsBounded() {
    List<Object> value = sharedLists(30);
    assertTimeoutPreemptively(FAST, () -> {
      String full = PythonRepr.of(value);
      assertThat(full).hasSize(PythonRepr.DEFAULT_MAX_CHARS).endsWith("...");
      assertThat(PythonRepr.of(value, 20)).isEqualTo("[[[[[[[[[[[[[[[[[...");
      assertThat(sharedTuples(30).toString()).hasSize(PythonRepr.DEFAULT_MAX_CHARS);
    });
  }

  @Test
  void longTextIsCutWithoutReadingItAllAndNeverSplitsASurrogatePair() {
    assertThat(PythonRepr.of("x".repeat(10), 8)).isEqualTo("'xxxx...");
    assertThat(PythonRepr.of("x".repeat(4), 8)).isEqualTo("'xxxx'");
    assertThat(PythonRepr.of("xxxx\uD83D\uDE00y", 8)).isEqualTo("'xxxx...");
    assertThat(PythonRepr.of("xxx\uD83D\uDE00", 8)).isEqualTo("'xxx\uD83D\uDE00'");
    assertThat(PythonRepr.of("xx\uD83D\uDE00yyy", 8)).isEqualTo("'xx\uD83D\uDE00...");
    assertThat(PythonRepr.of("xxx\uD83D\uDE00yy", 8)).isEqualTo("'xxx...");
    assertThat(PythonRepr.of(ByteString.ascii("it's" + "y".repeat(100)), 10)).isEqualTo("b\"it'sy...");
    assertThatThrownBy(() -> PythonRepr.of(1, 2)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cyclesAndForeignObjectsStayBounded() {
    List<Object> x = new ArrayList<>();
    x.add(x);
    x.add(x);
    assertThat(PythonRepr.of(x)).isEqualTo("[[...], [...]]");
    record Holder(Object value) {}
    assertTimeoutPreemptively(FAST, () ->
        assertThat(PythonRepr.of(new Holder(sharedLists(30)), 30)).isEqualTo("<Holder[value=[[[[[[[[[[[[[..."));
    Object chatty = new Object() {
      @Override
      public String toString() {
        return "z".repeat(1000);
      }
    };
    assertThat(PythonRepr.of(List.of(chatty), 10)).isEqualTo("[<zzzzz...");
  }

  @Test
  void aSetOfSharedTuplesIsBuiltAndComparedFast() {
    assertTimeoutPreemptively(FAST, () -> {
      Tuple t = sharedTuples(30);
      Tuple same = sharedTuples(30);
      Set<Object> set = new HashSet<>();
      set.add(t);
      assertThat(set.contains(same)).isTrue();
      assertThat(t).isEqualTo(same).hasSameHashCodeAs(same);
      assertThat(t.hashCode()).isEqualTo(java.util.Arrays.hashCode(new Object[] {t.get(0), t.get(1)}));
      Tuple other = Tuple.of(sharedTuples(29), Tuple.of(sharedTuples(28), sharedTuples(27)));
      assertThat(t).isNotEqualTo(other);
      FrozenSet f = FrozenSet.of(t, 1);
      assertThat(f).isEqualTo(FrozenSet.of(same, 1)).isEqualTo(Set.of(1, same));
      assertThat(f.hashCode()).isEqualTo(t.hashCode() + 1);
    });
  }

  @Test
  void receivingASetOfSharedTuplesIsFast() {
    Tuple t = sharedTuples(30);
    assertTimeoutPreemptively(FAST, () -> {
      Set<Object> set = new LinkedHashSet<>();
      set.add(t);
      Map<Object, Object> dict = new LinkedHashMap<>();
      dict.put(t, 1);
      // The tuple was jellied with references (one per shared tuple) and read back as the same DAG.
      String hex = CODEC.jellyHex(List.of(set, FrozenSet.of(t, Tuple.of(t)), dict), Dialect.PB);
      List<?> back = (List<?>) CODEC.unjellyHex(hex, Dialect.PB);
      assertThat(back.get(0)).isEqualTo(set);
      assertThat((Set<?>) back.get(1)).hasSize(2);
      assertThat(((Set<?>) back.get(1)).contains(t)).isTrue();
      assertThat(back.get(2)).isEqualTo(dict);
    });
  }

  @Test
  void receivedDictsThatShareAreHashedAndComparedFast() {
    Map<String, Object> dict = new LinkedHashMap<>();
    dict.put("k", sharedLists(30));
    dict.put("t", Tuple.of(sharedLists(30)));
    String hex = CODEC.jellyHex(dict, Dialect.PB);
    Map<?, ?> one = (Map<?, ?>) CODEC.unjellyHex(hex, Dialect.PB);
    Map<?, ?> two = (Map<?, ?>) CODEC.unjellyHex(hex, Dialect.PB);
    Map<String, Object> other = new LinkedHashMap<>();
    other.put("k", sharedLists(29));
    other.put("t", Tuple.of(sharedLists(30)));
    Map<?, ?> three = (Map<?, ?>) CODEC.roundTrip(other, Dialect.PB);
    assertTimeoutPreemptively(FAST, () -> {
      assertThat(one.equals(two)).isTrue();
      assertThat(one.hashCode()).isEqualTo(two.hashCode());
      assertThat(one.equals(three)).isFalse();
      assertThat(((Tuple) one.get("t")).equals(two.get("t"))).isTrue();
      assertThat(((Tuple) one.get("t")).hashCode()).isEqualTo(two.get("t").hashCode());
    });
  }

  @Property(tries = 300)
  void receivedDictsHashAndCompareAsMapsDo(@ForAll("keys") @Nullable Object key, @ForAll("values") @Nullable Object value) {
    Map<Object, Object> dict = new LinkedHashMap<>();
    dict.put(key, value);
    dict.put("v", Tuple.of(value, List.of(dict.size())));
    Map<?, ?> received = (Map<?, ?>) CODEC.roundTrip(dict, Dialect.PB);
    assertThat(received).isInstanceOf(CompactDict.class);
    Map<?, ?> copy = new LinkedHashMap<>(received);
    assertThat(received.hashCode()).isEqualTo(copy.hashCode());
    assertThat(received.equals(copy)).isEqualTo(copy.equals(received));
    assertThat(received.equals(CODEC.roundTrip(dict, Dialect.PB))).isEqualTo(copy.equals(received));
    assertThat(received.get("v").hashCode()).isEqualTo(java.util.Arrays.hashCode(((Tuple) received.get("v")).asList().toArray()));
  }

  @Test
  void aTupleHoldingAListStillHashesByItsCurrentContents() {
    List<Object> list = new ArrayList<>(List.of(1));
    Tuple t = Tuple.of(list);
    int before = t.hashCode();
    list.add(2);
    assertThat(t.hashCode()).isNotEqualTo(before).isEqualTo(Tuple.of(List.of(1, 2)).hashCode());
  }

  // ------------------------------------------------------------------ the old rendering, cut

  @Property(tries = 1000)
  void boundedRenderingIsTheFullRenderingCut(
      @ForAll("values") @Nullable Object value, @ForAll @IntRange(min = 3, max = 200) int max) {
    assertThat(PythonRepr.of(value, max)).isEqualTo(cut(LegacyRepr.of(value), max));
    assertThat(PythonRepr.of(value)).isEqualTo(cut(LegacyRepr.of(value), PythonRepr.DEFAULT_MAX_CHARS));
  }

  @Provide
  Arbitrary<@Nullable Object> keys() {
    return JellyArbitraries.hashables(true);
  }

  @Provide
  Arbitrary<@Nullable Object> values() {
    return Arbitraries.oneOf(JellyArbitraries.values(true), Arbitraries.strings().ofMaxLength(300).map(s -> s));
  }

  /** Cuts {@code text} to {@code max} characters, the last three {@code ...}, keeping surrogate pairs whole. */
  private static String cut(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    int end = max - 3;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + "...";
  }
}
