package io.github.pb4j.netty;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The event loop group a {@link PbServer} or {@link PbClient} runs on: the user's, which is left
 * running, or one made for it and shut down when it closes.
 *
 * <p><em>Immutable.</em>
 */
final class EventLoops {
  /** How long {@code close()} waits, and how long shutting down an owned group may take. */
  static final long CLOSE_TIMEOUT_SECONDS = 10;

  final EventLoopGroup group;
  final Transport transport;
  private final boolean owned;

  private EventLoops(EventLoopGroup group, Transport transport, boolean owned) {
    this.group = group;
    this.transport = transport;
    this.owned = owned;
  }

  /**
   * Returns {@code given} if not null, else a new group of the best transport with {@code threads}
   * threads (0: Netty's default) named {@code threadNamePrefix}.
   */
  static EventLoops of(
      @Nullable EventLoopGroup given, int threads, String threadNamePrefix, boolean daemon) {
    if (given != null) {
      return new EventLoops(given, Transport.of(given), false);
    }
    Transport best = Transport.best();
    return new EventLoops(best.newGroup(threads, threadNamePrefix, daemon), best, true);
  }

  /** Shuts the group down if it was made here; the future completes when that is done. */
  CompletableFuture<@Nullable Void> shutDown() {
    if (!owned) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
    group.shutdownGracefully(0, CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .addListener(f -> done.complete(null));
    return done;
  }

  /**
   * Starts {@code closeAsync} and waits up to {@link #CLOSE_TIMEOUT_SECONDS} for it, logging a
   * failure or timeout as {@code failureMessage}: the body of {@code close()}.
   *
   * @throws IllegalStateException if called on one of the group's event loops, where waiting would
   *     deadlock: the close is started, but {@code closeAsync()} is the method to use there
   */
  void closeAndWait(
      Supplier<CompletableFuture<@Nullable Void>> closeAsync,
      String owner,
      Logger logger,
      String failureMessage) {
    if (Transport.inEventLoopOf(group)) {
      closeAsync.get();
      throw new IllegalStateException(
          "close() called on the " + owner + "'s event loop; use closeAsync()");
    }
    try {
      closeAsync.get().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      logger.warn(failureMessage, e);
    }
  }
}
