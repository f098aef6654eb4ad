package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.ImmediateEventExecutor;
import org.junit.jupiter.api.Test;

/** The import table's one reference per luid and its counts, across its one-entry and map forms. */
class ImportTableTest {
  private final Broker broker =
      Broker.client(BrokerOptions.DEFAULT, new RecordingSink(), ImmediateEventExecutor.INSTANCE);
  private final ImportTable table = new ImportTable();

  @Test
  void oneReferencePerLuidWhileHeldInEitherForm() {
    RemoteReference first = table.importReference(broker, 5);
    assertThat(table.importReference(broker, 5)).isSameAs(first);
    RemoteReference second = table.importReference(broker, 9);
    RemoteReference third = table.importReference(broker, 11);

    assertThat(table.size()).isEqualTo(3);
    assertThat(table.importReference(broker, 5)).isSameAs(first);
    assertThat(table.importReference(broker, 9)).isSameAs(second);
    assertThat(table.release(first.holder())).isEqualTo(3); // three occurrences received
    assertThat(table.release(first.holder())).isZero();
    assertThat(table.size()).isEqualTo(2);
    assertThat(table.release(third.holder())).isEqualTo(1);
    assertThat(table.importReference(broker, 9)).isSameAs(second);
  }

  @Test
  void aReleasedLuidSentAgainIsANewReference() {
    RemoteReference first = table.importReference(broker, 3);
    assertThat(table.release(first.holder())).isEqualTo(1);
    assertThat(table.size()).isZero();

    RemoteReference again = table.importReference(broker, 3);

    assertThat(again).isNotSameAs(first);
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.release(again.holder())).isEqualTo(1);
  }

  @Test
  void releasingAnOldHolderLeavesTheNewEntry() {
    RemoteReference first = table.importReference(broker, 3);
    table.release(first.holder());
    RemoteReference again = table.importReference(broker, 3);

    assertThat(table.release(first.holder())).isZero();
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.importReference(broker, 3)).isSameAs(again);
  }

  @Test
  void backToOneEntryAfterAReleaseAndToSeveralAgain() {
    RemoteReference mind = table.importReference(broker, 1);
    RemoteReference other = table.importReference(broker, 2);
    assertThat(table.release(other.holder())).isEqualTo(1);

    assertThat(table.size()).isEqualTo(1);
    assertThat(table.importReference(broker, 1)).isSameAs(mind);
    RemoteReference third = table.importReference(broker, 3);
    assertThat(table.size()).isEqualTo(2);
    assertThat(table.importReference(broker, 1)).isSameAs(mind);
    assertThat(table.importReference(broker, 3)).isSameAs(third);
    assertThat(table.release(mind.holder())).isEqualTo(3);
    assertThat(table.size()).isEqualTo(1);
    assertThat(table.importReference(broker, 3)).isSameAs(third);
  }

  @Test
  void releasingAnOldHolderLeavesTheNewEntryAmongSeveral() {
    RemoteReference first = table.importReference(broker, 3);
    table.importReference(broker, 4);
    table.release(first.holder());
    RemoteReference again = table.importReference(broker, 3);

    assertThat(table.release(first.holder())).isZero();
    assertThat(table.size()).isEqualTo(2);
    assertThat(table.importReference(broker, 3)).isSameAs(again);
  }
}
