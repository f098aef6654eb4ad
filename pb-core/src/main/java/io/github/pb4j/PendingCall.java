package io.github.pb4j;

import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The future of one call awaiting its answer. However it completes — the peer's answer or error,
 * its deadline, {@code cancel}, {@code orTimeout}, {@code complete} by the program — the call is
 * forgotten at once: its entry leaves the table of pending calls and its deadline timer stops,
 * so that an answer that comes later is recognised as late and dropped.
 *
 * <p>Dependent stages are plain {@link CompletableFuture}s ({@link #newIncompleteFuture} is not
 * overridden).
 *
 * <p><em>Thread-safe</em>, as {@link CompletableFuture}; {@link #requestId} is confined to the
 * connection's executor.
 */
final class PendingCall extends LoopFuture<@Nullable Object> {
  private final OutgoingCalls calls;
  final String method;
  /** The request id once sent, 0 before; confined to the executor. */
  int requestId;
  private volatile @Nullable ScheduledFuture<?> deadline;

  PendingCall(OutgoingCalls calls, Broker broker, String method) {
    super(broker);
    this.calls = calls;
    this.method = method;
  }

  void deadline(ScheduledFuture<?> timer) {
    deadline = timer;
    if (isDone()) {
      timer.cancel(false);
    }
  }

  @Override
  public boolean complete(@Nullable Object value) {
    boolean done = super.complete(value);
    if (done) {
      ended();
    }
    return done;
  }

  @Override
  public boolean completeExceptionally(Throwable ex) {
    boolean done = super.completeExceptionally(ex);
    if (done) {
      ended();
    }
    return done;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean wasDone = isDone();
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled && !wasDone) {
      ended();
    }
    return cancelled;
  }

  private void ended() {
    ScheduledFuture<?> timer = deadline;
    if (timer != null) {
      deadline = null;
      timer.cancel(false);
    }
    calls.ended(this);
  }
}
