package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The table of calls awaiting answers, with many calls in it at once. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PendingCallsTest {
  private static final int CALLS = 5000;

  private final BrokerTest.TestRoot root = new BrokerTest.TestRoot();
  private final LoopbackPair pair = LoopbackPair.create(root);

  @AfterEach
  void close() {
    pair.close();
  }

  @Test
  void thousandsOfCallsAwaitingAnswersEachGetTheirOwn() throws Exception {
    RemoteReference ref = pair.root();
    List<CompletableFuture<@Nullable Object>> calls = new ArrayList<>();
    pair.call(
        () -> {
          for (int i = 0; i < CALLS; i++) {
            calls.add(ref.callRemote("echo", i));
          }
          return null; // All sent before any answer is read.
        });

    for (int i = 0; i < CALLS; i++) {
      assertThat(calls.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(i);
    }
    assertThat(pair.call(() -> BrokerTestAccess.pendingCount(pair.client()))).isZero();
  }

  @Test
  void callsLostWithTheConnectionFailInTheOrderTheyWereMade() {
    RemoteReference ref = pair.root();
    List<Integer> failed = new CopyOnWriteArrayList<>();
    pair.call(
        () -> {
          for (int i = 0; i < CALLS; i++) {
            int n = i;
            ref.callRemote("later").whenComplete((v, e) -> failed.add(n));
          }
          return null;
        });
    pair.settle();

    pair.disconnect();

    assertThat(failed).hasSize(CALLS).isSorted();
  }
}
