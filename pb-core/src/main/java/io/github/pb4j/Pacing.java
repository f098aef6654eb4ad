package io.github.pb4j;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Output that waits for a writable transport: a connection's page producers and its {@link
 * Broker#whenWritable} futures. Each round of paging sends one page from each producer, newest
 * first (as Twisted's broker does), then yields the event loop; rounds go on while the transport
 * is writable and resume when it becomes writable again, which also completes the waiting futures.
 *
 * <p><em>Not thread-safe;</em> confined to the connection's executor.
 */
final class Pacing {
  private static final Logger logger = LoggerFactory.getLogger(Broker.class);

  private final EventExecutor executor;
  private final MessageSink sink;
  private final BooleanSupplier closed;
  private final long connectionId;
  private final List<Broker.PageProducer> producers = new ArrayList<>();
  private final List<CompletableFuture<@Nullable Void>> writableWaiters = new ArrayList<>();
  private boolean scheduled;

  /** {@code closed} tells whether the connection has ended; no page is sent after that. */
  Pacing(EventExecutor executor, MessageSink sink, BooleanSupplier closed, long connectionId) {
    this.executor = executor;
    this.sink = sink;
    this.closed = closed;
    this.connectionId = connectionId;
  }

  /** Completes at once if the transport is writable, else once it is again. */
  void whenWritable(CompletableFuture<@Nullable Void> result) {
    if (sink.isWritable()) {
      result.complete(null);
    } else {
      writableWaiters.add(result);
    }
  }

  /** The transport is writable again: paging resumes, waiting futures complete. */
  void resume() {
    schedule();
    if (!writableWaiters.isEmpty() && !closed.getAsBoolean() && sink.isWritable()) {
      List<CompletableFuture<@Nullable Void>> waiters = new ArrayList<>(writableWaiters);
      writableWaiters.clear();
      waiters.forEach(w -> w.complete(null));
    }
  }

  /** Fails the waiting futures with {@code lost}; at the end of the connection. */
  void connectionLost(Throwable lost) {
    List<CompletableFuture<@Nullable Void>> waiters = new ArrayList<>(writableWaiters);
    writableWaiters.clear();
    waiters.forEach(w -> w.completeExceptionally(lost));
  }

  void add(Broker.PageProducer producer) {
    producers.add(producer);
    schedule();
  }

  /** Schedules a round unless one is scheduled, none is left or the connection ended. */
  void schedule() {
    if (scheduled || producers.isEmpty() || closed.getAsBoolean()) {
      return;
    }
    scheduled = true;
    executor.execute(this::produce);
  }

  private void produce() {
    scheduled = false;
    if (closed.getAsBoolean()) {
      producers.clear();
      return;
    }
    for (int i = producers.size() - 1; i >= 0 && !closed.getAsBoolean(); i--) {
      Broker.PageProducer p = producers.get(i);
      boolean more;
      try {
        p.sendNextPage();
        more = p.stillPaging();
      } catch (Throwable t) {
        if (Failures.isFatal(t)) {
          throw t;
        }
        logger.warn("[conn {}] page producer failed; dropping it", connectionId, t);
        more = false;
      }
      if (!more) {
        producers.remove(i);
      }
    }
    if (sink.isWritable()) {
      schedule();
    }
  }
}
