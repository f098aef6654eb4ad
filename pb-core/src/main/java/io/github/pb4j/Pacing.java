package io.github.pb4j;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

  private final Broker broker;
  // Made for the first producer / waiter: most connections have neither.
  private @Nullable List<Broker.PageProducer> producers;
  private @Nullable List<CompletableFuture<@Nullable Void>> writableWaiters;
  private boolean scheduled;

  /** The pacing of {@code broker}'s output; no page is sent once it is closed. */
  Pacing(Broker broker) {
    this.broker = broker;
  }

  private boolean closed() {
    return !broker.isConnected();
  }

  /** Completes at once if the transport is writable, else once it is again. */
  void whenWritable(CompletableFuture<@Nullable Void> result) {
    if (broker.isWritable()) {
      result.complete(null);
    } else {
      if (writableWaiters == null) {
        writableWaiters = new ArrayList<>(2);
      }
      writableWaiters.add(result);
    }
  }

  /** The transport is writable again: paging resumes, waiting futures complete. */
  void resume() {
    schedule();
    List<CompletableFuture<@Nullable Void>> waiters = writableWaiters;
    if (waiters != null && !waiters.isEmpty() && broker.isWritable()) {
      writableWaiters = null;
      waiters.forEach(w -> w.complete(null));
    }
  }

  /** Fails the waiting futures with {@code lost}; at the end of the connection. */
  void connectionLost(Throwable lost) {
    List<CompletableFuture<@Nullable Void>> waiters = writableWaiters;
    writableWaiters = null;
    if (waiters != null) {
      waiters.forEach(w -> w.completeExceptionally(lost));
    }
  }

  void add(Broker.PageProducer producer) {
    if (producers == null) {
      producers = new ArrayList<>(2);
    }
    producers.add(producer);
    schedule();
  }

  /** Schedules a round unless one is scheduled, none is left or the connection ended. */
  void schedule() {
    if (scheduled || producers == null || producers.isEmpty() || closed()) {
      return;
    }
    scheduled = true;
    broker.executor().execute(this::produce);
  }

  private void produce() {
    scheduled = false;
    List<Broker.PageProducer> producers = this.producers;
    if (producers == null) {
      return;
    }
    if (closed()) {
      this.producers = null;
      return;
    }
    for (int i = producers.size() - 1; i >= 0 && !closed(); i--) {
      Broker.PageProducer p = producers.get(i);
      boolean more;
      try {
        p.sendNextPage();
        more = p.stillPaging();
      } catch (Throwable t) {
        if (Failures.isFatal(t)) {
          throw t;
        }
        logger.warn("[conn {}] page producer failed; dropping it", broker.connectionId(), t);
        more = false;
      }
      if (!more) {
        producers.remove(i);
      }
    }
    if (broker.isWritable()) {
      schedule();
    }
  }
}
