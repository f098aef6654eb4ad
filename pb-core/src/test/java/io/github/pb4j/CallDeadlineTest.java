package io.github.pb4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Call deadlines and cancellation between two brokers: however a call ends without its answer,
 * it leaves the table of pending calls at once, and its late answer is dropped with what it
 * carries released, so that the tables of both sides end empty.
 */
@Timeout(60)
class CallDeadlineTest {
  /** A root whose calls are answered only when the test says so. */
  public static final class SlowRoot implements Root {
    final List<CompletableFuture<@Nullable Object>> waiting = new CopyOnWriteArrayList<>();

    @Remote
    public CompletableFuture<@Nullable Object> never() {
      CompletableFuture<@Nullable Object> f = new CompletableFuture<>();
      waiting.add(f);
      return f;
    }

    @Remote
    public String fast() {
      return "fast";
    }
  }

  public static final class Child implements Referenceable {
    @Remote
    public String ping() {
      return "pong";
    }
  }

  /** Returns what {@code future} failed with, cancellation included, waiting up to 20 s. */
  static Throwable failure(CompletableFuture<?> future) throws Exception {
    Throwable t = future.handle((v, e) -> e).get(20, TimeUnit.SECONDS);
    if (t == null) {
      throw new AssertionError("expected a failure, got a value");
    }
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  private static int pending(LoopbackPair pair) {
    return pair.call(() -> BrokerTestAccess.pendingCount(pair.client()));
  }

  @Test
  void thousandsOfCallsEndedEveryWayLeaveThePendingTableEmpty() throws Exception {
    SlowRoot impl = new SlowRoot();
    try (LoopbackPair pair = LoopbackPair.create(impl)) {
      RemoteReference root = pair.root();
      List<CompletableFuture<?>> calls = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        calls.add(root.callRemote(CallOptions.timeout(Duration.ofMillis(20)), "never"));
      }
      for (int i = 0; i < 1000; i++) {
        calls.add(root.callRemote("never").orTimeout(20, TimeUnit.MILLISECONDS));
      }
      for (int i = 0; i < 1000; i++) {
        CompletableFuture<@Nullable Object> f = root.callRemote("never");
        f.cancel(false);
        calls.add(f);
      }
      for (int i = 0; i < 1000; i++) {
        CompletableFuture<String> f = root.callRemote(String.class, "never");
        f.cancel(true);
        calls.add(f);
      }
      for (CompletableFuture<?> f : calls) {
        Throwable t = failure(f);
        assertThat(t).isInstanceOfAny(TimeoutException.class, CancellationException.class);
      }
      pair.settle();
      assertThat(pending(pair)).isZero();

      // The peer still ran every call that reached it (PB has no cancel message); answering them
      // all now is quiet, and the connection goes on.
      for (CompletableFuture<@Nullable Object> f : impl.waiting) {
        f.complete("late");
      }
      pair.settle();
      assertThat(root.callRemote("fast").get(5, TimeUnit.SECONDS)).isEqualTo("fast");
      assertThat(pending(pair)).isZero();
      assertThat(pair.client().isConnected()).isTrue();
    }
  }

  @Test
  void theConnectionsDefaultDeadlineAppliesAndACallMayOptOut() throws Exception {
    SlowRoot impl = new SlowRoot();
    BrokerOptions client = BrokerOptions.builder().callTimeout(Duration.ofMillis(50)).build();
    try (LoopbackPair pair = LoopbackPair.create(impl, BrokerOptions.DEFAULT, client)) {
      RemoteReference root = pair.root();
      Throwable t = failure(root.callRemote("never"));
      assertThat(t).isInstanceOf(TimeoutException.class).hasMessageContaining("never");

      CompletableFuture<@Nullable Object> patient = root.callRemote(CallOptions.NO_TIMEOUT, "never");
      CompletableFuture<@Nullable Object> marker = root.callRemote(CallOptions.timeout(Duration.ofMillis(200)), "never");
      failure(marker); // 200 ms passed: the default of 50 ms did not end the patient call
      assertThat(patient).isNotDone();
      pair.settle();
      impl.waiting.get(1).complete("answered");
      assertThat(patient.get(5, TimeUnit.SECONDS)).isEqualTo("answered");
      pair.settle();
      assertThat(pending(pair)).isZero();
    }
  }

  @Test
  void lateAnswersReleaseTheReferencesAndCacheCopiesTheyCarry() throws Exception {
    SlowRoot impl = new SlowRoot();
    BrokerOptions client = BrokerOptions.builder()
        .remoteCache("test.Counter", FlavoursTest.RemoteCounter::new).build();
    try (LoopbackPair pair = LoopbackPair.create(impl, BrokerOptions.DEFAULT, client)) {
      RemoteReference root = pair.root();
      List<CompletableFuture<@Nullable Object>> calls = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        calls.add(root.callRemote(CallOptions.timeout(Duration.ofMillis(500)), "never"));
      }
      pair.settle();
      assertThat(impl.waiting).hasSize(300);
      for (CompletableFuture<@Nullable Object> f : calls) {
        assertThat(failure(f)).isInstanceOf(TimeoutException.class);
      }
      Child shared = new Child();
      FlavoursTest.Counter counter = new FlavoursTest.Counter();
      for (int i = 0; i < impl.waiting.size(); i++) {
        CompletableFuture<@Nullable Object> f = impl.waiting.get(i);
        switch (i % 4) {
          case 0 -> f.complete(List.of(new Child(), shared, shared));
          case 1 -> f.complete(counter);
          case 2 -> f.completeExceptionally(new IllegalStateException("late failure"));
          default -> f.complete(List.of(shared, counter));
        }
      }
      pair.settle();
      assertThat(pair.call(() -> BrokerTestAccess.exportedCount(pair.server()))).isEqualTo(1); // the root
      assertThat(pair.call(() -> BrokerTestAccess.exportedCacheCount(pair.server()))).isZero();
      assertThat(pair.call(() -> BrokerTestAccess.importedCount(pair.client()))).isZero();
      assertThat(pair.call(() -> BrokerTestAccess.heldCacheCount(pair.client()))).isZero();
      assertThat(pending(pair)).isZero();
      assertThat(counter.events).containsOnly("observe", "stopped");
      assertThat(root.callRemote("fast").get(5, TimeUnit.SECONDS)).isEqualTo("fast");
    }
  }

  @Test
  void aLateAnswerLeavesAReferenceTheProgramHoldsAlone() throws Exception {
    Child child = new Child();
    SlowRoot impl = new SlowRoot();
    try (LoopbackPair pair = LoopbackPair.create(impl)) {
      RemoteReference root = pair.root();
      CompletableFuture<@Nullable Object> first = root.callRemote("never");
      pair.settle();
      impl.waiting.get(0).complete(child);
      RemoteReference held = (RemoteReference) first.get(5, TimeUnit.SECONDS);

      CompletableFuture<@Nullable Object> second = root.callRemote(CallOptions.timeout(Duration.ofMillis(20)), "never");
      assertThat(failure(second)).isInstanceOf(TimeoutException.class);
      assertThat(impl.waiting).hasSize(2);
      impl.waiting.get(1).complete(child); // the same object again, late
      pair.settle();

      assertThat(held.isConnected()).isTrue();
      assertThat(held.callRemote("ping").get(5, TimeUnit.SECONDS)).isEqualTo("pong");
      held.release();
      pair.settle();
      assertThat(pair.call(() -> BrokerTestAccess.exportedCount(pair.server()))).isEqualTo(1);
    }
  }
}
