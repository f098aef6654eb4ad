package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The export table's counts, luids and journal, across its one-entry and map forms. */
class ExportTableTest {
  private final List<String> released = new ArrayList<>();
  private int sizeTotal;
  private final ExportTable table = new ExportTable(100, delta -> sizeTotal += delta);

  private final class Exported implements ExportTable.ReleaseListener {
    private final String name;

    Exported(String name) {
      this.name = name;
    }

    @Override
    public void released() {
      released.add(name);
    }
  }

  @Test
  void aSecondEntryAndBackToOneKeepEveryLookup() {
    Exported challenger = new Exported("challenger");
    Exported avatar = new Exported("avatar");
    int c = table.export(challenger);
    int a = table.export(avatar);

    assertThat(table.lookup(c)).isSameAs(challenger);
    assertThat(table.lookup(a)).isSameAs(avatar);
    assertThat(table.decref(c)).isTrue();

    assertThat(released).containsExactly("challenger");
    assertThat(table.lookup(c)).isNull();
    assertThat(table.lookup(a)).isSameAs(avatar);
    assertThat(table.luidOf(avatar)).isEqualTo(a);
    assertThat(table.luidOf(challenger)).isEqualTo(-1);
    assertThat(table.size()).isEqualTo(1);
    assertThat(sizeTotal).isEqualTo(1);
    // A luid is never reused, in either form.
    Exported third = new Exported("third");
    assertThat(table.export(third)).isNotIn(a, c);
    assertThat(table.export(avatar)).isEqualTo(a);
  }

  @Test
  void oneEntryCountsEachSendAndForgetsAtZero() {
    Exported only = new Exported("only");
    int luid = table.export(only);
    assertThat(table.export(only)).isEqualTo(luid);

    assertThat(table.decref(luid)).isTrue();
    assertThat(table.lookup(luid)).isSameAs(only);
    assertThat(table.decref(luid)).isTrue();

    assertThat(table.lookup(luid)).isNull();
    assertThat(table.decref(luid)).isFalse();
    assertThat(table.decref(luid + 1)).isFalse();
    assertThat(released).containsExactly("only");
    assertThat(table.size()).isZero();
  }

  @Test
  void rollbackTakesBackTheMessagesCountsOnly() {
    Exported kept = new Exported("kept");
    int k = table.export(kept); // an earlier message: committed by default
    table.begin();
    table.export(kept);
    table.export(kept);
    Exported fresh = new Exported("fresh");
    int f = table.export(fresh); // the table becomes maps within the message
    table.rollback();

    assertThat(released).containsExactly("fresh");
    assertThat(table.lookup(f)).isNull();
    assertThat(table.lookup(k)).isSameAs(kept);
    assertThat(table.decref(k)).isTrue(); // its one count from before the message
    assertThat(released).containsExactly("fresh", "kept");
    assertThat(sizeTotal).isZero();
  }

  @Test
  void commitKeepsCountsAndALaterRollbackLeavesThem() {
    Exported a = new Exported("a");
    table.begin();
    int luid = table.export(a);
    table.commit();
    table.begin();
    table.rollback();

    assertThat(table.lookup(luid)).isSameAs(a);
    assertThat(released).isEmpty();
  }

  @Test
  void clearReleasesEveryEntryInEitherForm() {
    table.export(new Exported("one"));
    table.clear();
    assertThat(released).containsExactly("one");

    table.export(new Exported("two"));
    table.export(new Exported("three"));
    table.clear();

    assertThat(released).containsExactlyInAnyOrder("one", "two", "three");
    assertThat(table.size()).isZero();
    assertThat(sizeTotal).isZero();
  }
}
