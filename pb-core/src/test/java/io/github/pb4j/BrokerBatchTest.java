package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Broker#batch}: the calls a task makes go out together, with one flush. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BrokerBatchTest {
  private final BrokerTest.TestRoot root = new BrokerTest.TestRoot();
  private final LoopbackPair pair = LoopbackPair.create(root);

  @AfterEach
  void close() {
    pair.close();
  }

  @Test
  void callsMadeInABatchAreFlushedOnceAndAllAnswered() throws Exception {
    RemoteReference ref = pair.root();
    pair.settle();
    int before = pair.call(pair::clientFlushes);
    List<CompletableFuture<@Nullable Object>> calls = new ArrayList<>();

    boolean queued =
        pair.client()
            .batch(
                () -> {
                  for (int i = 0; i < 5; i++) {
                    calls.add(ref.callRemote("echo", i));
                  }
                });
    pair.settle();

    assertThat(queued).isTrue();
    assertThat(pair.call(pair::clientFlushes) - before).isEqualTo(1);
    List<Object> answers = new ArrayList<>();
    for (CompletableFuture<@Nullable Object> call : calls) {
      answers.add(call.get(5, TimeUnit.SECONDS));
    }
    assertThat(answers).containsExactly(0, 1, 2, 3, 4);
  }

  @Test
  void withoutABatchEachCallIsFlushed() {
    RemoteReference ref = pair.root();
    pair.settle();
    int before = pair.call(pair::clientFlushes);

    pair.call(
        () -> {
          for (int i = 0; i < 5; i++) {
            ref.callRemote("echo", i);
          }
          return null;
        });

    assertThat(pair.call(pair::clientFlushes) - before).isEqualTo(5);
  }

  @Test
  void aBatchInsideABatchFlushesOnceAtTheOuterEnd() {
    RemoteReference ref = pair.root();
    pair.settle();
    int before = pair.call(pair::clientFlushes);
    int[] afterInner = new int[1];

    pair.call(
        () ->
            pair.client()
                .batch(
                    () -> {
                      ref.callRemote("echo", 1);
                      pair.client().batch(() -> ref.callRemote("echo", 2));
                      afterInner[0] = pair.clientFlushes();
                      ref.callRemote("echo", 3);
                    }));

    assertThat(afterInner[0]).isEqualTo(before);
    assertThat(pair.call(pair::clientFlushes) - before).isEqualTo(1);
  }

  @Test
  void whatATaskThrowsIsLoggedAndTheBatchIsStillFlushed() throws Exception {
    RemoteReference ref = pair.root();
    pair.settle();
    List<CompletableFuture<@Nullable Object>> calls = new ArrayList<>();

    pair.client()
        .batch(
            () -> {
              calls.add(ref.callRemote("echo", "sent"));
              throw new IllegalStateException("the task's own failure");
            });
    pair.settle();

    assertThat(calls.get(0).get(5, TimeUnit.SECONDS)).isEqualTo("sent");
  }
}
