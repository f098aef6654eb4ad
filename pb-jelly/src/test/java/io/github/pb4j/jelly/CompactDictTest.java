package io.github.pb4j.jelly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The map received dicts become behaves exactly as a {@link LinkedHashMap} under any sequence of
 * operations, through the compact form and after it grows into the large one.
 */
class CompactDictTest {
  /** One operation, applied to both maps; {@code key} from a small set so that keys repeat. */
  record Op(int kind, @Nullable Object key, int value) {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<@Nullable Object> keys = Arbitraries.oneOf(
        Arbitraries.integers().between(0, 12).map(i -> (Object) i),
        Arbitraries.of("a", "b", "c"),
        Arbitraries.just(null));
    return Arbitraries.integers().between(0, 9)
        .flatMap(kind -> keys.flatMap(k -> Arbitraries.integers().between(0, 99).map(v -> new Op(kind, k, v))))
        .list().ofMaxSize(60);
  }

  @Property(tries = 500)
  void behavesAsALinkedHashMap(@ForAll("operations") List<Op> ops, @ForAll("expected") int expected) {
    Map<@Nullable Object, @Nullable Object> dict = new CompactDict(expected);
    Map<@Nullable Object, @Nullable Object> model = new LinkedHashMap<>();
    for (Op op : ops) {
      switch (op.kind()) {
        case 0, 1, 2, 3 -> assertThat(dict.put(op.key(), op.value())).isEqualTo(model.put(op.key(), op.value()));
        case 4 -> assertThat(dict.remove(op.key())).isEqualTo(model.remove(op.key()));
        case 5 -> {
          assertThat(dict.get(op.key())).isEqualTo(model.get(op.key()));
          assertThat(dict.containsKey(op.key())).isEqualTo(model.containsKey(op.key()));
        }
        case 6 -> removeThroughIterator(dict, model, op.value());
        case 7 -> setThroughEntries(dict, model, op.value());
        case 8 -> {
          if (op.value() < 5) {
            dict.clear();
            model.clear();
          }
        }
        default -> {
          List<Object> seen = new ArrayList<>();
          dict.forEach((k, v) -> seen.add(k + "=" + v));
          List<Object> expectedSeen = new ArrayList<>();
          model.forEach((k, v) -> expectedSeen.add(k + "=" + v));
          assertThat(seen).isEqualTo(expectedSeen);
        }
      }
      assertSame(dict, model);
    }
  }

  @Provide
  Arbitrary<Integer> expected() {
    return Arbitraries.integers().between(0, 12);
  }

  private static void removeThroughIterator(Map<?, ?> dict, Map<?, ?> model, int every) {
    int step = every % 3 + 2;
    Iterator<?> a = dict.entrySet().iterator();
    Iterator<?> b = model.entrySet().iterator();
    for (int i = 0; b.hasNext(); i++) {
      assertThat(a.hasNext()).isTrue();
      assertThat(a.next()).isEqualTo(b.next());
      if (i % step == 0) {
        a.remove();
        b.remove();
      }
    }
    assertThat(a.hasNext()).isFalse();
  }

  private static void setThroughEntries(
      Map<@Nullable Object, @Nullable Object> dict, Map<@Nullable Object, @Nullable Object> model, int value) {
    for (Map.Entry<@Nullable Object, @Nullable Object> e : dict.entrySet()) {
      e.setValue(value);
    }
    for (Map.Entry<@Nullable Object, @Nullable Object> e : model.entrySet()) {
      e.setValue(value);
    }
  }

  private static void assertSame(Map<?, ?> dict, Map<?, ?> model) {
    assertThat(dict.size()).isEqualTo(model.size());
    assertThat(dict.isEmpty()).isEqualTo(model.isEmpty());
    assertThat(new ArrayList<>(dict.entrySet())).isEqualTo(new ArrayList<>(model.entrySet()));
    assertThat(new ArrayList<>(dict.keySet())).isEqualTo(new ArrayList<>(model.keySet()));
    assertThat(new ArrayList<>(dict.values())).isEqualTo(new ArrayList<>(model.values()));
    assertThat(dict).isEqualTo(model);
    assertThat(model).isEqualTo(dict);
    assertThat(dict.hashCode()).isEqualTo(model.hashCode());
    assertThat(dict.toString()).isEqualTo(model.toString());
  }

  @Test
  void iteratorsFailFastOnOutsideChanges() {
    Map<Object, Object> dict = new CompactDict(2);
    dict.put("a", 1);
    dict.put("b", 2);
    Iterator<Map.Entry<Object, Object>> it = dict.entrySet().iterator();
    it.next();
    dict.put("c", 3);
    assertThatThrownBy(it::next).isInstanceOf(ConcurrentModificationException.class);
    Iterator<Map.Entry<Object, Object>> again = dict.entrySet().iterator();
    assertThatThrownBy(again::remove).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anEntryReadAfterTheMapGrewStillSeesItsKey() {
    Map<Object, Object> dict = new CompactDict(1);
    dict.put("k", 1);
    Map.Entry<Object, Object> entry = dict.entrySet().iterator().next();
    for (int i = 0; i < CompactDict.MAX_COMPACT + 1; i++) {
      dict.put(i, i);
    }
    assertThat(entry.getValue()).isEqualTo(1);
    entry.setValue(5);
    assertThat(dict.get("k")).isEqualTo(5);
    assertThat(new ArrayList<>(dict.keySet()).get(0)).isEqualTo("k");
  }
}
