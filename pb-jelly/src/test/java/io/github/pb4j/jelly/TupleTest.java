package io.github.pb4j.jelly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TupleTest {
  @Test
  void asListIsAReadOnlyViewInOrder() {
    Tuple t = Tuple.of(1, "a", null);
    List<Object> list = t.asList();

    assertThat(list).containsExactly(1, "a", null);
    assertThat(list).isEqualTo(java.util.Arrays.asList(1, "a", null));
    assertThat(list.hashCode()).isEqualTo(java.util.Arrays.asList(1, "a", null).hashCode());
    assertThat(list.toArray()).isExactlyInstanceOf(Object[].class).containsExactly(1, "a", null);
    assertThat(list).isInstanceOf(java.util.RandomAccess.class);
    assertThatThrownBy(() -> list.set(0, 2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.add(2)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.remove(0)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void everyMutatorIsRefusedEvenWhenItWouldChangeNothing() {
    List<Object> empty = Tuple.of().asList();
    List<Object> list = Tuple.of(1).asList();

    assertThatThrownBy(empty::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.removeIf(x -> false)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.replaceAll(x -> x)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> empty.sort(null)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.remove("absent")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.addAll(List.of())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.addAll(0, List.of())).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.removeAll(List.of("absent")))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.retainAll(List.of(1))).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> list.subList(0, 0).clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aTupleOfAStringArrayStillGivesObjectArrays() {
    String[] strings = {"x", "y"};
    Tuple t = Tuple.of((Object[]) strings);
    strings[0] = "changed";

    assertThat(t.asList()).containsExactly("x", "y");
    assertThat(t.asList().toArray()).isExactlyInstanceOf(Object[].class);
    assertThat(new ArrayList<>(t.asList())).containsExactly("x", "y");
  }
}
